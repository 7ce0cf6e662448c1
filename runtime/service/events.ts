/**
 * The SCM's event controls as a service receives them: plain, typed values decoded from HandlerEx's
 * (control, event type, event data) on the thread that keeps the service's SCM side
 * (event-decoders.ts), because the event data pointer is valid only while HandlerEx runs and the
 * service runs on another thread. Names are Windows's, in lower case with dashes; the raw code is
 * kept beside each name, so a code newer than this list still reaches the service.
 * https://learn.microsoft.com/windows/win32/api/winsvc/nc-winsvc-lphandler_function_ex
 * @module
 */

/** WTSSESSION_NOTIFICATION's reasons (wtsapi32.h WTS_CONSOLE_CONNECT…WTS_SESSION_TERMINATE). */
export const SESSION_CHANGE_REASONS = {
  1: 'console-connect',
  2: 'console-disconnect',
  3: 'remote-connect',
  4: 'remote-disconnect',
  5: 'session-logon',
  6: 'session-logoff',
  7: 'session-lock',
  8: 'session-unlock',
  9: 'session-remote-control',
  10: 'session-create',
  11: 'session-terminate',
} as const;
/** A session change's reason, or 'unknown' (then see `reasonCode`). */
export type SessionChangeReason = (typeof SESSION_CHANGE_REASONS)[keyof typeof SESSION_CHANGE_REASONS] | 'unknown';

/** POWEREVENT's event types (winuser.h PBT_*). */
export const POWER_EVENT_TYPES = {
  0x0: 'query-suspend',
  0x1: 'query-standby',
  0x2: 'query-suspend-failed',
  0x3: 'query-standby-failed',
  0x4: 'suspend',
  0x5: 'standby',
  0x6: 'resume-critical',
  0x7: 'resume-suspend',
  0x8: 'resume-standby',
  0x9: 'battery-low',
  0xa: 'power-status-change',
  0xb: 'oem-event',
  0x12: 'resume-automatic',
  0x8013: 'power-setting-change',
} as const;
/** A power event's type, or 'unknown' (then see `typeCode`). */
export type PowerEventType = (typeof POWER_EVENT_TYPES)[keyof typeof POWER_EVENT_TYPES] | 'unknown';

/** DEVICEEVENT's event types (dbt.h DBT_DEVICEARRIVAL…DBT_CUSTOMEVENT). */
export const DEVICE_EVENT_TYPES = {
  0x8000: 'arrival',
  0x8001: 'query-remove',
  0x8002: 'query-remove-failed',
  0x8003: 'remove-pending',
  0x8004: 'remove-complete',
  0x8005: 'type-specific',
  0x8006: 'custom-event',
} as const;
/** A device event's type, or 'unknown' (then see `typeCode`). */
export type DeviceEventType = (typeof DEVICE_EVENT_TYPES)[keyof typeof DEVICE_EVENT_TYPES] | 'unknown';

/** HARDWAREPROFILECHANGE's event types (dbt.h DBT_QUERYCHANGECONFIG, DBT_CONFIGCHANGED, DBT_CONFIGCHANGECANCELED). */
export const HARDWARE_PROFILE_EVENT_TYPES = {
  0x17: 'query-change-config',
  0x18: 'config-changed',
  0x19: 'config-change-canceled',
} as const;
/** A hardware profile change's type, or 'unknown' (then see `typeCode`). */
export type HardwareProfileEventType = (typeof HARDWARE_PROFILE_EVENT_TYPES)[keyof typeof HARDWARE_PROFILE_EVENT_TYPES] | 'unknown';

/** SERVICE_CONTROL_SESSIONCHANGE with its WTSSESSION_NOTIFICATION. */
export interface SessionChangeEvent {
  reason: SessionChangeReason;
  reasonCode: number;
  /** The session concerned (WTSSESSION_NOTIFICATION.dwSessionId); undefined if Windows sent no data. */
  sessionId?: number;
}

/** POWERBROADCAST_SETTING: which power setting changed, and its new value. */
export interface PowerSetting {
  /** The setting's GUID, lower case without braces (e.g. 5d3e9a59-e9d5-4b00-a6bd-ff34ff516548 for GUID_ACDC_POWER_SOURCE). */
  guid: string;
  /** The setting's data as Windows sent it. */
  data: Uint8Array;
  /** The data read as a DWORD, when it is 4 bytes long (most settings are). */
  value?: number;
}

/** SERVICE_CONTROL_POWEREVENT (PBT_*), with the setting for 'power-setting-change'. */
export interface PowerEvent {
  type: PowerEventType;
  typeCode: number;
  setting?: PowerSetting;
  /** A query Windows waits on (query-suspend, query-standby): return false to refuse it (ignored since Windows Vista). */
  query: boolean;
}

/** The device an event is about, from its DEV_BROADCAST_* structure (dbt.h). */
export type DeviceBroadcast =
  /** DEV_BROADCAST_DEVICEINTERFACE_W: a device of a registered interface class. */
  | { deviceType: 'interface'; classGuid: string; name: string }
  /** DEV_BROADCAST_HANDLE: an event about a handle registered for, with a custom event's GUID and data. */
  | { deviceType: 'handle'; handle: bigint; notification: bigint; eventGuid: string; nameOffset: number; data: Uint8Array }
  /** DEV_BROADCAST_VOLUME: logical drives, from the unit mask. */
  | { deviceType: 'volume'; unitMask: number; drives: string[]; flags: number }
  /** DEV_BROADCAST_PORT_W: a serial or parallel port. */
  | { deviceType: 'port'; name: string }
  /** DEV_BROADCAST_OEM. */
  | { deviceType: 'oem'; identifier: number; supportedFunctions: number }
  /** Another DEV_BROADCAST_HDR.dbch_devicetype, or data too short for its type. */
  | { deviceType: 'unknown'; deviceTypeCode: number; size: number };

/** SERVICE_CONTROL_DEVICEEVENT for a device interface class or handle the service registered for. */
export interface DeviceEvent {
  type: DeviceEventType;
  typeCode: number;
  /** The device, when Windows sent a DEV_BROADCAST_* structure. */
  device?: DeviceBroadcast;
  /** 'query-remove': Windows waits for the answer; return false from svcDeviceEvent to refuse the removal. */
  query: boolean;
}

/** SERVICE_CONTROL_TIMECHANGE with its SERVICE_TIMECHANGE_INFO. */
export interface TimeChangeEvent {
  oldTime: Date;
  newTime: Date;
}

/** SERVICE_CONTROL_HARDWAREPROFILECHANGE. */
export interface HardwareProfileChangeEvent {
  type: HardwareProfileEventType;
  typeCode: number;
  /** 'query-change-config': return false from svcHardwareProfileChange to refuse the change. */
  query: boolean;
}

/** Which network binding changed (SERVICE_CONTROL_NETBINDADD, …REMOVE, …ENABLE, …DISABLE). */
export type NetBindChange = 'add' | 'remove' | 'enable' | 'disable';

/** One decoded event control, as the host passes it to the service's thread. */
export type ServiceEvent =
  | ({ kind: 'session-change' } & SessionChangeEvent)
  | ({ kind: 'power' } & PowerEvent)
  | ({ kind: 'device' } & DeviceEvent)
  | ({ kind: 'time-change' } & TimeChangeEvent)
  | ({ kind: 'hardware-profile' } & HardwareProfileChangeEvent)
  | { kind: 'trigger' }
  | { kind: 'param-change' }
  | { kind: 'net-bind'; change: NetBindChange };

/** True for an event whose answer Windows reads (a query): the service's method may refuse it by returning false. */
export function isQueryEvent(event: ServiceEvent | undefined): boolean {
  return event !== undefined && 'query' in event && event.query;
}
