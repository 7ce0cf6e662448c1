import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AcceptControl, ServiceControl, ServiceState, ServiceType, Win32Code } from '../../../../runtime/service/constants.ts';
import { controlAnswer } from '../../../../runtime/service/control-answer.ts';
import { EXIT_CALLED_EXIT_CODE, LOAD_FAILURE_EXIT_CODE, STOP_TIMEOUT_EXIT_CODE } from '../../../../runtime/service/exit-codes.ts';
import { checkTimeout, MAX_TIMER_DELAY_MS, setLongTimeout } from '../../../../runtime/service/timeouts.ts';
import type { ServiceStatus } from '../../../../runtime/win32/advapi32/services.ts';
import {
  CHECKPOINT_INTERVAL_MS,
  PENDING_WAIT_HINT_MS,
  ServiceSupervisor,
  serviceThreads,
  type ThreadEvents,
} from '../../../../host/scm/supervisor.ts';
import type { ServiceLaunch } from '../../../../host/scm/service-launch.ts';
import { descendantsOf } from '../../../../host/scm/process-tree.ts';
import type { FromWorker, ToWorker } from '../../../../host/scm/worker-messages.ts';

const { STOP, PAUSE, CONTINUE, INTERROGATE, SHUTDOWN, PRESHUTDOWN } = ServiceControl;
const OK = Win32Code.NO_ERROR;
const NO = Win32Code.ERROR_CALL_NOT_IMPLEMENTED;

describe('controlAnswer', () => {
  const all = AcceptControl.STOP | AcceptControl.PAUSE_CONTINUE | AcceptControl.SHUTDOWN | AcceptControl.PRESHUTDOWN;
  it.each([
    // control, accepted, userControls, answer
    [INTERROGATE, 0, false, OK],
    [STOP, 0, false, NO],
    [STOP, AcceptControl.STOP, false, OK],
    [PAUSE, AcceptControl.STOP, false, NO],
    [PAUSE, AcceptControl.STOP | AcceptControl.PAUSE_CONTINUE, false, OK],
    [CONTINUE, AcceptControl.STOP, false, NO],
    [CONTINUE, AcceptControl.STOP | AcceptControl.PAUSE_CONTINUE, false, OK],
    [SHUTDOWN, AcceptControl.STOP, false, NO],
    [SHUTDOWN, AcceptControl.STOP | AcceptControl.SHUTDOWN, false, OK],
    [PRESHUTDOWN, AcceptControl.STOP, false, NO],
    [PRESHUTDOWN, AcceptControl.STOP | AcceptControl.PRESHUTDOWN, false, OK],
    [128, all, false, NO],
    [128, AcceptControl.STOP, true, OK],
    [255, AcceptControl.STOP, true, OK],
    [256, all, true, NO],
    [127, all, true, NO],
    [0x10, all, true, NO], // SERVICE_CONTROL_TIMECHANGE without its accept flag (a service without svcTimeChange)
  ])('control %i with accepted 0x%s, user controls %s → %i', (control, accepted, userControls, answer) => {
    expect(controlAnswer(control, { accepted, userControls })).toBe(answer);
  });
});

describe('timeouts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('checkTimeout takes positive numbers and Infinity, and names what is wrong', () => {
    expect(checkTimeout(1, 'x')).toBe(1);
    expect(checkTimeout(Infinity, 'x')).toBe(Infinity);
    for (const bad of [0, -1, Number.NaN, '5', null, undefined, 10n]) {
      expect(() => checkTimeout(bad, 'static svcStopTimeout')).toThrow(
        /^static svcStopTimeout must be a positive number of milliseconds, or Infinity/,
      );
    }
  });

  it('setLongTimeout never fires for Infinity and holds delays beyond what one Node timer can', () => {
    const fired = vi.fn();
    setLongTimeout(fired, Infinity);
    vi.advanceTimersByTime(10 * MAX_TIMER_DELAY_MS);
    expect(fired).not.toHaveBeenCalled();
    setLongTimeout(fired, MAX_TIMER_DELAY_MS * 2 + 5);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS * 2);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5);
    expect(fired).toHaveBeenCalledOnce();
    const cancelled = vi.fn();
    setLongTimeout(cancelled, 10)();
    vi.advanceTimersByTime(20);
    expect(cancelled).not.toHaveBeenCalled();
  });
});

function launch(overrides: Partial<ServiceLaunch> = {}): ServiceLaunch {
  return {
    name: 'Svc',
    modulePath: 'C:\\services\\svc.js',
    packageRoot: 'C:\\services',
    cwd: 'C:\\services',
    environment: {},
    args: [],
    loadTimeoutMs: 60_000,
    messageFiles: [],
    ...overrides,
  };
}

/** A supervisor driving a fake thread: what the thread would send is sent by the test. */
function harness(overrides: Partial<ServiceLaunch> = {}, serviceType: number = ServiceType.WIN32_OWN_PROCESS, answers = true) {
  const statuses: ServiceStatus[] = [];
  const posted: ToWorker[] = [];
  const terminated = vi.fn();
  const ended: number[][] = [];
  const events = {
    starting: vi.fn(),
    started: vi.fn(),
    stopping: vi.fn(),
    stopped: vi.fn(),
    failed: vi.fn(),
    startFailed: vi.fn(),
    controlFailed: vi.fn(),
    outputNotWritten: vi.fn(),
  };
  let thread!: ThreadEvents;
  const supervisor = new ServiceSupervisor(launch(overrides), {
    report: (status) => statuses.push(status),
    events: () => events,
    serviceType,
    entry: () => {},
    startThread: (_launch, on) => {
      thread = on;
      return {
        post: (message) => void ('control' in message && posted.push(message)),
        terminate: terminated,
        answers: async () => answers,
        threadId: 1,
      };
    },
    children: () => {
      const live = new Set<number>();
      return {
        add: (pid: number) => void live.add(pid),
        exited: (pid: number) => void live.delete(pid),
        endAll: () => {
          if (live.size > 0) ended.push([...live]);
          live.clear();
        },
      };
    },
    writeDiagnostics: (...args: unknown[]) => written(...(args as [])),
    reportFile: (name) => `C:\\ProgramData\\NodeService\\logs\\${name}\\report.json`,
  });
  supervisor.start();
  const send = (message: FromWorker | unknown) => thread.message(message);
  const written = vi.fn(() => true);
  const status = (currentState: number, serviceSpecificExitCode = 0) =>
    send({
      status: { serviceType, currentState, controlsAccepted: 0, win32ExitCode: 0, serviceSpecificExitCode, checkPoint: 0, waitHint: 0 },
    });
  const loaded = (accepted: number = AcceptControl.STOP, stopTimeoutMs = 30_000, userControls = false) => {
    send({ loaded: { name: 'Svc', accepted, userControls, stopTimeoutMs, deviceEvents: false, deviceInterfaces: [] } });
    status(ServiceState.RUNNING);
  };
  return {
    supervisor,
    statuses,
    posted,
    terminated,
    ended,
    events,
    written,
    thread: () => thread,
    send,
    status,
    loaded,
    states: () => statuses.map((s) => s.currentState),
    last: () => statuses.at(-1)!,
  };
}

describe('ServiceSupervisor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    serviceThreads.live = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('reports START_PENDING with moving checkpoints while the module loads, accepting STOP only', () => {
    const h = harness();
    vi.advanceTimersByTime(CHECKPOINT_INTERVAL_MS * 3);
    expect(h.statuses.map((s) => [s.currentState, s.checkPoint, s.controlsAccepted])).toEqual([
      [ServiceState.START_PENDING, 1, AcceptControl.STOP],
      [ServiceState.START_PENDING, 2, AcceptControl.STOP],
      [ServiceState.START_PENDING, 3, AcceptControl.STOP],
      [ServiceState.START_PENDING, 4, AcceptControl.STOP],
    ]);
    expect(h.supervisor.control(PAUSE)).toBe(NO);
  });

  it('relays the service thread statuses, passes accepted controls on and ends cleanly', async () => {
    const h = harness();
    h.loaded(AcceptControl.STOP | AcceptControl.PAUSE_CONTINUE);
    expect(h.last()).toMatchObject({
      currentState: ServiceState.RUNNING,
      controlsAccepted: AcceptControl.STOP | AcceptControl.PAUSE_CONTINUE,
    });
    expect(h.supervisor.control(PAUSE)).toBe(OK);
    expect(h.supervisor.control(SHUTDOWN)).toBe(NO);
    expect(h.supervisor.control(INTERROGATE)).toBe(OK);
    expect(h.supervisor.control(STOP)).toBe(OK);
    expect(h.posted).toEqual([{ control: PAUSE }, { control: STOP }]);
    h.send({ child: 42, exited: false });
    h.send({ child: 43, exited: false });
    h.send({ child: 43, exited: true });
    h.status(ServiceState.STOPPED);
    expect(await h.supervisor.stopped).toBe(0);
    expect(h.last()).toMatchObject({ currentState: ServiceState.STOPPED, win32ExitCode: 0, controlsAccepted: 0 });
    expect(h.ended).toEqual([[42]]);
    expect(h.terminated).toHaveBeenCalled();
    expect(h.events.failed).not.toHaveBeenCalled();
  });

  it('reports PAUSE_PENDING and CONTINUE_PENDING as it passes the control on, before the thread answers', () => {
    const h = harness();
    h.loaded(AcceptControl.STOP | AcceptControl.PAUSE_CONTINUE);
    expect(h.supervisor.control(CONTINUE)).toBe(OK);
    expect(h.last().currentState).toBe(ServiceState.RUNNING);
    expect(h.supervisor.control(PAUSE)).toBe(OK);
    expect(h.last()).toMatchObject({ currentState: ServiceState.PAUSE_PENDING, waitHint: PENDING_WAIT_HINT_MS });
    h.status(ServiceState.PAUSED);
    expect(h.supervisor.control(CONTINUE)).toBe(OK);
    expect(h.last().currentState).toBe(ServiceState.CONTINUE_PENDING);
    expect(h.posted).toEqual([{ control: CONTINUE }, { control: PAUSE }, { control: CONTINUE }]);
  });

  it('answers PRESHUTDOWN in a shared group when the service accepts it, and stops', () => {
    const h = harness({}, ServiceType.WIN32_SHARE_PROCESS);
    h.loaded(AcceptControl.STOP | AcceptControl.PRESHUTDOWN);
    expect(h.supervisor.control(PRESHUTDOWN)).toBe(OK);
    expect(h.posted).toEqual([{ control: PRESHUTDOWN }]);
    expect(h.last()).toMatchObject({ currentState: ServiceState.STOP_PENDING, serviceType: ServiceType.WIN32_SHARE_PROCESS });
  });

  it('ends a service whose svcDoRun ignores a stop after its stop timeout: STOPPED 3, its thread and children ended', async () => {
    const h = harness();
    h.loaded(AcceptControl.STOP, 3000);
    h.send({ child: 7, exited: false });
    h.supervisor.control(STOP);
    vi.advanceTimersByTime(2500);
    // STOP_PENDING goes on being reported with rising checkpoints though the thread says nothing.
    const pending = h.statuses.filter((s) => s.currentState === ServiceState.STOP_PENDING);
    expect(pending.map((s) => s.checkPoint)).toEqual([1, 2, 3]);
    expect(h.terminated).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(await h.supervisor.stopped).toBe(STOP_TIMEOUT_EXIT_CODE);
    expect(h.last()).toMatchObject({
      currentState: ServiceState.STOPPED,
      win32ExitCode: 1066,
      serviceSpecificExitCode: STOP_TIMEOUT_EXIT_CODE,
    });
    expect(h.terminated).toHaveBeenCalled();
    expect(h.ended).toEqual([[7]]);
    expect(h.events.failed).toHaveBeenCalledWith(
      'svcDoRun did not return within 3000 ms of the stop request (static svcStopTimeout); its code was ended\nDiagnostic report: C:\\ProgramData\\NodeService\\logs\\Svc\\report.json',
    );
  });

  it('writes no report from the main thread about a stuck service while other service threads run', async () => {
    const other = harness();
    other.loaded();
    const h = harness();
    h.loaded(AcceptControl.STOP, 1000);
    h.supervisor.control(STOP);
    vi.advanceTimersByTime(1000);
    expect(await h.supervisor.stopped).toBe(STOP_TIMEOUT_EXIT_CODE);
    expect(h.events.failed).toHaveBeenCalledWith(
      'svcDoRun did not return within 1000 ms of the stop request (static svcStopTimeout); its code was ended',
    );
  });

  it('ignores messages that are not the protocol (the service code can post on its thread ports)', () => {
    const h = harness();
    h.loaded();
    for (const junk of [
      'ready',
      {},
      null,
      42,
      { status: null },
      { status: { currentState: 99, waitHint: 0, serviceSpecificExitCode: 0 } },
      { status: { currentState: 1, waitHint: -1, serviceSpecificExitCode: 0 } },
      { loaded: { name: 5 } },
      { child: 'x', exited: false },
      { entry: { source: 's', type: 4, id: 1, inserts: [1] } },
    ]) {
      expect(() => h.send(junk)).not.toThrow();
    }
    expect(h.states()).toEqual([ServiceState.START_PENDING, ServiceState.RUNNING]);
  });

  it('reports a crash while the module loads as a failed start (1066/2)', async () => {
    const h = harness();
    h.thread().error(new Error('thrown from a timer at the top level'));
    expect(await h.supervisor.stopped).toBe(LOAD_FAILURE_EXIT_CODE);
    expect(h.events.startFailed.mock.calls[0]![0]).toMatch(/^Error: thrown from a timer at the top level/);
    expect(h.events.failed).not.toHaveBeenCalled();
  });

  it('ends a child the thread reports after the service was ended', async () => {
    const h = harness();
    h.loaded();
    h.thread().error(new Error('boom'));
    await h.supervisor.stopped;
    h.send({ child: 77, exited: false });
    expect(h.ended).toEqual([[77]]);
  });

  it('writes no report about a stuck thread that does not answer an interrupt (blocked in native code)', async () => {
    const h = harness({}, ServiceType.WIN32_OWN_PROCESS, false);
    h.loaded(AcceptControl.STOP, 1000);
    h.supervisor.control(STOP);
    vi.advanceTimersByTime(1000);
    expect(await h.supervisor.stopped).toBe(STOP_TIMEOUT_EXIT_CODE);
    expect(h.written).not.toHaveBeenCalled();
    expect(h.events.failed.mock.calls[0]![0]).not.toContain('Diagnostic report');
  });

  it('waits for ever with svcStopTimeout = Infinity', () => {
    const h = harness();
    h.loaded(AcceptControl.STOP, Infinity);
    h.supervisor.control(STOP);
    vi.advanceTimersByTime(3600 * 1000); // setLongTimeout holds longer delays (tested above); the checkpoint ticker makes each hour 3600 callbacks
    expect(h.last().currentState).toBe(ServiceState.STOP_PENDING);
    expect(h.terminated).not.toHaveBeenCalled();
  });

  it('reports an uncaught error of the service thread as SERVICE_FAILED with its stack and STOPPED 1066', async () => {
    const h = harness();
    h.loaded();
    h.thread().error(Object.assign(new Error('boom'), { stack: 'Error: boom\n    at timer (svc.js:3:9)', exitCode: 9 }));
    h.thread().exit(1);
    expect(await h.supervisor.stopped).toBe(9);
    expect(h.last()).toMatchObject({ currentState: ServiceState.STOPPED, win32ExitCode: 1066, serviceSpecificExitCode: 9 });
    expect(h.events.failed).toHaveBeenCalledOnce();
    // The crashed thread writes its own report; none was written here, so none is named.
    expect(h.events.failed.mock.calls[0]![0]).toBe('Error: boom\n    at timer (svc.js:3:9)');
    const thrown = harness();
    thrown.loaded();
    thrown.thread().error('a string');
    expect(await thrown.supervisor.stopped).toBe(1);
  });

  it('reports process.exit(n) by the service code with n, and process.exit(0) with 4, with the caller stack', async () => {
    const five = harness();
    five.loaded();
    five.send({ exitCalled: { code: 5, stack: 'Error: process.exit(5) was called\n    at svcDoRun (svc.js:9:13)' } });
    five.thread().exit(5);
    expect(await five.supervisor.stopped).toBe(5);
    expect(five.events.failed.mock.calls[0]![0]).toMatch(/^Error: process\.exit\(5\) was called\n {4}at svcDoRun/);
    const zero = harness();
    zero.loaded();
    zero.send({ exitCalled: { code: 0, stack: 'Error: process.exit(0) was called' } });
    zero.thread().exit(0);
    expect(await zero.supervisor.stopped).toBe(EXIT_CALLED_EXIT_CODE);
    expect(zero.last()).toMatchObject({ win32ExitCode: 1066, serviceSpecificExitCode: EXIT_CALLED_EXIT_CODE });
  });

  it('fails the start of a module that does not load within its load timeout: STOPPED 2, thread ended', async () => {
    const h = harness({ loadTimeoutMs: 3000 });
    vi.advanceTimersByTime(2999);
    expect(h.terminated).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(await h.supervisor.stopped).toBe(LOAD_FAILURE_EXIT_CODE);
    expect(h.terminated).toHaveBeenCalled();
    expect(h.events.startFailed.mock.calls[0]![0]).toMatch(/^C:\\services\\svc\.js did not finish loading within 3000 ms/);
    expect(h.last()).toMatchObject({ currentState: ServiceState.STOPPED, serviceSpecificExitCode: LOAD_FAILURE_EXIT_CODE });
  });

  it('stops a service that is still loading at once, cleanly', async () => {
    const h = harness();
    expect(h.supervisor.control(STOP)).toBe(OK);
    expect(await h.supervisor.stopped).toBe(0);
    expect(h.states()).toEqual([ServiceState.START_PENDING, ServiceState.STOP_PENDING, ServiceState.STOPPED]);
    expect(h.terminated).toHaveBeenCalled();
    expect(h.posted).toEqual([]);
    // Whatever the ended thread still says is not news.
    h.status(ServiceState.RUNNING);
    h.thread().exit(1);
    expect(h.states().at(-1)).toBe(ServiceState.STOPPED);
    expect(h.events.failed).not.toHaveBeenCalled();
  });
});

describe('descendantsOf', () => {
  const entry = (processId: number, parentProcessId: number) => ({ processId, parentProcessId, exeFile: '' });

  it("finds a service's children and their descendants, parents first, never the host itself", () => {
    const processes = [
      entry(1, 0),
      entry(100, 1),
      entry(10, 100),
      entry(11, 10),
      entry(12, 11),
      entry(20, 100),
      entry(30, 1),
      entry(31, 30),
    ];
    expect(descendantsOf([10], processes, 100)).toEqual([10, 11, 12]);
    expect(descendantsOf([10, 20], processes, 100)).toEqual([10, 20, 11, 12]);
    // The host (100) is never ended, even when a child's tree would lead back to it.
    expect(descendantsOf([100, 10], processes, 100)).toEqual([10, 11, 12]);
  });

  it('counts a process as a descendant only when it was created after its parent (its parent id may name a reused pid)', () => {
    const processes = [entry(10, 1), entry(11, 10), entry(12, 10)];
    const born = new Map([
      [10, 100n],
      [11, 150n],
      [12, 50n],
    ]);
    expect(descendantsOf([10], processes, 1, (pid) => born.get(pid))).toEqual([10, 11]);
  });

  it('skips roots that are gone and survives cycles a reused pid could make', () => {
    const processes = [entry(10, 11), entry(11, 10), entry(12, 10)];
    expect(descendantsOf([10], processes, 1)).toEqual([10, 11, 12]);
    expect(descendantsOf([99], processes, 1)).toEqual([]);
  });
});
