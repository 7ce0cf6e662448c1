/**
 * The class services extend.
 * @module
 */
import type { ServiceState } from './constants.ts';
import type { ServiceExitCode } from './exit-codes.ts';
import type { DeviceEvent, HardwareProfileChangeEvent, PowerEvent, SessionChangeEvent, TimeChangeEvent } from './events.ts';
import type { DeviceInterfaceClasses } from './device-interfaces.ts';
import type { ServiceTrigger } from '../control/triggers.ts';
import { startReason, type StartReason } from './run-mode.ts';
import type { CounterKeys, CounterSetDefinition } from '../perf/counter-set.ts';
import type { Counters } from '../perf/counters.ts';
import type { PublishedCounterSet } from '../perf/publish.ts';

/** Options for {@link ServiceFramework.reportServiceStatus}. */
export interface StatusOptions {
  /** Milliseconds the SCM should wait before expecting the next report in a pending state. */
  waitHint?: number;
  /** Progress counter for pending states; the framework increments it when left out. */
  checkPoint?: number;
  /** Service-specific exit code, reported with ERROR_SERVICE_SPECIFIC_ERROR when not 0. */
  exitCode?: number;
  /** A plain Win32 exit code (SERVICE_STATUS.dwWin32ExitCode), used when `exitCode` is 0 or left out. */
  win32ExitCode?: number;
}

/** What the host gives a service instance: the SCM link and the stop signal. Internal. */
export interface ServiceHostLink {
  reportServiceStatus(state: ServiceState, options?: StatusOptions): void;
  readonly stopSignal: AbortSignal;
  readonly args: readonly string[];
  readonly counterSet: PublishedCounterSet;
}

const links = new WeakMap<ServiceFramework, ServiceHostLink>();

/** Connects an instance to the host running it. Called by the host before `svcDoRun`. Internal. */
export function attachServiceHost(service: ServiceFramework, link: ServiceHostLink): void {
  links.set(service, link);
}

function linkOf(service: ServiceFramework): ServiceHostLink {
  const link = links.get(service);
  if (!link) throw new Error(`${service.constructor.name} is not running under NodeService (start it with host.exe, not with new)`);
  return link;
}

/**
 * The base class of a NodeService service, as pywin32's `win32serviceutil.ServiceFramework`.
 *
 * A service runs until {@link svcDoRun} returns. Stop requests abort {@link stopSignal} and then
 * call {@link svcStop} if the class has one, so the idiomatic service awaits its work until the
 * signal fires. The controls the service accepts follow from the methods it has: pause and
 * continue with `svcPause` and `svcContinue`, shutdown with `svcShutdown`, pre-shutdown (notice
 * before shutdown, for as long as the service's pre-shutdown timeout) with `svcPreshutdown`,
 * codes 128–255 with `svcOtherControl`, and each of the SCM's events with its method
 * (`svcSessionChange`, `svcPowerEvent`, `svcTimeChange`… see {@link ServiceHooks}).
 *
 * svcDoRun may return a {@link ServiceExitCode} to stop with an exit code the SCM records
 * (`ServiceExitCode.win32(1231)`); a thrown error stops it with its `win32ExitCode` or `exitCode`.
 *
 * A service publishes Performance Monitor counters by declaring them in `static svcCounters`
 * (see {@link defineCounters}) and passing their type as the class's type argument, which types
 * {@link counters}.
 *
 * @example
 * ```ts
 * import { ServiceFramework } from 'nodeservice';
 * import { once } from 'node:events';
 *
 * export default class SmallestService extends ServiceFramework {
 *   static svcName = 'SmallestService';
 *   static svcDisplayName = 'The smallest possible NodeService service';
 *   async svcDoRun() {
 *     await once(this.stopSignal, 'abort');
 *   }
 * }
 * ```
 */
export abstract class ServiceFramework<TCounters extends CounterSetDefinition = CounterSetDefinition<never>> {
  /** The service's name (the SCM's key). Required. */
  static svcName: string;
  /** The name the Services console shows. Defaults to {@link svcName}. */
  static svcDisplayName?: string;
  /** The description the Services console shows. */
  static svcDescription?: string;
  /** Services (or groups, prefixed with `+`) that must run before this one. */
  static svcDependencies?: readonly string[];
  /**
   * Milliseconds {@link svcDoRun} may take to return after a stop request (default 30 000). When
   * they pass, the service is reported STOPPED with service exit code 3 and its process ends.
   */
  static svcStopTimeout?: number;
  /** The service's Performance Monitor counter set, from {@link defineCounters}: `install` registers it, the host publishes it. */
  static svcCounters?: CounterSetDefinition;
  /**
   * Device interface classes (GUIDs, or 'all') whose devices' arrivals and removals reach
   * `svcDeviceEvent`: the host registers them (RegisterDeviceNotificationW) when the service starts.
   */
  static svcDeviceInterfaces?: DeviceInterfaceClasses;
  /**
   * The events the SCM starts or stops the service on (trigger-start services), e.g.
   * `[{ action: 'start', type: 'networkAvailable' }, { action: 'stop', type: 'networkLost' }]`:
   * `install` sets them (unless `--trigger` or `--clear-triggers` is given).
   */
  static svcTriggers?: readonly ServiceTrigger[];

  /**
   * Runs the service: the service is RUNNING until this returns or its promise settles. What it
   * returns, a {@link ServiceExitCode} or nothing, is the exit code of the STOPPED status.
   */
  abstract svcDoRun(): void | ServiceExitCode | Promise<void | ServiceExitCode>;

  /** Fires when the service is asked to stop (stop control, shutdown, or the host ending). */
  get stopSignal(): AbortSignal {
    return linkOf(this).stopSignal;
  }

  /** Why the SCM started the service, e.g. ['demand']; undefined where Windows cannot tell (Wine, Windows 7, `host.exe debug`); `isService()` and `isDebugging()` say how it runs. */
  get startReason(): readonly StartReason[] | undefined {
    return startReason();
  }

  /** The start arguments (`net start` has none; `sc start Name a b` gives ['a', 'b']). */
  get args(): readonly string[] {
    return linkOf(this).args;
  }

  /**
   * The counters of `static svcCounters`, published while the service runs: `this.counters.connections.increment()`.
   * Updating one is a write into memory the PerfLib provider reads, not a call.
   */
  get counters(): Counters<CounterKeys<TCounters>> {
    return linkOf(this).counterSet.counters as Counters<CounterKeys<TCounters>>;
  }

  /**
   * The counters of another instance of the set, e.g. one per pipe, added on first use; the set
   * must be declared with `instances: 'multiple'`. `this.counters` is the instance named after the service.
   */
  counterInstance(name: string): Counters<CounterKeys<TCounters>> {
    return linkOf(this).counterSet.instance(name) as Counters<CounterKeys<TCounters>>;
  }

  /** Stops publishing instance `name` (from {@link counterInstance}). */
  deleteCounterInstance(name: string): void {
    linkOf(this).counterSet.deleteInstance(name);
  }

  /** Reports a state to the SCM, e.g. START_PENDING with a wait hint during a long start-up. */
  reportServiceStatus(state: ServiceState, options: StatusOptions = {}): void {
    linkOf(this).reportServiceStatus(state, options);
  }
}

/**
 * The optional methods a service may have; each one present makes the service accept its control.
 * Declare them in your class as plain methods (`implements ServiceHooks` documents them).
 */
export interface ServiceHooks {
  /** Called on stop, after {@link ServiceFramework.stopSignal} fired. */
  svcStop?(): void | Promise<void>;
  /** Pauses the service; with svcContinue, makes the service accept pause and continue. */
  svcPause?(): void | Promise<void>;
  /** Resumes the service after svcPause. */
  svcContinue?(): void | Promise<void>;
  /** Called when the system shuts down; makes the service accept SHUTDOWN. The service then stops. */
  svcShutdown?(): void | Promise<void>;
  /**
   * Called before the system shuts down, with time to finish (the pre-shutdown timeout, default
   * 180 s, set with `install --preshutdown-timeout`); makes the service accept PRESHUTDOWN. The service then stops.
   */
  svcPreshutdown?(): void | Promise<void>;
  /** Receives user-defined control codes 128–255. */
  svcOtherControl?(control: number): void | Promise<void>;
  /** A session was connected, logged on, locked… (SERVICE_CONTROL_SESSIONCHANGE); makes the service accept it. */
  svcSessionChange?(event: SessionChangeEvent): void | Promise<void>;
  /**
   * A power event (SERVICE_CONTROL_POWEREVENT): suspend, resume, a power setting's new value…;
   * makes the service accept it. Returning false to a query refuses it (Windows XP only).
   */
  svcPowerEvent?(event: PowerEvent): unknown;
  /**
   * A device of a class in `static svcDeviceInterfaces` arrived, is leaving…
   * (SERVICE_CONTROL_DEVICEEVENT). Returning false (or a promise of false) to a 'query-remove'
   * refuses the removal, when it comes within 2 s (host/scm/query-answers.ts); else it is granted.
   */
  svcDeviceEvent?(event: DeviceEvent): unknown;
  /** The system time changed (SERVICE_CONTROL_TIMECHANGE); makes the service accept it. */
  svcTimeChange?(event: TimeChangeEvent): void | Promise<void>;
  /** A trigger the service is registered for fired (SERVICE_CONTROL_TRIGGEREVENT); makes the service accept it. */
  svcTriggerEvent?(): void | Promise<void>;
  /**
   * The hardware profile changes (SERVICE_CONTROL_HARDWAREPROFILECHANGE); makes the service accept
   * it. Returning false to a 'query-change-config' refuses the change, as for device queries.
   */
  svcHardwareProfileChange?(event: HardwareProfileChangeEvent): unknown;
  /** The service's start parameters changed (SERVICE_CONTROL_PARAMCHANGE, `host.exe control <name> paramchange`); makes the service accept it. */
  svcParamChange?(): void | Promise<void>;
  /** A new network component to bind to (SERVICE_CONTROL_NETBINDADD); any svcNetBind* makes the service accept all four. */
  svcNetBindAdd?(): void | Promise<void>;
  /** A network component bound to was removed (SERVICE_CONTROL_NETBINDREMOVE). */
  svcNetBindRemove?(): void | Promise<void>;
  /** A disabled binding was enabled (SERVICE_CONTROL_NETBINDENABLE). */
  svcNetBindEnable?(): void | Promise<void>;
  /** A binding was disabled (SERVICE_CONTROL_NETBINDDISABLE). */
  svcNetBindDisable?(): void | Promise<void>;
}

/** A service instance seen with its optional methods. */
export type ServiceInstance = ServiceFramework & ServiceHooks;

/** A class that extends ServiceFramework, with its statics. */
export type ServiceClass = (abstract new () => ServiceFramework) & {
  svcName: string;
  svcDisplayName?: string;
  svcDescription?: string;
  svcDependencies?: readonly string[];
  svcStopTimeout?: number;
  svcCounters?: CounterSetDefinition;
  svcDeviceInterfaces?: DeviceInterfaceClasses;
  svcTriggers?: readonly ServiceTrigger[];
};
