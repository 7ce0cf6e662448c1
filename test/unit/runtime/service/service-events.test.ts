import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AcceptControl, ServiceControl, ServiceState, ServiceType, Win32Code } from '../../../../runtime/service/constants.ts';
import { controlAnswer } from '../../../../runtime/service/control-answer.ts';
import {
  deviceInterfaceClasses,
  deviceInterfaceFilter,
  isDeviceInterfaceList,
  MAX_DEVICE_INTERFACE_CLASSES,
} from '../../../../runtime/service/device-interfaces.ts';
import type { DeviceEvent, SessionChangeEvent, ServiceEvent } from '../../../../runtime/service/events.ts';
import {
  exitOfError,
  exitStatusOptions,
  isServiceExitCode,
  ServiceExitCode,
  statusExitCodes,
} from '../../../../runtime/service/exit-codes.ts';
import { ServiceFramework } from '../../../../runtime/service/framework.ts';
import { controlsAcceptedBy, ServiceRunner } from '../../../../runtime/service/runner.ts';
import { isDebugging, isService, setRunMode, startReason, startReasonNames } from '../../../../runtime/service/run-mode.ts';
import { StatusReporter, type ReportedStatus } from '../../../../runtime/service/status-reporter.ts';
import { guidFromBytes } from '../../../../runtime/perf/guid.ts';
import { answerQuery, QueryAnswers } from '../../../../host/scm/query-answers.ts';
import { ServiceSupervisor, serviceThreads, type ThreadEvents } from '../../../../host/scm/supervisor.ts';
import { parseFromWorker, type ToWorker } from '../../../../host/scm/worker-messages.ts';

const OK = Win32Code.NO_ERROR;
const NO = Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
const DENY = Win32Code.BROADCAST_QUERY_DENY;

class Waiter extends ServiceFramework {
  static override svcName = 'Waiter';
  async svcDoRun(): Promise<void> {
    await once(this.stopSignal, 'abort');
  }
}

/** Has every event method; records what each got, and refuses device removals while `busy`. */
class Listener extends Waiter {
  calls: [string, unknown][] = [];
  busy = false;
  svcSessionChange(event: SessionChangeEvent): void {
    this.calls.push(['svcSessionChange', event]);
  }
  svcPowerEvent(event: unknown): void {
    this.calls.push(['svcPowerEvent', event]);
  }
  async svcDeviceEvent(event: DeviceEvent): Promise<boolean> {
    this.calls.push(['svcDeviceEvent', event]);
    await new Promise((resolve) => setTimeout(resolve, 1));
    return !this.busy;
  }
  svcTimeChange(event: unknown): void {
    this.calls.push(['svcTimeChange', event]);
  }
  svcTriggerEvent(): void {
    this.calls.push(['svcTriggerEvent', undefined]);
  }
  svcHardwareProfileChange(event: unknown): boolean {
    this.calls.push(['svcHardwareProfileChange', event]);
    return false;
  }
  svcParamChange(): void {
    this.calls.push(['svcParamChange', undefined]);
  }
  svcNetBindAdd(): void {
    this.calls.push(['svcNetBindAdd', undefined]);
  }
  svcNetBindDisable(): never {
    throw new Error('cannot');
  }
}

function runnerOf(service: ServiceFramework) {
  const reports: ReportedStatus[] = [];
  const events = { started: vi.fn(), stopping: vi.fn(), stopped: vi.fn(), failed: vi.fn(), controlFailed: vi.fn() };
  const reporter = new StatusReporter((status) => reports.push(status), ServiceType.WIN32_OWN_PROCESS);
  const runner = new ServiceRunner(service as never, reporter, events);
  return { reports, events, runner };
}

describe('accepted controls follow from the event methods', () => {
  it('accepts each event control whose method exists, NETBINDCHANGE for any svcNetBind*', () => {
    expect(controlsAcceptedBy(new Waiter()).raw).toBe(AcceptControl.STOP);
    expect(controlsAcceptedBy(new Listener()).raw).toBe(
      AcceptControl.STOP |
        AcceptControl.SESSIONCHANGE |
        AcceptControl.POWEREVENT |
        AcceptControl.TIMECHANGE |
        AcceptControl.TRIGGEREVENT |
        AcceptControl.HARDWAREPROFILECHANGE |
        AcceptControl.PARAMCHANGE |
        AcceptControl.NETBINDCHANGE,
    );
    class OnlyEnable extends Waiter {
      svcNetBindEnable(): void {}
    }
    expect(controlsAcceptedBy(new OnlyEnable()).names).toEqual(['STOP', 'NETBINDCHANGE']);
  });

  const C = ServiceControl;
  it.each([
    // control, accepted flags, device events, answer
    [C.PARAMCHANGE, AcceptControl.STOP, false, NO],
    [C.PARAMCHANGE, AcceptControl.PARAMCHANGE, false, OK],
    [C.NETBINDADD, AcceptControl.NETBINDCHANGE, false, OK],
    [C.NETBINDREMOVE, AcceptControl.NETBINDCHANGE, false, OK],
    [C.NETBINDENABLE, AcceptControl.NETBINDCHANGE, false, OK],
    [C.NETBINDDISABLE, AcceptControl.NETBINDCHANGE, false, OK],
    [C.NETBINDADD, AcceptControl.PARAMCHANGE, false, NO],
    [C.SESSIONCHANGE, AcceptControl.STOP, false, NO],
    [C.SESSIONCHANGE, AcceptControl.SESSIONCHANGE, false, OK],
    [C.POWEREVENT, AcceptControl.POWEREVENT, false, OK],
    [C.POWEREVENT, AcceptControl.SESSIONCHANGE, false, NO],
    [C.TIMECHANGE, AcceptControl.TIMECHANGE, false, OK],
    [C.TIMECHANGE, AcceptControl.STOP, false, NO],
    [C.TRIGGEREVENT, AcceptControl.TRIGGEREVENT, false, OK],
    [C.HARDWAREPROFILECHANGE, AcceptControl.HARDWAREPROFILECHANGE, false, OK],
    [C.HARDWAREPROFILECHANGE, AcceptControl.STOP, false, NO],
    [C.DEVICEEVENT, 0xffff, false, NO],
    [C.DEVICEEVENT, AcceptControl.STOP, true, OK],
  ])('control %i with accepted 0x%s, device events %s → %i', (control, accepted, deviceEvents, answer) => {
    expect(controlAnswer(control, { accepted, userControls: false, deviceEvents })).toBe(answer);
  });
});

describe('ServiceRunner delivers events to their methods', () => {
  it('passes each event without its kind, and resolves to what the method returned', async () => {
    const service = new Listener();
    const { runner, events } = runnerOf(service);
    void runner.run();
    await runner.handleControl(ServiceControl.SESSIONCHANGE, {
      kind: 'session-change',
      reason: 'session-lock',
      reasonCode: 7,
      sessionId: 2,
    });
    await runner.handleControl(ServiceControl.TRIGGEREVENT, { kind: 'trigger' });
    await runner.handleControl(ServiceControl.PARAMCHANGE, { kind: 'param-change' });
    await runner.handleControl(ServiceControl.NETBINDADD, { kind: 'net-bind', change: 'add' });
    const times = { kind: 'time-change', oldTime: new Date(1), newTime: new Date(2) } as const;
    await runner.handleControl(ServiceControl.TIMECHANGE, times);
    expect(service.calls).toEqual([
      ['svcSessionChange', { reason: 'session-lock', reasonCode: 7, sessionId: 2 }],
      ['svcTriggerEvent', undefined],
      ['svcParamChange', undefined],
      ['svcNetBindAdd', undefined],
      ['svcTimeChange', { oldTime: new Date(1), newTime: new Date(2) }],
    ]);
    const removal: ServiceEvent = { kind: 'device', type: 'query-remove', typeCode: 0x8001, query: true };
    expect(await runner.handleControl(ServiceControl.DEVICEEVENT, removal)).toBe(true);
    service.busy = true;
    expect(await runner.handleControl(ServiceControl.DEVICEEVENT, removal)).toBe(false);
    expect(
      await runner.handleControl(ServiceControl.HARDWAREPROFILECHANGE, {
        kind: 'hardware-profile',
        type: 'query-change-config',
        typeCode: 0x17,
        query: true,
      }),
    ).toBe(false);
    // A method that throws is reported and answers nothing; one that is missing is skipped.
    expect(await runner.handleControl(ServiceControl.NETBINDDISABLE, { kind: 'net-bind', change: 'disable' })).toBeUndefined();
    expect(events.controlFailed).toHaveBeenCalledWith('svcNetBindDisable', expect.stringMatching(/^Error: cannot/));
    expect(await runner.handleControl(ServiceControl.NETBINDREMOVE, { kind: 'net-bind', change: 'remove' })).toBeUndefined();
    runner.handleControl(ServiceControl.STOP);
  });

  it('delivers no event once the service is stopping', async () => {
    const service = new Listener();
    const { runner } = runnerOf(service);
    const done = runner.run();
    runner.handleControl(ServiceControl.STOP);
    await done;
    expect(await runner.handleControl(ServiceControl.PARAMCHANGE, { kind: 'param-change' })).toBeUndefined();
    expect(service.calls).toEqual([]);
  });
});

describe('exit codes', () => {
  it('ServiceExitCode makes typed codes and refuses nonsense and the ambiguous 1066', () => {
    expect(ServiceExitCode.win32(1231)).toEqual({ win32: 1231 });
    expect(ServiceExitCode.serviceSpecific(42)).toEqual({ serviceSpecific: 42 });
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => ServiceExitCode.win32(bad)).toThrow(RangeError);
      expect(() => ServiceExitCode.serviceSpecific(bad)).toThrow(RangeError);
    }
    expect(() => ServiceExitCode.win32(1066)).toThrow(/ServiceExitCode\.serviceSpecific/);
    expect(isServiceExitCode({ win32: 5 })).toBe(true);
    expect(isServiceExitCode({ serviceSpecific: 0 })).toBe(true);
    for (const not of [undefined, null, 5, {}, { win32: 1066 }, { win32: -1 }, { win32: 5, serviceSpecific: 1 }, { exitCode: 1 }])
      expect(isServiceExitCode(not)).toBe(false);
  });

  it('maps to SERVICE_STATUS: Win32 alone, service-specific with 1066, none as 0/0', () => {
    expect(statusExitCodes({ win32: 1231 })).toEqual({ win32ExitCode: 1231, serviceSpecificExitCode: 0 });
    expect(statusExitCodes({ serviceSpecific: 7 })).toEqual({ win32ExitCode: 1066, serviceSpecificExitCode: 7 });
    expect(statusExitCodes({ serviceSpecific: 0 })).toEqual({ win32ExitCode: 0, serviceSpecificExitCode: 0 });
    expect(statusExitCodes(undefined)).toEqual({ win32ExitCode: 0, serviceSpecificExitCode: 0 });
    expect(exitStatusOptions({ win32: 5 })).toEqual({ win32ExitCode: 5 });
  });

  it('takes a thrown error win32ExitCode first, then its exitCode, else service-specific 1', () => {
    expect(exitOfError(Object.assign(new Error('x'), { win32ExitCode: 1231 }))).toEqual({ win32: 1231 });
    expect(exitOfError(Object.assign(new Error('x'), { win32ExitCode: 1066, exitCode: 9 }))).toEqual({ serviceSpecific: 9 });
    expect(exitOfError(Object.assign(new Error('x'), { exitCode: 9 }))).toEqual({ serviceSpecific: 9 });
    expect(exitOfError('text')).toEqual({ serviceSpecific: 1 });
    expect(exitOfError(null)).toEqual({ serviceSpecific: 1 });
  });

  it('StatusReporter reports a Win32 exit code alone, and a service-specific one wins over it', () => {
    const reports: ReportedStatus[] = [];
    const reporter = new StatusReporter((status) => reports.push(status), ServiceType.WIN32_OWN_PROCESS);
    reporter.report(ServiceState.STOPPED, { win32ExitCode: 1231 });
    reporter.report(ServiceState.STOPPED, { win32ExitCode: 1231, exitCode: 4 });
    expect(reports.map((r) => [r.win32ExitCode, r.serviceSpecificExitCode])).toEqual([
      [1231, 0],
      [1066, 4],
    ]);
  });

  it('svcDoRun returning a ServiceExitCode stops with it (a clean stop, not a failure); a throw with win32ExitCode too', async () => {
    class Unreachable extends ServiceFramework {
      svcDoRun() {
        return ServiceExitCode.win32(1231);
      }
    }
    const clean = runnerOf(new Unreachable());
    await clean.runner.run();
    expect(clean.reports.at(-1)).toMatchObject({ currentState: ServiceState.STOPPED, win32ExitCode: 1231, serviceSpecificExitCode: 0 });
    expect(clean.events.stopped).toHaveBeenCalledOnce();
    expect(clean.events.failed).not.toHaveBeenCalled();
    class Throwing extends ServiceFramework {
      svcDoRun(): never {
        throw Object.assign(new Error('no network'), { win32ExitCode: 1231 });
      }
    }
    const thrown = runnerOf(new Throwing());
    await thrown.runner.run();
    expect(thrown.reports.at(-1)).toMatchObject({ win32ExitCode: 1231, serviceSpecificExitCode: 0 });
    expect(thrown.events.failed).toHaveBeenCalledOnce();
    class Junk extends ServiceFramework {
      svcDoRun() {
        return { win32: 'no' } as never;
      }
    }
    const junk = runnerOf(new Junk());
    await junk.runner.run();
    expect(junk.reports.at(-1)).toMatchObject({ win32ExitCode: 0, serviceSpecificExitCode: 0 });
  });
});

describe('run mode', () => {
  afterEach(() => setRunMode({ debugging: false }));

  it('names the start reason flags', () => {
    expect(startReasonNames(0x1)).toEqual(['demand']);
    expect(startReasonNames(0x2 | 0x10)).toEqual(['auto', 'delayed-auto']);
    expect(startReasonNames(0x4 | 0x8)).toEqual(['trigger', 'restart-on-failure']);
    expect(startReasonNames(0x100)).toEqual([]);
  });

  it('says service, debug, and the start reason where the host set them', () => {
    setRunMode({ debugging: false, startReason: 0x4 });
    expect([isService(), isDebugging(), startReason()]).toEqual([true, false, ['trigger']]);
    setRunMode({ debugging: true });
    expect([isService(), isDebugging(), startReason()]).toEqual([false, true, undefined]);
    const service = new Waiter();
    expect(service.startReason).toBeUndefined();
  });
});

describe('svcDeviceInterfaces', () => {
  it('takes GUIDs with or without braces, any case, once each; or all', () => {
    expect(deviceInterfaceClasses(undefined)).toEqual([]);
    expect(deviceInterfaceClasses(['{A5DCBF10-6530-11D2-901F-00C04FB951ED}', 'a5dcbf10-6530-11d2-901f-00c04fb951ed'])).toEqual([
      'a5dcbf10-6530-11d2-901f-00c04fb951ed',
    ]);
    expect(deviceInterfaceClasses('all')).toEqual(['all']);
    expect(isDeviceInterfaceList(['all'])).toBe(true);
    expect(isDeviceInterfaceList(['a5dcbf10-6530-11d2-901f-00c04fb951ed'])).toBe(true);
    for (const bad of [
      ['all', 'a5dcbf10-6530-11d2-901f-00c04fb951ed'],
      ['{a5dcbf10-6530-11d2-901f-00c04fb951ed}'],
      [5],
      'all',
      Array(MAX_DEVICE_INTERFACE_CLASSES + 1).fill('a5dcbf10-6530-11d2-901f-00c04fb951ed'),
    ]) {
      expect(isDeviceInterfaceList(bad)).toBe(false);
    }
  });

  it('names what is wrong', () => {
    expect(() => deviceInterfaceClasses('usb', 'Svc')).toThrow(
      "static svcDeviceInterfaces of Svc must be an array of interface class GUIDs, or 'all'",
    );
    expect(() => deviceInterfaceClasses(['not-a-guid'], 'Svc')).toThrow(/"not-a-guid" is not a GUID/);
    const many = Array.from(
      { length: MAX_DEVICE_INTERFACE_CLASSES + 1 },
      (_, i) => `00000000-0000-0000-0000-${i.toString(16).padStart(12, '0')}`,
    );
    expect(() => deviceInterfaceClasses(many, 'Svc')).toThrow(RangeError);
  });

  it('builds the DEV_BROADCAST_DEVICEINTERFACE_W filter: size 32, type 5, the class GUID at 12, an empty name', () => {
    const filter = deviceInterfaceFilter('a5dcbf10-6530-11d2-901f-00c04fb951ed');
    expect(filter.length).toBe(32);
    expect([filter.readUInt32LE(0), filter.readUInt32LE(4), filter.readUInt32LE(8)]).toEqual([32, 5, 0]);
    expect(guidFromBytes(filter, 12)).toBe('a5dcbf10-6530-11d2-901f-00c04fb951ed');
    expect(filter.readUInt16LE(28)).toBe(0);
    expect(deviceInterfaceFilter('all').subarray(12, 28)).toEqual(Buffer.alloc(16));
  });
});

describe('QueryAnswers', () => {
  it('returns the answer written for its query, and undefined when none comes in time', () => {
    const answers = new QueryAnswers();
    expect(answers.ask((sequence) => answerQuery(answers.buffer, sequence, true))).toBe(true);
    expect(answers.ask((sequence) => answerQuery(answers.buffer, sequence, false))).toBe(false);
    const began = performance.now();
    expect(answers.ask(() => {}, 50)).toBeUndefined();
    expect(performance.now() - began).toBeGreaterThanOrEqual(45);
  });

  it('drops a late answer to an earlier query: it neither answers nor overwrites a later one', () => {
    const answers = new QueryAnswers();
    let first = 0;
    expect(answers.ask((sequence) => (first = sequence), 10)).toBeUndefined();
    expect(
      answers.ask((sequence) => {
        answerQuery(answers.buffer, sequence, true);
        answerQuery(answers.buffer, first, false);
      }, 10),
    ).toBe(true);
    expect(answers.ask((sequence) => answerQuery(answers.buffer, sequence - 1, false), 10)).toBeUndefined();
  });

  it('wakes the waiting thread when another thread answers later (a real worker, Atomics across threads)', async () => {
    const code = `
      const { parentPort } = require('node:worker_threads');
      const MAX_SEQUENCE = 2 ** 30 - 1;
      ${answerQuery.toString()}
      parentPort.on('message', ({ buffer, sequence, denied, delay }) => setTimeout(() => answerQuery(buffer, sequence, denied), delay));
      parentPort.postMessage('ready');`;
    const worker = new Worker(code, { eval: true });
    try {
      await once(worker, 'message');
      const answers = new QueryAnswers();
      const began = performance.now();
      expect(answers.ask((sequence) => worker.postMessage({ buffer: answers.buffer, sequence, denied: true, delay: 100 }))).toBe(true);
      const waited = performance.now() - began;
      expect(waited).toBeGreaterThanOrEqual(90);
      expect(waited).toBeLessThan(1500);
      // Too late: HandlerEx has returned (granted) before the service answered.
      expect(
        answers.ask((sequence) => worker.postMessage({ buffer: answers.buffer, sequence, denied: true, delay: 300 }), 100),
      ).toBeUndefined();
    } finally {
      await worker.terminate();
    }
  });
});

describe('ServiceSupervisor with events', () => {
  beforeEach(() => {
    serviceThreads.live = 0;
  });

  function supervised(respond: (message: ToWorker) => void = () => {}) {
    const posted: ToWorker[] = [];
    const loadedHook = vi.fn();
    let thread!: ThreadEvents;
    const launches: unknown[] = [];
    const supervisor: ServiceSupervisor = new ServiceSupervisor(
      {
        name: 'Svc',
        modulePath: 'C:\\s\\svc.js',
        packageRoot: 'C:\\s',
        cwd: 'C:\\s',
        environment: {},
        args: [],
        loadTimeoutMs: 60_000,
        messageFiles: [],
      },
      {
        report: () => {},
        events: () => ({
          starting() {},
          started() {},
          stopping() {},
          stopped() {},
          failed() {},
          startFailed() {},
          controlFailed() {},
          outputNotWritten() {},
        }),
        serviceType: ServiceType.WIN32_OWN_PROCESS,
        debugging: true,
        loaded: loadedHook,
        startThread: (launch, on) => {
          launches.push(launch);
          thread = on;
          return {
            post: (message) => {
              if (!('control' in message)) return posted.push(message as never);
              posted.push(message);
              respond(message);
            },
            terminate: () => {},
            answers: async () => true,
            threadId: 1,
          };
        },
      },
    );
    supervisor.start();
    const load = (accepted: number, deviceEvents = false) => {
      thread.message({
        loaded: {
          name: 'Svc',
          accepted,
          userControls: false,
          stopTimeoutMs: 1000,
          deviceEvents,
          deviceInterfaces: ['a5dcbf10-6530-11d2-901f-00c04fb951ed'],
        },
      });
      thread.message({
        status: {
          serviceType: 16,
          currentState: ServiceState.RUNNING,
          controlsAccepted: 0,
          win32ExitCode: 0,
          serviceSpecificExitCode: 0,
          checkPoint: 0,
          waitHint: 0,
        },
      });
    };
    return { supervisor, posted, load, loadedHook, launches, thread: () => thread };
  }

  it('tells the thread it is debugged, hands the loaded info (device interfaces) to the host, and sends the shared answer slot with the go', () => {
    const s = supervised();
    expect(s.launches[0]).toMatchObject({ debugging: true });
    s.load(AcceptControl.STOP);
    expect(s.loadedHook).toHaveBeenCalledWith(expect.objectContaining({ deviceInterfaces: ['a5dcbf10-6530-11d2-901f-00c04fb951ed'] }));
    expect(s.posted[0]).toMatchObject({ run: true, answers: expect.any(SharedArrayBuffer) });
  });

  it('passes an accepted event with its data to the thread, and refuses one not accepted', () => {
    const s = supervised();
    s.load(AcceptControl.STOP | AcceptControl.SESSIONCHANGE | AcceptControl.PARAMCHANGE);
    const session: ServiceEvent = { kind: 'session-change', reason: 'session-logon', reasonCode: 5, sessionId: 1 };
    expect(s.supervisor.control(ServiceControl.SESSIONCHANGE, session)).toBe(OK);
    expect(s.supervisor.control(ServiceControl.PARAMCHANGE, { kind: 'param-change' })).toBe(OK);
    expect(s.supervisor.control(ServiceControl.TIMECHANGE, { kind: 'time-change', oldTime: new Date(0), newTime: new Date(1) })).toBe(NO);
    expect(s.supervisor.control(ServiceControl.DEVICEEVENT, { kind: 'device', type: 'arrival', typeCode: 0x8000, query: false })).toBe(NO);
    expect(s.posted.slice(1)).toEqual([
      { control: ServiceControl.SESSIONCHANGE, event: session },
      { control: ServiceControl.PARAMCHANGE, event: { kind: 'param-change' } },
    ]);
  });

  it("answers a device query-remove with the service's answer: BROADCAST_QUERY_DENY when it refuses", () => {
    let deny = true;
    const answers: { buffer?: SharedArrayBuffer } = {};
    const s = supervised((message) => {
      if (message.query !== undefined) answerQuery(answers.buffer!, message.query, deny);
    });
    s.load(AcceptControl.STOP, true);
    answers.buffer = (s.posted[0] as unknown as { answers: SharedArrayBuffer }).answers;
    const removal: ServiceEvent = { kind: 'device', type: 'query-remove', typeCode: 0x8001, query: true };
    expect(s.supervisor.control(ServiceControl.DEVICEEVENT, removal)).toBe(DENY);
    deny = false;
    expect(s.supervisor.control(ServiceControl.DEVICEEVENT, removal)).toBe(OK);
    expect(s.posted.at(-1)).toMatchObject({ control: ServiceControl.DEVICEEVENT, event: removal, query: expect.any(Number) });
    // Arrivals are no query: posted, answered at once.
    expect(s.supervisor.control(ServiceControl.DEVICEEVENT, { kind: 'device', type: 'arrival', typeCode: 0x8000, query: false })).toBe(OK);
    expect(s.posted.at(-1)).not.toHaveProperty('query');
  });

  it('grants a query at once while the service is stopping, without asking its thread', () => {
    const asked = vi.fn();
    const s = supervised((message) => message.query !== undefined && asked());
    s.load(AcceptControl.STOP | AcceptControl.HARDWAREPROFILECHANGE);
    expect(s.supervisor.control(ServiceControl.STOP)).toBe(OK);
    const posted = s.posted.length;
    expect(
      s.supervisor.control(ServiceControl.HARDWAREPROFILECHANGE, {
        kind: 'hardware-profile',
        type: 'query-change-config',
        typeCode: 0x17,
        query: true,
      }),
    ).toBe(OK);
    expect(s.posted.length).toBe(posted);
    expect(asked).not.toHaveBeenCalled();
  });

  it('records a Win32 exit code from the thread as such, not as service-specific', async () => {
    const s = supervised();
    s.load(AcceptControl.STOP);
    s.thread().message({
      status: {
        serviceType: 16,
        currentState: ServiceState.STOPPED,
        controlsAccepted: 0,
        win32ExitCode: 1231,
        serviceSpecificExitCode: 0,
        checkPoint: 0,
        waitHint: 0,
      },
    });
    expect(await s.supervisor.stopped).toBe(1231);
  });

  it('refuses statuses and loaded messages that break the protocol', () => {
    const status = {
      serviceType: 16,
      currentState: 1,
      controlsAccepted: 0,
      win32ExitCode: 0,
      serviceSpecificExitCode: 0,
      checkPoint: 0,
      waitHint: 0,
    };
    expect(parseFromWorker({ status })).toBeDefined();
    expect(parseFromWorker({ status: { ...status, win32ExitCode: -1 } })).toBeUndefined();
    expect(parseFromWorker({ status: { ...status, win32ExitCode: 'x' } })).toBeUndefined();
    const loaded = { name: 'S', accepted: 1, userControls: false, stopTimeoutMs: 1, deviceEvents: false, deviceInterfaces: [] };
    expect(parseFromWorker({ loaded })).toBeDefined();
    expect(parseFromWorker({ loaded: { ...loaded, deviceInterfaces: ['C:\\evil'] } })).toBeUndefined();
    expect(parseFromWorker({ loaded: { ...loaded, deviceEvents: 'yes' } })).toBeUndefined();
    expect(parseFromWorker({ loaded: { ...loaded, deviceInterfaces: undefined } })).toBeUndefined();
  });
});
