/**
 * Service states, controls, accepted-control flags and service types, with the names Windows gives them.
 * https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_status
 *
 * Naming, one style per layer: the values the SCM reports (states, controls, accept flags, service
 * types, and a status's `stateName`, `typeName` and `accepts`) keep Windows' upper-case names
 * without the SERVICE_ prefix, as `sc query` prints them, so what an author reads in Microsoft's
 * documentation and in `sc` output is what they write. The control API's settings (control/config.ts:
 * startup, error control, SID type, failure actions) are lower-case words, as `sc config` takes them
 * (`start= auto`, `error= normal`): choices an operator writes, never reported back in a status.
 * `serviceType` is both set and reported; it keeps the reported spelling, so a created service's
 * `typeName` is the name it was created with.
 * @module
 */
import { ErrorCode } from '../win32/errors.ts';

/** SERVICE_STATUS.dwCurrentState values. */
export const ServiceState = {
  STOPPED: 1,
  START_PENDING: 2,
  STOP_PENDING: 3,
  RUNNING: 4,
  CONTINUE_PENDING: 5,
  PAUSE_PENDING: 6,
  PAUSED: 7,
} as const;
/** One of {@link ServiceState}'s values. */
export type ServiceState = (typeof ServiceState)[keyof typeof ServiceState];

/** The name of a state number, e.g. 4 → 'RUNNING'. */
export function stateName(state: number): string {
  return Object.entries(ServiceState).find(([, value]) => value === state)?.[0] ?? `UNKNOWN(${state})`;
}

/** Control codes the SCM sends to a service (HandlerEx's dwControl). 128–255 are the service's own. */
export const ServiceControl = {
  STOP: 1,
  PAUSE: 2,
  CONTINUE: 3,
  INTERROGATE: 4,
  SHUTDOWN: 5,
  PARAMCHANGE: 6,
  NETBINDADD: 7,
  NETBINDREMOVE: 8,
  NETBINDENABLE: 9,
  NETBINDDISABLE: 10,
  DEVICEEVENT: 11,
  HARDWAREPROFILECHANGE: 12,
  POWEREVENT: 13,
  SESSIONCHANGE: 14,
  PRESHUTDOWN: 15,
  TIMECHANGE: 16,
  TRIGGEREVENT: 32,
} as const;

/** SERVICE_STATUS.dwControlsAccepted flags. */
export const AcceptControl = {
  STOP: 0x1,
  PAUSE_CONTINUE: 0x2,
  SHUTDOWN: 0x4,
  PARAMCHANGE: 0x8,
  NETBINDCHANGE: 0x10,
  HARDWAREPROFILECHANGE: 0x20,
  POWEREVENT: 0x40,
  SESSIONCHANGE: 0x80,
  PRESHUTDOWN: 0x100,
  TIMECHANGE: 0x200,
  TRIGGEREVENT: 0x400,
} as const;

/**
 * Service types by name (SERVICE_KERNEL_DRIVER … SERVICE_USER_SHARE_PROCESS); SERVICE_INTERACTIVE_PROCESS
 * is a flag beside them (control/status.ts).
 */
export const ServiceType = {
  KERNEL_DRIVER: 0x1,
  FILE_SYSTEM_DRIVER: 0x2,
  WIN32_OWN_PROCESS: 0x10,
  WIN32_SHARE_PROCESS: 0x20,
  USER_OWN_PROCESS: 0x50,
  USER_SHARE_PROCESS: 0x60,
} as const;
/** One of {@link ServiceType}'s values. */
export type ServiceType = (typeof ServiceType)[keyof typeof ServiceType];

/** Win32 codes a service reports or returns from its handler. */
export const Win32Code = {
  NO_ERROR: ErrorCode.NO_ERROR,
  ERROR_CALL_NOT_IMPLEMENTED: ErrorCode.ERROR_CALL_NOT_IMPLEMENTED,
  /** Not a Win32 error but the value that refuses a query (a device's removal, a suspend): winuser.h's BROADCAST_QUERY_DENY ('BMQD'). */
  BROADCAST_QUERY_DENY: 0x424d5144,
  ERROR_SERVICE_SPECIFIC_ERROR: ErrorCode.ERROR_SERVICE_SPECIFIC_ERROR,
} as const;

/** The states in which the SCM expects further reports (with rising checkpoints). */
export const PENDING_STATES: ReadonlySet<number> = new Set([
  ServiceState.START_PENDING,
  ServiceState.STOP_PENDING,
  ServiceState.CONTINUE_PENDING,
  ServiceState.PAUSE_PENDING,
]);
