/**
 * A connection to the Service Control Manager of this machine or another, and what it can do with
 * any service: create, open, delete, change the configuration and security, query, start, stop
 * (with dependents), pause, continue, send controls, wait for a state, list, and read the
 * configuration. Close it when done (`using`, or `close()`). `open` and `create` hand the caller a
 * {@link Service} to close; every other method closes the service handle it opens before it returns.
 * @module
 */
import {
  closeServiceHandle,
  controlService,
  deleteService,
  enumDependentServices,
  enumServicesStatusEx,
  openSCManager,
  openService,
  queryServiceStatusEx,
  scHandleAddress,
  ServiceAccess,
  startService,
  type ScHandle,
} from '../win32/advapi32/services.ts';
import { isWindowsError, WindowsError } from '../win32/windows-error.ts';
import { OwnedHandle } from '../win32/owned-handle.ts';
import { PENDING_STATES, ServiceControl, ServiceState, ServiceType } from '../service/constants.ts';
import { readConfig, type ServiceConfig } from './config.ts';
import { databaseDependents } from './service-database.ts';
import { withDeadline } from './deadline.ts';
import { aboutService, ServiceErrorCode } from './service-errors.ts';
import { baseChange, levelChanges, type ServiceDefinition, type ServiceSettings } from './service-definition.ts';
import { createOwnedService, Service } from './service-handle.ts';
import { accessMask, scmAccessMask, type ScmAccessRights, type ServiceAccessRights } from './service-rights.ts';
import { describeStatus, type ServiceStatusInfo } from './status.ts';
import { POLL_MAX_LOCAL_MS, POLL_MAX_NOTIFIED_MS, POLL_MAX_REMOTE_MS, waitUntilState } from './wait-for-state.ts';
import { notificationWaker } from './status-watch.ts';

export type { ScmAccessRights, ServiceAccessRights } from './service-rights.ts';

/** Where a service lives: this machine unless `machine` names another (`\\server` or `server`). */
export interface Target {
  machine?: string;
}

/** Options for functions that wait for a state. */
export interface WaitOptions {
  /** Milliseconds before giving up (default 30 000). */
  timeout?: number;
}

/** Which services {@link ServiceManager.list} returns. */
export interface ListOptions {
  /** 'win32' (default): services that run in processes; 'driver': kernel and file-system drivers; 'all'. */
  type?: 'win32' | 'driver' | 'all';
  /** 'all' (default), 'active' (not stopped) or 'inactive' (stopped). */
  state?: 'active' | 'inactive' | 'all';
  /** Only the services of this load-order group ('': those in no group); any group when left out. */
  group?: string;
}

/** A service as {@link ServiceManager.list} returns it. */
export interface ListedService extends ServiceStatusInfo {
  displayName: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** SERVICE_RECOGNIZER_DRIVER: only ever a filter of EnumServicesStatusEx, never a service's own type. */
const RECOGNIZER_DRIVER = 0x8;
const WIN32_TYPES = ServiceType.WIN32_OWN_PROCESS | ServiceType.WIN32_SHARE_PROCESS;
const DRIVER_TYPES = ServiceType.KERNEL_DRIVER | ServiceType.FILE_SYSTEM_DRIVER | RECOGNIZER_DRIVER;
/** EnumServicesStatusEx's type filters: SERVICE_WIN32 (0x30), SERVICE_DRIVER (0x0b), SERVICE_TYPE_ALL's two. */
const SERVICE_TYPES = { win32: WIN32_TYPES, driver: DRIVER_TYPES, all: WIN32_TYPES | DRIVER_TYPES } as const;
const SERVICE_STATES = { active: 1, inactive: 2, all: 3 } as const;

/** A connection to a Service Control Manager. */
export class ServiceManager implements Disposable {
  /** The machine connected to; undefined for this one. */
  readonly machine: string | undefined;
  readonly #scm: OwnedHandle<ScHandle>;

  private constructor(scm: ScHandle, machine: string | undefined) {
    this.#scm = new OwnedHandle(scm, closeServiceHandle, 'connection of this ServiceManager');
    this.machine = machine;
  }

  /**
   * Connects to the SCM of `target.machine`, or of this machine. `access` defaults to what
   * querying, controlling and listing need (['CONNECT', 'ENUMERATE_SERVICE']); {@link create}
   * needs 'CREATE_SERVICE' too.
   */
  static connect(target: Target = {}, access: ScmAccessRights = ['CONNECT', 'ENUMERATE_SERVICE']): ServiceManager {
    return new ServiceManager(openSCManager(target.machine ?? null, scmAccessMask(access)), target.machine);
  }

  /** This connection's SCM handle as a number a worker thread of this process can use (see status-watch.ts). */
  get connection(): bigint {
    return scHandleAddress(this.#handle());
  }

  #handle(): ScHandle {
    return this.#scm.handle;
  }

  /** Whether the SCM may stand in for a level through its database on this machine. */
  get #local(): boolean {
    return !this.machine;
  }

  /** Closes the SCM handle (throwing if CloseServiceHandle fails); later calls throw. Closing twice does nothing. */
  close(): void {
    this.#scm.close();
  }

  /** Closes the SCM handle; a failure is a warning, never an error that hides the block's own (see owned-handle.ts). */
  [Symbol.dispose](): void {
    this.#scm[Symbol.dispose]();
  }

  /** Opens service `name` with the `access` mask; the caller owns the handle (`using`). */
  #openHandle(name: string, access: number): OwnedHandle<ScHandle> {
    const handle = aboutService(name, () => openService(this.#handle(), name, access));
    return new OwnedHandle(handle, closeServiceHandle, `handle to the ${name} service`);
  }

  /**
   * Opens service `name` for a native call that may outlive its caller's deadline (StartServiceW,
   * ControlService): the handle is closed when the call settles, not when the caller gives up
   * waiting, since the call still uses it until then.
   */
  #callOn<T>(name: string, access: number, call: (service: ScHandle) => Promise<T>): Promise<T> {
    using stack = new DisposableStack();
    const service = stack.use(this.#openHandle(name, access));
    const pending = aboutService(name, () => call(service.handle));
    const held = stack.move();
    return pending.finally(() => held.dispose());
  }

  /**
   * Opens service `name` with `access` (default: all rights, which needs an administrator); the
   * caller closes it (`using`, or `close()`). Throws WindowsError 1060 when there is none.
   */
  open(name: string, access: ServiceAccessRights = 'all'): Service {
    const mask = accessMask(access);
    return new Service(
      aboutService(name, () => openService(this.#handle(), name, mask)),
      name,
      this.#local,
    );
  }

  /** Whether a service named `name` exists (the SCM opens it for QUERY_STATUS). */
  exists(name: string): boolean {
    try {
      using _service = this.#openHandle(name, ServiceAccess.QUERY_STATUS);
      return true;
    } catch (error) {
      if (isWindowsError(error) && error.code === ServiceErrorCode.ERROR_SERVICE_DOES_NOT_EXIST) return false;
      throw error;
    }
  }

  /**
   * Creates a service (CreateServiceW), then sets the ChangeServiceConfig2W levels and the
   * security it gives, and hands it to the caller, opened with all rights. Every value is checked
   * before the SCM is called. When a later step fails, the half-made service is deleted before the
   * error is thrown, as Go's mgr users do. The connection needs CREATE_SERVICE
   * (`ServiceManager.connect(target, ['CONNECT', 'CREATE_SERVICE'])`).
   */
  create(definition: ServiceDefinition): Service {
    return createOwnedService(this.#handle(), definition, this.#local);
  }

  /** Marks service `name` for deletion; it goes once it has stopped and every handle to it is closed. */
  delete(name: string): void {
    using service = this.#openHandle(name, ServiceAccess.DELETE);
    aboutService(name, () => deleteService(service.handle));
  }

  /** Changes what `change` gives of service `name` (see {@link Service.changeConfig}). */
  changeConfig(name: string, change: ServiceSettings): void {
    baseChange(change);
    levelChanges(change);
    using service = this.open(name, ['QUERY_CONFIG', 'CHANGE_CONFIG']);
    service.changeConfig(change);
  }

  /** The owner, group and DACL of service `name` as SDDL (see {@link Service.security}). */
  getSecurity(name: string): string {
    using service = this.open(name, ['READ_CONTROL']);
    return service.security();
  }

  /** Sets the parts `sddl` gives of service `name`'s security (see {@link Service.setSecurity}). */
  setSecurity(name: string, sddl: string): void {
    using service = this.open(name, ['READ_CONTROL', 'WRITE_DAC', 'WRITE_OWNER']);
    service.setSecurity(sddl);
  }

  /** Lets `sids` start, stop and query service `name` (see {@link Service.allowControl}); returns the DACL set. */
  allowControl(name: string, sids: string | readonly string[]): string {
    using service = this.open(name, ['READ_CONTROL', 'WRITE_DAC']);
    return service.allowControl(sids);
  }

  /** The service's current status. Throws WindowsError 1060 when there is no such service. */
  queryStatus(name: string): ServiceStatusInfo {
    using service = this.#openHandle(name, ServiceAccess.QUERY_STATUS);
    const status = aboutService(name, () => queryServiceStatusEx(service.handle));
    return describeStatus(name, status);
  }

  /**
   * Waits until the service reaches `state`, polling as the SCM documents: every tenth of the wait
   * hint, and giving up when a pending service's checkpoint has not moved for its wait hint (it
   * hangs) or the timeout passes (WindowsError 1053), or when the service settles in another
   * state (a failed start ends STOPPED; the error carries its exit code).
   */
  async waitForState(name: string, state: ServiceState, options: WaitOptions = {}): Promise<ServiceStatusInfo> {
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    return this.#waitUntil(name, state, Date.now() + timeout, timeout);
  }

  /**
   * waitForState with a deadline that may have started before it (a control's call counts too);
   * `timeout` is what errors name; `leaving` is the state a control just accepted moves it out of.
   */
  async #waitUntil(
    name: string,
    state: ServiceState,
    deadline: number,
    timeout: number,
    leaving?: ServiceState,
  ): Promise<ServiceStatusInfo> {
    // Polls, or (in host.exe's command line) also wakes at each notification, and then polls less.
    const waker = await notificationWaker(name, this.machine, this.connection);
    try {
      return await waitUntilState(name, state, deadline, timeout, {
        query: () => this.queryStatus(name),
        pollMaxMs: waker ? POLL_MAX_NOTIFIED_MS : this.machine ? POLL_MAX_REMOTE_MS : POLL_MAX_LOCAL_MS,
        sleep: waker?.wake,
        leaving,
      });
    } finally {
      await waker?.close();
    }
  }

  /**
   * Starts the service with `args` (after its name in ServiceMain's argv) and waits until it is
   * RUNNING; the timeout bounds the StartServiceW call and the wait together.
   */
  async start(name: string, args: readonly string[] = [], options: WaitOptions = {}): Promise<ServiceStatusInfo> {
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    const began = Date.now();
    await withDeadline(
      this.#callOn(name, ServiceAccess.START, (service) => startService(service, args)),
      timeout,
      () => callTimeout('StartServiceW', name, timeout),
    );
    return this.#waitUntil(name, ServiceState.RUNNING, began + timeout, timeout);
  }

  /**
   * Sends `code` (a ServiceControl, or a user-defined code 128–255) and returns the status the
   * service reported; gives up after `options.timeout` (default 30 s) if its handler does not answer.
   */
  async control(name: string, code: number, options: WaitOptions = {}): Promise<ServiceStatusInfo> {
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    const status = await withDeadline(
      this.#callOn(name, accessFor(code), (service) => controlService(service, code)),
      timeout,
      () => callTimeout('ControlService', name, timeout),
    );
    return describeStatus(name, { ...status, processId: 0, serviceFlags: 0 });
  }

  /** Stops the service and waits until it is STOPPED; the timeout bounds the control and the wait together. */
  async stop(name: string, options: WaitOptions = {}): Promise<ServiceStatusInfo> {
    return this.#controlAndWait(name, ServiceControl.STOP, ServiceState.STOPPED, options);
  }

  /** Pauses the service and waits until it is PAUSED. */
  async pause(name: string, options: WaitOptions = {}): Promise<ServiceStatusInfo> {
    return this.#controlAndWait(name, ServiceControl.PAUSE, ServiceState.PAUSED, options);
  }

  /** Resumes a paused service and waits until it is RUNNING. */
  async continue(name: string, options: WaitOptions = {}): Promise<ServiceStatusInfo> {
    return this.#controlAndWait(name, ServiceControl.CONTINUE, ServiceState.RUNNING, options);
  }

  async #controlAndWait(name: string, code: number, state: ServiceState, options: WaitOptions): Promise<ServiceStatusInfo> {
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    const began = Date.now();
    const answer = await this.control(name, code, { timeout });
    const leaving = PENDING_STATES.has(answer.currentState) ? undefined : (answer.currentState as ServiceState);
    return this.#waitUntil(name, state, began + timeout, timeout, leaving);
  }

  /** Stops the service if it runs, then starts it with `args` (as {@link ServiceManager.start}). */
  restart(name: string, args?: readonly string[], options?: WaitOptions): Promise<ServiceStatusInfo>;
  /** Stops the service if it runs, then starts it (the form before start arguments). */
  restart(name: string, options?: WaitOptions): Promise<ServiceStatusInfo>;
  async restart(name: string, argsOrOptions?: readonly string[] | WaitOptions, maybeOptions?: WaitOptions): Promise<ServiceStatusInfo> {
    const args = Array.isArray(argsOrOptions) ? (argsOrOptions as readonly string[]) : [];
    const options = (Array.isArray(argsOrOptions) ? maybeOptions : (argsOrOptions as WaitOptions | undefined)) ?? {};
    if (this.queryStatus(name).currentState !== ServiceState.STOPPED) await this.stop(name, options);
    return this.start(name, args, options);
  }

  /**
   * The services that depend on this one, directly or not, in the order they must stop. With
   * `activeOnly` (default), only those not stopped.
   */
  dependents(name: string, activeOnly = true): string[] {
    const listed = this.#listDependents(name, activeOnly ? SERVICE_STATES.active : SERVICE_STATES.all);
    // An SCM that lists no dependents may not know them (Wine 8): ask its database on this machine.
    if (listed.length > 0 || this.machine) return listed;
    const known = databaseDependents(name);
    return activeOnly ? known.filter((dependent) => this.queryStatus(dependent).currentState !== ServiceState.STOPPED) : known;
  }

  /** The dependents the SCM lists for service `name` in `state` (EnumDependentServicesW). */
  #listDependents(name: string, state: number): string[] {
    using service = this.#openHandle(name, ServiceAccess.ENUMERATE_DEPENDENTS);
    return aboutService(name, () => enumDependentServices(service.handle, state)).map((dependent) => dependent.name);
  }

  /**
   * Stops the services that depend on this one (those that depend on them first), then this one,
   * as win32serviceutil.StopServiceWithDeps does. Resolves to every stopped service's status, this one last.
   */
  async stopWithDependents(name: string, options: WaitOptions = {}): Promise<ServiceStatusInfo[]> {
    const stopped: ServiceStatusInfo[] = [];
    for (const dependent of this.dependents(name)) {
      if (this.queryStatus(dependent).currentState !== ServiceState.STOPPED) stopped.push(await this.stop(dependent, options));
    }
    stopped.push(await this.stop(name, options));
    return stopped;
  }

  /** The services (EnumServicesStatusExW), with their display names and status. */
  list(options: ListOptions = {}): ListedService[] {
    const type = SERVICE_TYPES[options.type ?? 'win32'];
    const state = SERVICE_STATES[options.state ?? 'all'];
    let services: ReturnType<typeof enumServicesStatusEx>;
    try {
      services = enumServicesStatusEx(this.#handle(), type, state, options.group);
    } catch (error) {
      // The SCM answers a group no service belongs to with ERROR_SERVICE_DOES_NOT_EXIST: none match.
      if (options.group !== undefined && isWindowsError(error) && error.code === ServiceErrorCode.ERROR_SERVICE_DOES_NOT_EXIST) return [];
      throw error;
    }
    return services.map((service) => ({
      ...describeStatus(service.name, service.status),
      displayName: service.displayName,
    }));
  }

  /** Everything the SCM holds for the service: QueryServiceConfigW and QueryServiceConfig2W. */
  getConfig(name: string): ServiceConfig {
    using service = this.#openHandle(name, ServiceAccess.QUERY_CONFIG);
    return aboutService(name, () => readConfig(service.handle, name, !this.machine));
  }
}

/** The error of a StartServiceW or ControlService that did not return in time. */
function callTimeout(functionName: string, name: string, timeout: number): WindowsError {
  return new WindowsError(
    functionName,
    ServiceErrorCode.ERROR_SERVICE_REQUEST_TIMEOUT,
    `did not return within ${timeout} ms: the ${name} service's handler is not answering, gave up waiting for it`,
  );
}

/** The access a control code needs. */
function accessFor(code: number): number {
  if (code >= 128) return ServiceAccess.USER_DEFINED_CONTROL;
  if (code === ServiceControl.STOP) return ServiceAccess.STOP;
  if (code === ServiceControl.INTERROGATE) return ServiceAccess.INTERROGATE;
  return ServiceAccess.PAUSE_CONTINUE;
}
