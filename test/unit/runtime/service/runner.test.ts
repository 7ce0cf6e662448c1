import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { AcceptControl, ServiceControl, ServiceState, ServiceType } from '../../../../runtime/service/constants.ts';
import { ServiceFramework } from '../../../../runtime/service/framework.ts';
import { controlsAcceptedBy, ServiceRunner, stopTimeoutOf } from '../../../../runtime/service/runner.ts';
import { AcceptedControls } from '../../../../runtime/service/service-flags.ts';
import { StatusReporter, type ReportedStatus } from '../../../../runtime/service/status-reporter.ts';
import { defineCounters } from '../../../../runtime/perf/counter-set.ts';
import { counterSetGuid } from '../../../../runtime/perf/guid.ts';
import { inspectCounters } from '../../../../runtime/perf/publish.ts';

class Waiter extends ServiceFramework {
  static override svcName = 'Waiter';
  stopped = false;
  async svcDoRun(): Promise<void> {
    await once(this.stopSignal, 'abort');
  }
  svcStop(): void {
    this.stopped = true;
  }
}

class Pausable extends Waiter {
  svcPause(): void {}
  svcContinue(): void {}
}

class Preshutdown extends Waiter {
  noticed = false;
  svcPreshutdown(): void {
    this.noticed = true;
  }
}

function harness(service: ServiceFramework) {
  const reports: ReportedStatus[] = [];
  const events = { started: vi.fn(), stopping: vi.fn(), stopped: vi.fn(), failed: vi.fn(), controlFailed: vi.fn() };
  const reporter = new StatusReporter((status) => reports.push(status), ServiceType.WIN32_OWN_PROCESS);
  const runner = new ServiceRunner(service as never, reporter, events, ['a']);
  return { reports, events, runner, states: () => reports.map((r) => r.currentState) };
}

describe('controlsAcceptedBy', () => {
  it('follows from the methods present', () => {
    expect(controlsAcceptedBy(new Waiter()).names).toEqual(['STOP']);
    expect(controlsAcceptedBy(new Pausable()).raw).toBe(AcceptControl.STOP | AcceptControl.PAUSE_CONTINUE);
    expect(controlsAcceptedBy(new Preshutdown()).names).toEqual(['STOP', 'PRESHUTDOWN']);
  });
});

describe('ServiceRunner', () => {
  it('runs RUNNING → STOP_PENDING → STOPPED on a stop control, calling svcStop', async () => {
    const service = new Waiter();
    const { runner, states, events, reports } = harness(service);
    const done = runner.run();
    expect(service.args).toEqual(['a']);
    runner.handleControl(ServiceControl.STOP);
    await done;
    expect(states()).toEqual([ServiceState.RUNNING, ServiceState.STOP_PENDING, ServiceState.STOPPED]);
    expect(service.stopped).toBe(true);
    expect(reports[0]!.controlsAccepted).toBe(AcceptControl.STOP);
    expect(reports[1]!.checkPoint).toBe(1);
    expect(reports.at(-1)).toMatchObject({ win32ExitCode: 0, serviceSpecificExitCode: 0, controlsAccepted: 0 });
    expect(events.stopped).toHaveBeenCalledOnce();
  });

  it('reports a throwing svcDoRun as STOPPED with ERROR_SERVICE_SPECIFIC_ERROR and its exit code', async () => {
    class Failing extends ServiceFramework {
      svcDoRun(): void {
        throw Object.assign(new Error('boom'), { exitCode: 9 });
      }
    }
    const { runner, reports, events } = harness(new Failing());
    await runner.run();
    expect(reports.at(-1)).toMatchObject({ currentState: ServiceState.STOPPED, win32ExitCode: 1066, serviceSpecificExitCode: 9 });
    expect(events.failed.mock.calls[0]![0]).toMatch(/^Error: boom/);
  });

  it('pauses and continues only a service that has svcPause and svcContinue', async () => {
    const plain = harness(new Waiter());
    void plain.runner.run();
    plain.runner.handleControl(ServiceControl.PAUSE);
    expect(plain.states()).toEqual([ServiceState.RUNNING]);
    plain.runner.handleControl(ServiceControl.STOP);

    const { runner, states } = harness(new Pausable());
    const done = runner.run();
    runner.handleControl(ServiceControl.PAUSE);
    await vi.waitFor(() => expect(states().at(-1)).toBe(ServiceState.PAUSED));
    runner.handleControl(ServiceControl.CONTINUE);
    await vi.waitFor(() => expect(states().at(-1)).toBe(ServiceState.RUNNING));
    runner.handleControl(ServiceControl.STOP);
    await done;
    expect(states()).toEqual([
      ServiceState.RUNNING,
      ServiceState.PAUSE_PENDING,
      ServiceState.PAUSED,
      ServiceState.CONTINUE_PENDING,
      ServiceState.RUNNING,
      ServiceState.STOP_PENDING,
      ServiceState.STOPPED,
    ]);
  });

  it('stops on PRESHUTDOWN after svcPreshutdown, and refuses it without one', async () => {
    const service = new Preshutdown();
    const { runner, states } = harness(service);
    const done = runner.run();
    runner.handleControl(ServiceControl.PRESHUTDOWN);
    await done;
    expect(service.noticed).toBe(true);
    expect(states()).toEqual([ServiceState.RUNNING, ServiceState.STOP_PENDING, ServiceState.STOPPED]);
    const plain = harness(new Waiter());
    const running = plain.runner.run();
    plain.runner.handleControl(ServiceControl.PRESHUTDOWN);
    expect(plain.states()).toEqual([ServiceState.RUNNING]);
    plain.runner.handleControl(ServiceControl.STOP);
    await running;
  });

  it('ignores controls it has no method for, and a second stop', async () => {
    const { runner, states } = harness(new Waiter());
    const done = runner.run();
    runner.handleControl(200);
    runner.handleControl(ServiceControl.STOP);
    runner.handleControl(ServiceControl.STOP);
    await done;
    expect(states().filter((state) => state === ServiceState.STOP_PENDING)).toHaveLength(1);
  });

  it('validates svcStopTimeout: Infinity means no limit, nonsense is an error naming the class', () => {
    class Forever extends Waiter {
      static override svcStopTimeout = Infinity;
    }
    class Nonsense extends Waiter {
      static override svcStopTimeout = -5;
    }
    expect(stopTimeoutOf(Waiter)).toBe(30_000);
    expect(stopTimeoutOf(Forever)).toBe(Infinity);
    expect(() => stopTimeoutOf(Nonsense)).toThrow(
      'static svcStopTimeout of Nonsense must be a positive number of milliseconds, or Infinity for no limit (not -5)',
    );
    expect(() => stopTimeoutOf({ svcStopTimeout: '30' as never })).toThrow('(not "30")');
  });
});

describe('StatusReporter', () => {
  it('raises checkpoints within a pending state and resets them outside it; only STOP while starting', () => {
    const reports: ReportedStatus[] = [];
    const reporter = new StatusReporter((status) => reports.push(status), ServiceType.WIN32_OWN_PROCESS);
    reporter.controlsAccepted = AcceptedControls.of('STOP', 'PAUSE_CONTINUE');
    reporter.report(ServiceState.START_PENDING);
    reporter.report(ServiceState.START_PENDING, { waitHint: 9000 });
    reporter.report(ServiceState.RUNNING);
    expect(reports.map((r) => [r.checkPoint, r.waitHint, r.controlsAccepted])).toEqual([
      [1, 5000, AcceptControl.STOP],
      [2, 9000, AcceptControl.STOP],
      [0, 0, AcceptControl.STOP | AcceptControl.PAUSE_CONTINUE],
    ]);
  });
});

describe('ServiceRunner and counters', () => {
  const counters = defineCounters({
    name: 'Counted',
    description: 'd',
    counters: { hits: { name: 'Hits/sec', description: 'd', type: 'ratePerSecond' } },
  });

  class Counted extends ServiceFramework<typeof counters> {
    static override svcName = 'Counted';
    static override svcCounters = counters;
    svcDoRun(): void {
      this.counters.hits.increment();
      this.counters.hits.add(2);
    }
  }

  it("gives svcDoRun the class's counters under the service's name, and keeps their values after it stops", async () => {
    const service = new Counted();
    const { runner, events } = harness(service);
    const set = inspectCounters(service.counters)!;
    expect(set.counterSetGuid).toBe(counterSetGuid('Counted', 'Counted'));
    await runner.run();
    expect(service.counters.hits.value).toBe(3);
    expect(set.published).toBe(false);
    expect(events.controlFailed).not.toHaveBeenCalled();
  });

  it('gives a service without svcCounters no counters', () => {
    const service = new Waiter();
    harness(service);
    expect(Object.keys(service.counters)).toEqual([]);
  });
});
