/**
 * NodeService's runtime: what services and scripts import as `nodeservice`.
 *
 * - {@link ServiceFramework}: the class services extend.
 * - Service states and controls, by their Windows names.
 * - Control of any service: {@link start}, {@link stop}, {@link restart}, {@link queryStatus}, {@link waitForState}…
 * - Event Log entries as pywin32's servicemanager writes them: {@link logMsg}, {@link logInfoMsg}…,
 *   reading logs ({@link EventLog}), and their text as Event Viewer shows it: {@link formatMessage}.
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
export * from './eventlog/host-messages.ts';
export { EventLogType, logErrorMsg, logInfoMsg, logMsg, logWarningMsg } from './eventlog/servicemanager.ts';
export { formatEventMessage, formatMessageFromFile } from './eventlog/format.ts';
export { EventLog, formatMessage, safeFormatMessage, type EventLogRecord, type ReadOptions } from './eventlog/reader.ts';
export { WindowsError, isWindowsError } from './win32/windows-error.ts';
