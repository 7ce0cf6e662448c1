/**
 * Controlling any service from JavaScript, as win32serviceutil does for Python: each function
 * connects to the SCM of `options.machine` (or this machine), does one thing, and closes every
 * handle before it returns (`using`; a function that waits closes them once its promise settles,
 * hence `return await`). For many calls in a row, or a service handle to keep, use a
 * {@link ServiceManager} instead.
 * @module
 */
import type { ServiceState } from '../service/constants.ts';
import type { ServiceConfig } from './config.ts';
import { ServiceManager, type ListedService, type ListOptions, type Target, type WaitOptions } from './service-manager.ts';
import type { ServiceDefinition, ServiceSettings } from './service-definition.ts';
import type { ServiceStatusInfo } from './status.ts';

/** Options of the waiting functions: where, and how long to wait. */
export type ControlOptions = Target & WaitOptions;

/** The service's current status. */
export function queryStatus(name: string, options: Target = {}): ServiceStatusInfo {
  using manager = ServiceManager.connect(options);
  return manager.queryStatus(name);
}

/** Waits until the service reaches `state` (see {@link ServiceManager.waitForState}). */
export async function waitForState(name: string, state: ServiceState, options: ControlOptions = {}): Promise<ServiceStatusInfo> {
  using manager = ServiceManager.connect(options);
  return await manager.waitForState(name, state, options);
}

/** Starts the service with `args` and waits until it is RUNNING. */
export async function start(name: string, args: readonly string[] = [], options: ControlOptions = {}): Promise<ServiceStatusInfo> {
  using manager = ServiceManager.connect(options);
  return await manager.start(name, args, options);
}

/** Stops the service and waits until it is STOPPED. */
export async function stop(name: string, options: ControlOptions = {}): Promise<ServiceStatusInfo> {
  using manager = ServiceManager.connect(options);
  return await manager.stop(name, options);
}

/** Stops the services that depend on this one, then this one; resolves to their statuses, this one last. */
export async function stopWithDependents(name: string, options: ControlOptions = {}): Promise<ServiceStatusInfo[]> {
  using manager = ServiceManager.connect(options);
  return await manager.stopWithDependents(name, options);
}

/** Stops the service if it runs, then starts it with `args`. */
export function restart(name: string, args?: readonly string[], options?: ControlOptions): Promise<ServiceStatusInfo>;
/** Stops the service if it runs, then starts it (the form before start arguments). */
export function restart(name: string, options?: ControlOptions): Promise<ServiceStatusInfo>;
export async function restart(
  name: string,
  argsOrOptions?: readonly string[] | ControlOptions,
  options?: ControlOptions,
): Promise<ServiceStatusInfo> {
  const args = Array.isArray(argsOrOptions) ? (argsOrOptions as readonly string[]) : [];
  const settings = (Array.isArray(argsOrOptions) ? options : (argsOrOptions as ControlOptions | undefined)) ?? {};
  using manager = ServiceManager.connect(settings);
  return await manager.restart(name, args, settings);
}

/** Pauses the service and waits until it is PAUSED. */
export async function pause(name: string, options: ControlOptions = {}): Promise<ServiceStatusInfo> {
  using manager = ServiceManager.connect(options);
  return await manager.pause(name, options);
}

/** Resumes a paused service and waits until it is RUNNING. */
async function resume(name: string, options: ControlOptions = {}): Promise<ServiceStatusInfo> {
  using manager = ServiceManager.connect(options);
  return await manager.continue(name, options);
}
export { resume as continue };

/** Sends `code` (a ServiceControl, or a user-defined code 128–255, which reaches a NodeService service's svcOtherControl). */
export async function control(name: string, code: number, options: ControlOptions = {}): Promise<ServiceStatusInfo> {
  using manager = ServiceManager.connect(options);
  return await manager.control(name, code, options);
}

/** The services of a machine, with their state (EnumServicesStatusExW). */
export function list(options: ListOptions & Target = {}): ListedService[] {
  using manager = ServiceManager.connect(options);
  return manager.list(options);
}

/** Everything the SCM holds for the service. */
export function getConfig(name: string, options: Target = {}): ServiceConfig {
  using manager = ServiceManager.connect(options);
  return manager.getConfig(name);
}

/**
 * Creates a service with every setting `definition` gives, deleting it again when a step after
 * CreateServiceW fails (see {@link ServiceManager.create}).
 */
export function create(definition: ServiceDefinition, options: Target = {}): void {
  using manager = ServiceManager.connect(options, ['CONNECT', 'CREATE_SERVICE']);
  using _service = manager.create(definition);
}

/** Marks the service for deletion (it goes once stopped and every handle to it is closed). */
function deleteService(name: string, options: Target = {}): void {
  using manager = ServiceManager.connect(options);
  manager.delete(name);
}
export { deleteService as delete };

/** Changes what `change` gives of the service's configuration, and leaves the rest. */
export function changeConfig(name: string, change: ServiceSettings, options: Target = {}): void {
  using manager = ServiceManager.connect(options);
  manager.changeConfig(name, change);
}

/** The service's owner, group and DACL as SDDL, as the SCM reports them. */
export function getSecurity(name: string, options: Target = {}): string {
  using manager = ServiceManager.connect(options);
  return manager.getSecurity(name);
}

/** Sets the parts (D:, O:, G:) the SDDL string gives of the service's security. */
export function setSecurity(name: string, sddl: string, options: Target = {}): void {
  using manager = ServiceManager.connect(options);
  manager.setSecurity(name, sddl);
}

/** Lets `sids` (SID strings) start, stop, pause, continue and query the service, not configure it; returns the DACL set. */
export function allowControl(name: string, sids: string | readonly string[], options: Target = {}): string {
  using manager = ServiceManager.connect(options);
  return manager.allowControl(name, sids);
}
