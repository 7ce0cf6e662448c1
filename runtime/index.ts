/**
 * NodeService's runtime: what services and scripts import as `nodeservice`.
 *
 * - {@link ServiceFramework}: the class services extend.
 * - Service states and controls, by their Windows names.
 * - Control of any service: {@link start}, {@link stop}, {@link restart}, {@link queryStatus}, {@link waitForState}…
 * - {@link WindowsError}: what a failed Win32 call throws.
 * @module
 */
export { ServiceFramework, type ServiceClass, type ServiceHooks, type StatusOptions } from './service/framework.ts';
export { AcceptControl, ServiceControl, ServiceState, stateName } from './service/constants.ts';
export {
  control,
  continue,
  pause,
  queryStatus,
  restart,
  start,
  stop,
  waitForState,
  type ServiceStatusInfo,
  type Target,
  type WaitOptions,
} from './control/service-control.ts';
export { WindowsError, isWindowsError } from './win32/windows-error.ts';
