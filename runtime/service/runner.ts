/**
 * Runs one service instance: the state machine between the SCM's controls and the author's
 * `svc*` methods. Independent of Win32, so debug mode and the tests drive it too.
 * @module
 */
import { AcceptControl, ServiceControl, ServiceState, Win32Code } from './constants.ts';
import { attachServiceHost, type ServiceClass, type ServiceInstance } from './framework.ts';
import type { StatusReporter } from './status-reporter.ts';
import { openServiceCounters } from '../perf/service-counters.ts';
import type { PublishedCounterSet } from '../perf/publish.ts';

/** Where the runner reports what happened: the Event Log under the SCM, the console in debug mode. */
export interface ServiceEvents {
  started(): void;
  stopping(): void;
  stopped(): void;
  failed(reason: string): void;
  /** A control method (svcStop, svcPause…) threw; the service goes on. */
  controlFailed(method: string, reason: string): void;
}

/** How often STOP_PENDING is reported again, with a higher checkpoint, while the service stops. */
export const STOP_CHECKPOINT_INTERVAL_MS = 1000;

/** The service-specific exit code reported when svcDoRun throws an error without an `exitCode`. */
export const DEFAULT_FAILURE_EXIT_CODE = 1;

/** How long svcDoRun may take to return after a stop request when the class sets no `svcStopTimeout`. */
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/** The service-specific exit code of a service whose svcDoRun did not return in time after a stop request. */
export const STOP_TIMEOUT_EXIT_CODE = 3;

/** The AcceptControl flags that follow from the methods a service has. */
export function acceptedControls(service: ServiceInstance): number {
  let accepted = AcceptControl.STOP;
  if (service.svcPause && service.svcContinue) accepted |= AcceptControl.PAUSE_CONTINUE;
  if (service.svcShutdown) accepted |= AcceptControl.SHUTDOWN;
  if (service.svcPreshutdown) accepted |= AcceptControl.PRESHUTDOWN;
  return accepted;
}

/** The text logged for a thrown value: the stack when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

function stopTimeoutOf(service: ServiceInstance): number {
  const timeout = (service.constructor as Partial<ServiceClass>).svcStopTimeout;
  return typeof timeout === 'number' && timeout > 0 ? timeout : DEFAULT_STOP_TIMEOUT_MS;
}

function exitCodeOf(error: unknown): number {
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' && Number.isInteger(code) && code > 0 ? code : DEFAULT_FAILURE_EXIT_CODE;
}

/** Drives one service instance through its life. */
export class ServiceRunner {
  readonly #stop = new AbortController();
  /** Rejects when svcDoRun has not returned within the stop timeout. */
  readonly #stopDeadline = Promise.withResolvers<never>();
  #stopTicker: NodeJS.Timeout | undefined;
  #stopTimer: NodeJS.Timeout | undefined;
  readonly #counters: PublishedCounterSet;
  private readonly service: ServiceInstance;
  private readonly reporter: StatusReporter;
  private readonly events: ServiceEvents;

  /** Publishes the class's counter set under `serviceName` (default: its svcName) until the service stops. */
  constructor(service: ServiceInstance, reporter: StatusReporter, events: ServiceEvents, args: readonly string[] = [], serviceName?: string) {
    const serviceClass = service.constructor as Partial<ServiceClass>;
    this.#counters = openServiceCounters(serviceClass.svcCounters, serviceName ?? serviceClass.svcName ?? '');
    this.service = service;
    this.reporter = reporter;
    this.events = events;
    this.#stopDeadline.promise.catch(() => {});
    reporter.controlsAccepted = acceptedControls(service);
    attachServiceHost(service, {
      reportServiceStatus: (state, options) => reporter.report(state, options),
      stopSignal: this.#stop.signal,
      args,
      counterSet: this.#counters,
    });
  }

  /**
   * Reports RUNNING, runs svcDoRun to its end, then reports STOPPED (with an exit code if it
   * failed, or if it had not returned within the stop timeout after a stop request). Keeps the
   * process alive meanwhile, even when the service only awaits its stop signal.
   */
  async run(): Promise<void> {
    const keepAlive = setInterval(() => {}, 1 << 30);
    let failure: { error: unknown } | undefined;
    try {
      this.reporter.report(ServiceState.RUNNING);
      this.events.started();
      await Promise.race([this.service.svcDoRun(), this.#stopDeadline.promise]);
    } catch (error) {
      failure = { error };
    }
    clearInterval(keepAlive);
    clearInterval(this.#stopTicker);
    clearTimeout(this.#stopTimer);
    this.#stop.abort();
    this.#closeCounters();
    if (failure) {
      this.events.failed(describeError(failure.error));
      this.reporter.report(ServiceState.STOPPED, { exitCode: exitCodeOf(failure.error) });
    } else {
      this.events.stopped();
      this.reporter.report(ServiceState.STOPPED);
    }
  }

  #closeCounters(): void {
    try {
      this.#counters.close();
    } catch (error) {
      this.events.controlFailed('counters', describeError(error));
    }
  }

  /** Handles one control (HandlerEx); returns the Win32 code HandlerEx returns. */
  handleControl(control: number): number {
    const { service } = this;
    switch (control) {
      case ServiceControl.STOP:
        this.#beginStop([]);
        return Win32Code.NO_ERROR;
      case ServiceControl.SHUTDOWN:
        if (!service.svcShutdown) return Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
        this.#beginStop([['svcShutdown', () => service.svcShutdown?.()]]);
        return Win32Code.NO_ERROR;
      case ServiceControl.PRESHUTDOWN:
        if (!service.svcPreshutdown) return Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
        this.#beginStop([['svcPreshutdown', () => service.svcPreshutdown?.()]]);
        return Win32Code.NO_ERROR;
      case ServiceControl.PAUSE:
        return this.#transition(ServiceState.RUNNING, ServiceState.PAUSE_PENDING, ServiceState.PAUSED, 'svcPause', service.svcPause);
      case ServiceControl.CONTINUE:
        return this.#transition(ServiceState.PAUSED, ServiceState.CONTINUE_PENDING, ServiceState.RUNNING, 'svcContinue', service.svcContinue);
      case ServiceControl.INTERROGATE:
        this.reporter.resend();
        return Win32Code.NO_ERROR;
      default:
        if (control >= 128 && control <= 255 && service.svcOtherControl) {
          void this.#call('svcOtherControl', () => service.svcOtherControl?.(control));
          return Win32Code.NO_ERROR;
        }
        return Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
    }
  }

  /** Stops the service: STOP_PENDING with rising checkpoints until svcDoRun has returned. */
  #beginStop(before: [string, () => unknown][]): void {
    if (this.#stop.signal.aborted) return;
    this.reporter.report(ServiceState.STOP_PENDING);
    this.events.stopping();
    this.#stopTicker = setInterval(() => this.reporter.report(ServiceState.STOP_PENDING), STOP_CHECKPOINT_INTERVAL_MS);
    const timeout = stopTimeoutOf(this.service);
    this.#stopTimer = setTimeout(() => {
      const message = `svcDoRun did not return within ${timeout} ms of the stop request (static svcStopTimeout)`;
      // The runner's own stack says nothing about the service: log the message alone.
      this.#stopDeadline.reject(Object.assign(new Error(message), { exitCode: STOP_TIMEOUT_EXIT_CODE, stack: message }));
    }, timeout);
    void (async () => {
      for (const [method, call] of before) await this.#call(method, call);
      this.#stop.abort();
      await this.#call('svcStop', () => this.service.svcStop?.());
    })();
  }

  #transition(from: ServiceState, pending: ServiceState, to: ServiceState, method: string, fn: (() => unknown) | undefined): number {
    if (!fn || !(this.reporter.controlsAccepted & AcceptControl.PAUSE_CONTINUE)) return Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
    if (this.reporter.state !== from) return Win32Code.NO_ERROR;
    this.reporter.report(pending);
    void this.#call(method, () => fn.call(this.service)).then((ok) => {
      if (this.#stop.signal.aborted) return;
      this.reporter.report(ok ? to : from);
    });
    return Win32Code.NO_ERROR;
  }

  /** Calls a control method; a throw is reported and swallowed. Resolves to whether it succeeded. */
  async #call(method: string, fn: () => unknown): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (error) {
      this.events.controlFailed(method, describeError(error));
      return false;
    }
  }
}
