/**
 * NodeService's runtime: what services and scripts import as `nodeservice`.
 *
 * - {@link ServiceFramework}: the class services extend, with the SCM's events as methods, and
 *   {@link isService}/{@link isDebugging} to tell how it runs; {@link ServiceExitCode} to stop with a code.
 * - Service states and controls, by their Windows names.
 * - Control of any service, here or on another machine: {@link start}, {@link stop}, {@link stopWithDependents},
 *   {@link restart}, {@link queryStatus}, {@link waitForState}, {@link list}, {@link getConfig}…; create,
 *   delete and change any service ({@link create}, {@link changeConfig}, {@link setSecurity}…), or a
 *   {@link ServiceManager} kept open for many calls, handing out {@link Service}s the caller closes.
 * - Event Log entries as pywin32's servicemanager writes them: {@link logMsg}, {@link logInfoMsg}…,
 *   reading logs ({@link EventLog}), and their text as Event Viewer shows it: {@link formatMessage};
 *   event sources and custom logs ({@link registerEventSource}), any entry ({@link reportEvent}),
 *   backup, clear and follow ({@link EventLog}), and the wevtapi channels ({@link queryEvents},
 *   {@link subscribeEvents}).
 * - Performance counters: a service declares them ({@link defineCounters}, `static svcCounters`) and
 *   updates `this.counters`; scripts read any counter by path with {@link perf}.
 * - Named-pipe servers with a DACL, in message or byte mode: {@link createPipeServer}.
 * - {@link WindowsError}: what a failed Win32 call throws.
 * @module
 */
export { ServiceFramework, type ServiceClass, type ServiceHooks, type StatusOptions } from './service/framework.ts';
export { AcceptControl, ServiceControl, ServiceState, stateName } from './service/constants.ts';
export { ServiceExitCode } from './service/exit-codes.ts';
export { isDebugging, isService, type StartReason } from './service/run-mode.ts';
export type {
  DeviceBroadcast,
  DeviceEvent,
  DeviceEventType,
  HardwareProfileChangeEvent,
  HardwareProfileEventType,
  NetBindChange,
  PowerEvent,
  PowerEventType,
  PowerSetting,
  SessionChangeEvent,
  SessionChangeReason,
  TimeChangeEvent,
} from './service/events.ts';
export type { DeviceInterfaceClasses } from './service/device-interfaces.ts';
export {
  allowControl,
  changeConfig,
  control,
  continue,
  create,
  delete,
  getConfig,
  getSecurity,
  list,
  pause,
  queryStatus,
  restart,
  setSecurity,
  start,
  stop,
  stopWithDependents,
  waitForState,
  type ControlOptions,
} from './control/service-control.ts';
export {
  ServiceManager,
  type ListedService,
  type ListOptions,
  type ServiceAccessRights,
  type Target,
  type WaitOptions,
} from './control/service-manager.ts';
export { Service } from './control/service-handle.ts';
export type { FailureChange, ServiceDefinition, ServiceSettings } from './control/service-definition.ts';
export { CONTROL_RIGHTS, ScmRight, ServiceRight, type ScmAccessRights, type ServiceRightName } from './control/service-rights.ts';
export type { ServiceStatusInfo } from './control/status.ts';
export { AcceptedControls, ServiceTypeFlags, type AcceptedControl, type ServiceTypeName } from './service/service-flags.ts';
export {
  ErrorControl,
  FailureActionType,
  SidType,
  StartupType,
  type ErrorControlName,
  type FailureActionName,
  type FailurePolicy,
  type ServiceConfig,
  type SidTypeName,
  type Startup,
} from './control/config.ts';
export { ServiceErrorCode } from './control/service-errors.ts';
export {
  TriggerSubtype,
  type FirewallPort,
  type ServiceTrigger,
  type TriggerAction,
  type TriggerData,
  type TriggerTypeName,
} from './control/triggers.ts';
export { formatTrigger, parseTriggerSpec } from './control/trigger-spec.ts';
export * from './eventlog/host-messages.ts';
export { EventLogType, logErrorMsg, logInfoMsg, logMsg, logWarningMsg } from './eventlog/service-log.ts';
export { formatEventMessage, formatMessageFromFile } from './eventlog/format.ts';
export {
  EventLog,
  formatMessage,
  safeFormatMessage,
  type EventLogRecord,
  type FollowOptions,
  type ReadOptions,
} from './eventlog/reader.ts';
export { EVENT_TYPES, type EventType } from './eventlog/event-types.ts';
export {
  registerEventSource,
  removeEventSource,
  type EventSourceDefinition,
  type RemoveEventSourceOptions,
} from './eventlog/sources.ts';
export { MAX_EVENT_DATA, MAX_EVENT_STRINGS, reportEvent, type EventReport } from './eventlog/report.ts';
export { queryEvents, subscribeEvents, type EventQuery, type EventSubscription } from './eventlog/channel-events.ts';
export { parseEventXml, type EventDataItem, type EventLevel, type EventRecord } from './eventlog/event-xml.ts';
export {
  COUNTER_TYPES,
  defineCounters,
  type CounterSetDefinition,
  type CounterSetSpec,
  type CounterSpec,
  type CounterType,
} from './perf/counter-set.ts';
export type { Counter, Counters } from './perf/counters.ts';
export { inspectCounters, type PublishedCounterSet } from './perf/publish.ts';
export * as perf from './perf/query.ts';
export { createPipeServer, PipeConnection, PipeMessageTooLongError, PipeServer, type PipeHandler } from './pipes/server.ts';
export { pipePath, type PipeMode, type PipeServerOptions } from './pipes/options.ts';
export { WindowsError, isWindowsError } from './win32/windows-error.ts';
