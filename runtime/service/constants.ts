/**
 * Service states, controls and accepted-control flags, with the names Windows gives them.
 * https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_status
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

/** Service types (SERVICE_WIN32_OWN_PROCESS, SERVICE_WIN32_SHARE_PROCESS). */
export const ServiceType = {
  WIN32_OWN_PROCESS: 0x10,
  WIN32_SHARE_PROCESS: 0x20,
} as const;

/** Start types. */
export const StartType = {
  AUTO_START: 2,
  DEMAND_START: 3,
  DISABLED: 4,
} as const;

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
