/**
 * The supervisor: the main thread's side of one service, the same in a process of its own, in a
 * shared group and in `debug` (they differ only in where statuses and entries go, as Go's
 * svc/debug.Run mirrors svc.Run).
 *
 * Why every service runs in a worker thread, even alone in its process: the SCM's HandlerEx, the
 * stop timer and the checkpoints must not depend on the thread that runs the service's code.
 * When that code threw from a timer, rejected unhandled or called `process.exit()` on the main
 * thread, the JavaScript died while StartServiceCtrlDispatcherW kept a thread blocked, so the
 * process never ended (Node's exit path joins that thread) and the SCM said RUNNING for good; a
 * loop that never yields blocked HandlerEx and the stop timer with it. With the service in a
 * worker, the main thread stays free: it answers every control at once (control-answer.ts),
 * reports START_PENDING and STOP_PENDING with moving checkpoints, keeps the load and stop
 * deadlines, and ends a stuck or dead service itself: `worker.terminate()` stops even a busy loop
 * (V8 interrupts it), then STOPPED is reported with a documented exit code (exit-codes.ts),
 * SERVICE_FAILED is logged with the stack and a diagnostic report is written. The price is an
 * isolate per service, which `npm run bench` shows.
 *
 * What a service leaves behind goes with it: the processes it started (and their descendants)
 * are ended when it stops, after its own stop code ran (process-tree.ts), and its thread is
 * terminated whatever it still has open.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { ServiceControl, ServiceState, Win32Code } from '../../runtime/service/constants.ts';
import { AcceptedControls } from '../../runtime/service/service-flags.ts';
import { controlAnswer, isStopControl } from '../../runtime/service/control-answer.ts';
import {
  DEFAULT_FAILURE_EXIT_CODE,
  EXIT_CALLED_EXIT_CODE,
  LOAD_FAILURE_EXIT_CODE,
  STOP_TIMEOUT_EXIT_CODE,
  exitOfError,
  exitStatusOptions,
  statusExitCodes,
  type ServiceExitCode,
} from '../../runtime/service/exit-codes.ts';
import { isQueryEvent, type ServiceEvent } from '../../runtime/service/events.ts';
import { describeError } from '../../runtime/service/runner.ts';
import { QueryAnswers } from './query-answers.ts';
import { StatusReporter } from '../../runtime/service/status-reporter.ts';
import { setLongTimeout } from '../../runtime/service/timeouts.ts';
import { diagnosticsLock, releaseDiagnosticsLock } from './diagnostics.ts';
import { koffiAddonPath } from '../../runtime/win32/native-addon.ts';
import type { ServiceStatus } from '../../runtime/win32/advapi32/services.ts';
import type { ChildProcesses } from './process-tree.ts';
import type { HostEvents } from './service-events.ts';
import type { ServiceOutput } from '../capture/service-output.ts';
import type { ServiceLaunch } from './service-launch.ts';
import { parseFromWorker, type FromWorker, type LoadedInfo, type LogEntry, type RunMessage, type ToWorker } from './worker-messages.ts';
import { newServiceWorker, takePrewarmed, type ThreadStart } from './service-thread.ts';

/** How often a pending state the supervisor waits in (loading, stopping) is reported again with a higher checkpoint. */
export const CHECKPOINT_INTERVAL_MS = 1000;
/** How long a stuck service's thread gets to answer an interrupt before a report about it is given up. */
const REPORT_PROBE_MS = 1000;
/** The wait hint of those reports: several intervals, so one late tick is not taken for a hang. */
export const PENDING_WAIT_HINT_MS = 10_000;

/** The service's thread as the supervisor drives it (a worker; a fake one in unit tests). */
export interface ServiceThreadHandle {
  post(message: ToWorker | RunMessage): void;
  /** Ends the thread wherever its code is. */
  terminate(): void;
  /**
   * Resolves true when the thread answers an interrupt within `ms` (a loop does; a call blocked in
   * native code does not): only then can Node's report, which waits for every worker, be written.
   */
  answers(ms: number): Promise<boolean>;
  /** The thread's id (worker.threadId). */
  readonly threadId: number;
  /** The thread's stdout and stderr, when it was started to capture them. */
  stdout?: Readable;
  stderr?: Readable;
}

/** What the service's thread tells the supervisor. */
export interface ThreadEvents {
  /** A message, as the thread sent it: checked by the supervisor (parseFromWorker). */
  message(message: unknown): void;
  /** An uncaught exception or unhandled rejection ended the thread. */
  error(error: unknown): void;
  exit(code: number): void;
}

/** Starts the thread that runs `launch`; `capture`: its stdout and stderr come to this thread (ServiceThreadHandle.stdout/stderr). */
export type StartThread = (launch: ServiceLaunch, on: ThreadEvents, capture?: boolean) => ServiceThreadHandle;

/**
 * A worker thread evaluating the service thread's own program (service-thread-entry.ts says why it
 * is not host.exe's bundle), given as source.
 */
export const startWorkerThread: StartThread = (launch, on, capture = false) => {
  const start: ThreadStart = { launch, koffiAddon: koffiAddonPath(), reportLock: diagnosticsLock() };
  const { worker, port } = takePrewarmed(start, capture) ?? newServiceWorker(start, capture);
  port.on('message', on.message);
  worker.on('error', on.error);
  worker.on('exit', (code) => {
    port.close();
    on.exit(code);
  });
  return {
    post: (message) => port.postMessage(message),
    terminate: () => void worker.terminate(),
    answers: (ms) => answersWithin(worker, ms),
    threadId: worker.threadId,
    ...(capture && { stdout: worker.stdout, stderr: worker.stderr }),
  };
};

async function answersWithin(worker: Worker, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      worker.getHeapStatistics().then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where a supervised service's statuses and the host's entries about it go, and the seams tests replace. */
export interface SupervisorHooks {
  /** Receives every status, last of all STOPPED: SetServiceStatus under the SCM, the console in debug. */
  report(status: ServiceStatus): void;
  /** The host's entries about service `name` (the Event Log under the SCM, the console in debug). */
  events(name: string): HostEvents;
  /** SERVICE_WIN32_OWN_PROCESS or SERVICE_WIN32_SHARE_PROCESS. */
  serviceType: number;
  /**
   * Receives the Event Log entries the service's thread sends: the host's own about the service,
   * always (the Event Log under the SCM, the console in debug), and the service's own when
   * relayServiceEntries is set.
   */
  entry?: (entry: LogEntry) => void;
  /**
   * Debug mode: the service's own entries come to `entry` too (printed in order with the statuses).
   * Without it, the thread writes them to the Event Log itself: a postMessage per entry would cost
   * logMsg about nine tenths of its rate (npm run bench).
   */
  relayServiceEntries?: boolean;
  startThread?: StartThread;
  /** Keeps the service's child processes to end them with it (process-tree.ts serviceChildren). */
  children?: () => ChildProcesses;
  /** Writes a diagnostic report to a file (diagnostics.ts); false when it could not. */
  writeDiagnostics?: (file: string, error: Error) => boolean;
  /** Where service `name`'s diagnostic report goes (diagnostics.ts reportPath). */
  reportFile?: (name: string) => string;
  /** The files the service's stdout and stderr go to (capture/service-output.ts); none: not captured. */
  output?: (launch: ServiceLaunch) => ServiceOutput | undefined;
  /** `host.exe debug` runs the service (isDebugging() in it). */
  debugging?: boolean;
  /** The service has loaded (under the SCM: its device interface classes are registered then). */
  loaded?: (info: LoadedInfo) => void;
}

/** How long, after a service stopped, its thread may take to end before its log files are closed anyway. */
export const OUTPUT_DRAIN_TIMEOUT_MS = 2000;

/** Service threads of this process that have started and not yet ended (see diagnostics.ts). */
export const serviceThreads = { live: 0 };

type Phase = 'loading' | 'running' | 'stopping' | 'stopped';

/** Reports a service that could not even be launched (its registry parameters are missing or bad) as failed to start. */
export function reportStartFailure(name: string, hooks: SupervisorHooks, reason: string): void {
  const reporter = new StatusReporter(hooks.report, hooks.serviceType);
  reporter.report(ServiceState.START_PENDING);
  const events = hooks.events(name);
  events.starting();
  events.startFailed(reason);
  reporter.report(ServiceState.STOPPED, { exitCode: LOAD_FAILURE_EXIT_CODE });
}

/** The exit code of a STOPPED status the service's thread sent: its service-specific code, else its Win32 code. */
function exitOfStatus(serviceSpecificExitCode: number, win32ExitCode: number): ServiceExitCode {
  if (serviceSpecificExitCode !== 0 || win32ExitCode === Win32Code.ERROR_SERVICE_SPECIFIC_ERROR)
    return { serviceSpecific: serviceSpecificExitCode };
  return { win32: win32ExitCode };
}

/** One service from START_PENDING to STOPPED, whatever its code does. */
export class ServiceSupervisor {
  readonly #launch: ServiceLaunch;
  readonly #hooks: SupervisorHooks;
  readonly #reporter: StatusReporter;
  readonly #stopped = Promise.withResolvers<number>();
  readonly #children: ChildProcesses;
  #last: ServiceStatus | undefined;
  #thread: ServiceThreadHandle | undefined;
  #phase: Phase = 'loading';
  #name: string;
  #info: LoadedInfo | undefined;
  #exitCalled: { code: number; stack: string } | undefined;
  #cancelDeadline: () => void = () => {};
  #reportFile: string | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #output: ServiceOutput | undefined;
  readonly #threadEnded = Promise.withResolvers<void>();
  readonly #answers = new QueryAnswers();

  constructor(launch: ServiceLaunch, hooks: SupervisorHooks) {
    this.#launch = launch;
    this.#hooks = hooks;
    this.#name = launch.name;
    this.#children = hooks.children?.() ?? { add() {}, exited() {}, endAll() {} };
    this.#reporter = new StatusReporter((status) => {
      this.#last = status;
      hooks.report(status);
    }, hooks.serviceType);
    // Until the module has loaded, STOP is all a service accepts: the supervisor ends it at once.
    this.#reporter.controlsAccepted = AcceptedControls.of('STOP');
  }

  /** The service's name: the launch's, or the class's svcName once loaded (debug of a module file: its file name until then). */
  get name(): string {
    return this.#name || path.win32.basename(this.#launch.modulePath);
  }

  /** Settles with the exit code of the final STOPPED: the service-specific one, else the Win32 one (0: stopped cleanly). */
  get stopped(): Promise<number> {
    return this.#stopped.promise;
  }

  /**
   * Settles once the service has stopped and its output is in its files, closed: after its thread
   * ended (so what it wrote arrived), or OUTPUT_DRAIN_TIMEOUT_MS after it stopped. The host waits
   * for this before it ends the process.
   */
  get drained(): Promise<void> {
    return this.#stopped.promise.then(async () => {
      if (!this.#output) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, OUTPUT_DRAIN_TIMEOUT_MS)));
      await Promise.race([this.#threadEnded.promise, timeout]);
      clearTimeout(timer);
      this.#output.close();
    });
  }

  /** Reports START_PENDING and starts the service's thread under the load deadline. */
  start(): void {
    this.#reportFile = this.#hooks.reportFile?.(this.name);
    this.#reporter.report(ServiceState.START_PENDING, { waitHint: PENDING_WAIT_HINT_MS });
    this.#ticker = setInterval(() => this.#tick(), CHECKPOINT_INTERVAL_MS);
    const timeout = this.#launch.loadTimeoutMs;
    this.#cancelDeadline = setLongTimeout(() => void this.#loadTimedOut(timeout), timeout);
    const startThread = this.#hooks.startThread ?? startWorkerThread;
    this.#output = this.#hooks.output?.(this.#launch);
    try {
      const thread = startThread(
        {
          ...this.#launch,
          reportFile: this.#reportFile,
          relayEntries: this.#hooks.relayServiceEntries === true,
          debugging: this.#hooks.debugging === true,
        },
        {
          message: (message) => {
            const parsed = parseFromWorker(message);
            if (parsed) this.#onMessage(parsed);
          },
          error: (error) => this.#onError(error),
          exit: (code) => {
            serviceThreads.live--;
            // A report the thread was writing when it was ended leaves the process's lock to nobody.
            if (this.#thread) releaseDiagnosticsLock(this.#thread.threadId);
            this.#onExit(code);
            // Children it reported as it was being ended.
            this.#children.endAll();
            this.#threadEnded.resolve();
          },
        },
        this.#output !== undefined,
      );
      this.#thread = thread;
      serviceThreads.live++;
      if (this.#output && thread.stdout && thread.stderr) this.#output.attach(thread.stdout, thread.stderr);
    } catch (error) {
      this.#threadEnded.resolve();
      this.#hooks
        .events(this.name)
        .startFailed(`its thread could not be started: ${error instanceof Error ? error.message : String(error)}`);
      this.#finish(LOAD_FAILURE_EXIT_CODE);
    }
  }

  /**
   * HandlerEx: answers at once (control-answer.ts) and passes an accepted control to the service,
   * with its event decoded (event-decoders.ts); a query waits a bounded time for the service's answer (query-answers.ts).
   */
  control(control: number, event?: ServiceEvent): number {
    const context = {
      accepted: this.#last?.controlsAccepted ?? 0,
      userControls: this.#info?.userControls ?? false,
      deviceEvents: this.#info?.deviceEvents ?? false,
    };
    const answer = controlAnswer(control, context);
    if (answer !== Win32Code.NO_ERROR || this.#phase === 'stopped') return answer;
    if (control === ServiceControl.INTERROGATE) {
      this.#reporter.resend();
      return answer;
    }
    if (isStopControl(control)) {
      if (this.#phase === 'loading') {
        this.#stopWhileLoading();
        return answer;
      }
      this.#beginStop();
    }
    if (control === ServiceControl.PAUSE || control === ServiceControl.CONTINUE) this.#beginPauseOrContinue(control);
    if (event && isQueryEvent(event)) return this.#ask(control, event);
    this.#thread?.post(event ? { control, event } : { control });
    return answer;
  }

  /**
   * A pause or continue is pending from the moment it is accepted, as a stop is. The service's
   * thread reports the same a moment later, but whoever sent the control and then reads the status
   * (`host.exe pause`, `sc`, PowerShell) must not find the old settled state and take it for the end.
   */
  #beginPauseOrContinue(control: number): void {
    if (this.#phase !== 'running') return;
    const state = this.#last?.currentState;
    if (control === ServiceControl.PAUSE && state === ServiceState.RUNNING) {
      this.#reporter.report(ServiceState.PAUSE_PENDING, { waitHint: PENDING_WAIT_HINT_MS });
    } else if (control === ServiceControl.CONTINUE && state === ServiceState.PAUSED) {
      this.#reporter.report(ServiceState.CONTINUE_PENDING, { waitHint: PENDING_WAIT_HINT_MS });
    }
  }

  /** A query: granted unless the running service's method returns false in time (query-answers.ts). */
  #ask(control: number, event: ServiceEvent): number {
    const thread = this.#thread;
    if (this.#phase !== 'running' || !thread) return Win32Code.NO_ERROR;
    const denied = this.#answers.ask((query) => thread.post({ control, event, query }));
    return denied ? Win32Code.BROADCAST_QUERY_DENY : Win32Code.NO_ERROR;
  }

  /** Re-reports the pending state the supervisor is waiting in, so its checkpoint moves. */
  #tick(): void {
    if (this.#phase === 'loading' && this.#last?.currentState === ServiceState.START_PENDING) {
      this.#reporter.report(ServiceState.START_PENDING, { waitHint: PENDING_WAIT_HINT_MS });
    } else if (this.#phase === 'stopping') {
      this.#reporter.report(ServiceState.STOP_PENDING, { waitHint: PENDING_WAIT_HINT_MS });
    }
  }

  /** Nothing of the service has run yet but its module's top level: end its thread now. */
  #stopWhileLoading(): void {
    const events = this.#hooks.events(this.name);
    this.#reporter.report(ServiceState.STOP_PENDING, { waitHint: PENDING_WAIT_HINT_MS });
    events.stopping();
    events.stopped();
    this.#finish(0);
  }

  #beginStop(): void {
    if (this.#phase !== 'running') return;
    this.#phase = 'stopping';
    this.#reporter.report(ServiceState.STOP_PENDING, { waitHint: PENDING_WAIT_HINT_MS });
    const timeout = this.#info!.stopTimeoutMs;
    this.#cancelDeadline = setLongTimeout(() => void this.#stopTimedOut(timeout), timeout);
  }

  #onMessage(message: FromWorker): void {
    if ('loaded' in message) {
      this.#info = message.loaded;
      this.#name = message.loaded.name;
      this.#reporter.controlsAccepted = AcceptedControls.fromRaw(message.loaded.accepted);
      this.#cancelDeadline();
      if (this.#phase !== 'loading') return;
      this.#phase = 'running';
      this.#hooks.loaded?.(message.loaded);
      // Its svcDoRun starts now: a stop from here on reaches svcStop.
      this.#thread?.post({ run: true, answers: this.#answers.buffer });
    } else if ('child' in message) {
      if (message.exited) {
        this.#children.exited(message.child);
        return;
      }
      this.#children.add(message.child);
      // A child reported after the service ended (its thread was still running): ended at once.
      if (this.#phase === 'stopped') this.#children.endAll();
    } else if ('exitCalled' in message) {
      this.#exitCalled = message.exitCalled;
    } else if ('entry' in message) {
      this.#hooks.entry?.(message.entry);
    } else if (this.#phase !== 'stopped') {
      const { currentState, serviceSpecificExitCode, win32ExitCode, waitHint } = message.status;
      if (currentState === ServiceState.STOPPED) {
        this.#finish(exitOfStatus(serviceSpecificExitCode, win32ExitCode));
        return;
      }
      // While stopping, only the stop's own progress is news; a late pause or start report is not.
      if (this.#phase === 'stopping' && currentState !== ServiceState.STOP_PENDING) return;
      this.#reporter.report(currentState as ServiceState, { waitHint: waitHint || undefined });
    }
  }

  /** An uncaught exception or unhandled rejection in the service's code, wherever it was thrown. */
  #onError(error: unknown): void {
    if (this.#phase === 'stopped') return;
    this.#fail(describeError(error), exitOfError(error), false);
  }

  /** The thread ended without STOPPED: `process.exit()` in the service's code, or an end the error event did not tell. */
  #onExit(code: number): void {
    if (this.#phase === 'stopped') return;
    const called = this.#exitCalled;
    // process.exit()'s stack says where the service's code called it.
    const reason = called ? called.stack : `the service's thread ended with exit code ${code} before the service stopped`;
    this.#fail(reason, called ? called.code || EXIT_CALLED_EXIT_CODE : code || DEFAULT_FAILURE_EXIT_CODE, false);
  }

  async #loadTimedOut(timeout: number): Promise<void> {
    if (this.#phase !== 'loading') return;
    const reason = `${this.#launch.modulePath} did not finish loading within ${timeout} ms (a top-level await that never settles, or a loop at the top level?); set a longer limit with "host.exe update <name> --load-timeout <seconds>"`;
    const reported = await this.#reportStuck(Object.assign(new Error(reason), { stack: reason }));
    if (this.#phase !== 'loading') return;
    this.#thread?.terminate();
    const withReport = this.#withDiagnostics(reason, reported);
    this.#output?.failure(`[NodeService] The service failed to start: ${withReport}`);
    this.#hooks.events(this.name).startFailed(withReport);
    this.#finish(LOAD_FAILURE_EXIT_CODE);
  }

  async #stopTimedOut(timeout: number): Promise<void> {
    if (this.#phase !== 'stopping') return;
    const reason = `svcDoRun did not return within ${timeout} ms of the stop request (static svcStopTimeout); its code was ended`;
    // The host's own stack says nothing about the service: the report shows where its thread was.
    const reported = await this.#reportStuck(Object.assign(new Error(reason), { stack: reason }));
    if (this.#phase !== 'stopping') return;
    this.#fail(reason, STOP_TIMEOUT_EXIT_CODE, reported);
  }

  /**
   * Writes the report about a stuck thread from this thread, before it is ended, when it is the
   * only service thread of the process and it answers an interrupt (see diagnostics.ts): Node's
   * report waits for every worker with no time limit. True when written.
   */
  async #reportStuck(error: Error): Promise<boolean> {
    if (this.#reportFile === undefined || serviceThreads.live !== 1 || !this.#thread) return false;
    if (!(await this.#thread.answers(REPORT_PROBE_MS))) return false;
    if (serviceThreads.live !== 1 || this.#phase === 'stopped') return false;
    return this.#hooks.writeDiagnostics?.(this.#reportFile, error) ?? false;
  }

  /** `reported`: the report was written (by this thread, or by the service's as it crashed). `exit`: a number is service-specific. */
  #fail(reason: string, exitCode: number | ServiceExitCode, reported: boolean): void {
    this.#thread?.terminate();
    const text = this.#withDiagnostics(reason, reported);
    const events = this.#hooks.events(this.name);
    // Its module never finished loading (it threw from a timer, or exited, during its top level): a failed start.
    if (this.#phase === 'loading') {
      this.#output?.failure(`[NodeService] The service failed to start: ${text}`);
      events.startFailed(text);
      this.#finish(LOAD_FAILURE_EXIT_CODE);
      return;
    }
    // Node would print an uncaught error's stack to stderr; in a worker it comes here instead.
    this.#output?.failure(`[NodeService] The service failed: ${text}`);
    events.failed(text);
    this.#finish(exitCode);
  }

  /** `reason`, and where the diagnostic report about it is, if one was written. */
  #withDiagnostics(reason: string, reported: boolean): string {
    const file = this.#reportFile;
    return file !== undefined && (reported || fs.existsSync(file)) ? `${reason}\nDiagnostic report: ${file}` : reason;
  }

  /** Ends the service: its thread, the processes it started, then STOPPED. `exit`: a number is service-specific. */
  #finish(exit: number | ServiceExitCode): void {
    const exitCode: ServiceExitCode = typeof exit === 'number' ? { serviceSpecific: exit } : exit;
    this.#phase = 'stopped';
    this.#cancelDeadline();
    clearInterval(this.#ticker);
    this.#thread?.terminate();
    try {
      this.#children.endAll();
      this.#reporter.report(ServiceState.STOPPED, exitStatusOptions(exitCode));
    } finally {
      const codes = statusExitCodes(exitCode);
      this.#stopped.resolve(codes.serviceSpecificExitCode || codes.win32ExitCode);
    }
  }
}
