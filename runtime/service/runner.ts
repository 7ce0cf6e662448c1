/**
 * Runs one service instance: the state machine between the SCM's controls and the author's
 * `svc*` methods. Independent of Win32, so debug mode and the tests drive it too. It runs on the
 * service's own thread; the deadlines (load, stop timeout), the checkpoints while stopping and the
 * answer to each control are kept by the host's supervisor on another thread (host/scm/supervisor.ts),
 * because this thread may be stuck in the service's code.
 * @module
 */
import { ServiceControl, ServiceState } from './constants.ts';
import { AcceptedControls, type AcceptedControl } from './service-flags.ts';
import { USER_CONTROL_MAX, USER_CONTROL_MIN } from './control-answer.ts';
import { attachServiceHost, type ServiceClass, type ServiceInstance } from './framework.ts';
import type { StatusReporter } from './status-reporter.ts';
import { checkTimeout } from './timeouts.ts';
import { exitOfError, exitStatusOptions, isServiceExitCode, type ServiceExitCode } from './exit-codes.ts';
import type { ServiceEvent } from './events.ts';
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

/** How long svcDoRun may take to return after a stop request when the class sets no `svcStopTimeout`. */
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/** The controls that follow from the methods a service has, as pywin32 derives them (STOP always). */
export function controlsAcceptedBy(service: ServiceInstance): AcceptedControls {
  const accepted: AcceptedControl[] = ['STOP'];
  if (service.svcPause && service.svcContinue) accepted.push('PAUSE_CONTINUE');
  if (service.svcShutdown) accepted.push('SHUTDOWN');
  if (service.svcPreshutdown) accepted.push('PRESHUTDOWN');
  if (service.svcParamChange) accepted.push('PARAMCHANGE');
  if (service.svcNetBindAdd || service.svcNetBindRemove || service.svcNetBindEnable || service.svcNetBindDisable)
    accepted.push('NETBINDCHANGE');
  if (service.svcHardwareProfileChange) accepted.push('HARDWAREPROFILECHANGE');
  if (service.svcPowerEvent) accepted.push('POWEREVENT');
  if (service.svcSessionChange) accepted.push('SESSIONCHANGE');
  if (service.svcTimeChange) accepted.push('TIMECHANGE');
  if (service.svcTriggerEvent) accepted.push('TRIGGEREVENT');
  return AcceptedControls.of(...accepted);
}

/** The method an event goes to, and what it is given. */
function eventCall(service: ServiceInstance, event: ServiceEvent): [string, (() => unknown) | undefined] {
  switch (event.kind) {
    case 'session-change': {
      const { kind: _, ...data } = event;
      return ['svcSessionChange', service.svcSessionChange && (() => service.svcSessionChange?.(data))];
    }
    case 'power': {
      const { kind: _, ...data } = event;
      return ['svcPowerEvent', service.svcPowerEvent && (() => service.svcPowerEvent?.(data))];
    }
    case 'device': {
      const { kind: _, ...data } = event;
      return ['svcDeviceEvent', service.svcDeviceEvent && (() => service.svcDeviceEvent?.(data))];
    }
    case 'time-change': {
      const { kind: _, ...data } = event;
      return ['svcTimeChange', service.svcTimeChange && (() => service.svcTimeChange?.(data))];
    }
    case 'hardware-profile': {
      const { kind: _, ...data } = event;
      return ['svcHardwareProfileChange', service.svcHardwareProfileChange && (() => service.svcHardwareProfileChange?.(data))];
    }
    case 'trigger':
      return ['svcTriggerEvent', service.svcTriggerEvent && (() => service.svcTriggerEvent?.())];
    case 'param-change':
      return ['svcParamChange', service.svcParamChange && (() => service.svcParamChange?.())];
    case 'net-bind': {
      const method = `svcNetBind${event.change[0]!.toUpperCase()}${event.change.slice(1)}` as
        | 'svcNetBindAdd'
        | 'svcNetBindRemove'
        | 'svcNetBindEnable'
        | 'svcNetBindDisable';
      return [method, service[method] && (() => service[method]?.())];
    }
  }
}

/** The text logged for a thrown value: the stack when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** The class's `svcStopTimeout` (default 30 000 ms; Infinity: no limit); throws for nonsense. */
export function stopTimeoutOf(serviceClass: Partial<ServiceClass>): number {
  const timeout = serviceClass.svcStopTimeout;
  return timeout === undefined
    ? DEFAULT_STOP_TIMEOUT_MS
    : checkTimeout(timeout, `static svcStopTimeout of ${(serviceClass as { name?: string }).name || 'the service'}`);
}

/** Drives one service instance through its life. */
export class ServiceRunner {
  readonly #stop = new AbortController();
  readonly #counters: PublishedCounterSet;
  private readonly service: ServiceInstance;
  private readonly reporter: StatusReporter;
  private readonly events: ServiceEvents;

  /** Publishes the class's counter set under `serviceName` (default: its svcName) until the service stops. */
  constructor(
    service: ServiceInstance,
    reporter: StatusReporter,
    events: ServiceEvents,
    args: readonly string[] = [],
    serviceName?: string,
  ) {
    const serviceClass = service.constructor as Partial<ServiceClass>;
    this.#counters = openServiceCounters(serviceClass.svcCounters, serviceName ?? serviceClass.svcName ?? '');
    this.service = service;
    this.reporter = reporter;
    this.events = events;
    reporter.controlsAccepted = controlsAcceptedBy(service);
    attachServiceHost(service, {
      reportServiceStatus: (state, options) => reporter.report(state, options),
      stopSignal: this.#stop.signal,
      args,
      counterSet: this.#counters,
    });
  }

  /**
   * Reports RUNNING, runs svcDoRun to its end, then reports STOPPED (with an exit code if it
   * failed). Keeps the thread alive meanwhile, even when the service only awaits its stop signal.
   */
  async run(): Promise<void> {
    const keepAlive = setInterval(() => {}, 1 << 30);
    let failure: { error: unknown } | undefined;
    let exit: ServiceExitCode | undefined;
    try {
      this.reporter.report(ServiceState.RUNNING);
      this.events.started();
      const result = await this.service.svcDoRun();
      if (isServiceExitCode(result)) exit = result;
    } catch (error) {
      failure = { error };
    }
    clearInterval(keepAlive);
    this.#stop.abort();
    this.#closeCounters();
    if (failure) {
      this.events.failed(describeError(failure.error));
      this.reporter.report(ServiceState.STOPPED, exitStatusOptions(exitOfError(failure.error)));
    } else {
      this.events.stopped();
      this.reporter.report(ServiceState.STOPPED, exitStatusOptions(exit));
    }
  }

  #closeCounters(): void {
    try {
      this.#counters.close();
    } catch (error) {
      this.events.controlFailed('counters', describeError(error));
    }
  }

  /**
   * Carries out one control the supervisor accepted (see control-answer.ts for the answer the SCM
   * gets); a control the service has no method for is ignored. For an event (`event`, decoded on
   * the main thread), resolves to what its method returned, which answers a query (false refuses);
   * undefined when the method threw or there is none.
   */
  handleControl(control: number, event?: ServiceEvent): Promise<unknown> | void {
    const { service } = this;
    if (event) return this.#deliver(event);
    switch (control) {
      case ServiceControl.STOP:
        return this.#beginStop([]);
      case ServiceControl.SHUTDOWN:
        if (service.svcShutdown) this.#beginStop([['svcShutdown', () => service.svcShutdown?.()]]);
        return;
      case ServiceControl.PRESHUTDOWN:
        if (service.svcPreshutdown) this.#beginStop([['svcPreshutdown', () => service.svcPreshutdown?.()]]);
        return;
      case ServiceControl.PAUSE:
        return this.#transition(ServiceState.RUNNING, ServiceState.PAUSE_PENDING, ServiceState.PAUSED, 'svcPause', service.svcPause);
      case ServiceControl.CONTINUE:
        return this.#transition(
          ServiceState.PAUSED,
          ServiceState.CONTINUE_PENDING,
          ServiceState.RUNNING,
          'svcContinue',
          service.svcContinue,
        );
      case ServiceControl.INTERROGATE:
        return this.reporter.resend();
      default:
        if (control >= USER_CONTROL_MIN && control <= USER_CONTROL_MAX && service.svcOtherControl) {
          void this.#call('svcOtherControl', () => service.svcOtherControl?.(control));
        }
    }
  }

  /** Stops the service: STOP_PENDING, the stop signal, then svcStop; svcDoRun's return ends it. */
  #beginStop(before: [string, () => unknown][]): void {
    if (this.#stop.signal.aborted) return;
    this.reporter.report(ServiceState.STOP_PENDING);
    this.events.stopping();
    void (async () => {
      for (const [method, call] of before) await this.#call(method, call);
      this.#stop.abort();
      await this.#call('svcStop', () => this.service.svcStop?.());
    })();
  }

  #transition(from: ServiceState, pending: ServiceState, to: ServiceState, method: string, fn: (() => unknown) | undefined): void {
    if (!fn || !this.reporter.controlsAccepted.has('PAUSE_CONTINUE')) return;
    if (this.reporter.state !== from) return;
    this.reporter.report(pending);
    void this.#call(method, () => fn.call(this.service)).then((ok) => {
      if (this.#stop.signal.aborted) return;
      this.reporter.report(ok ? to : from);
    });
  }

  /** Calls an event's method (not once the service is stopping); resolves to what it returned. */
  async #deliver(event: ServiceEvent): Promise<unknown> {
    const [method, call] = eventCall(this.service, event);
    if (!call || this.#stop.signal.aborted) return undefined;
    let result: unknown;
    const ok = await this.#call(method, async () => {
      result = await call();
    });
    return ok ? result : undefined;
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
