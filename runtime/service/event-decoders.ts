/**
 * Decodes HandlerEx's (control, event type, event data) into a ServiceEvent (events.ts). Pure:
 * the event data is read through a `ReadAt` function, which runtime/win32 makes over the pointer
 * HandlerEx received (it is valid only during that call) and the unit tests make over buffers built
 * to the documented layouts. Offsets are those of the x64 structures in winsvc.h, winuser.h,
 * wtsapi32.h and dbt.h. A decoder never throws: data that is missing, short or larger than
 * MAX_EVENT_DATA_BYTES leaves the part it would have filled out (the event still reaches the
 * service), as a HandlerEx must return whatever it was given.
 * @module
 */
import { guidFromBytes } from '../perf/guid.ts';
import { ServiceControl } from './constants.ts';
import {
  DEVICE_EVENT_TYPES,
  HARDWARE_PROFILE_EVENT_TYPES,
  POWER_EVENT_TYPES,
  SESSION_CHANGE_REASONS,
  type DeviceBroadcast,
  type NetBindChange,
  type PowerSetting,
  type ServiceEvent,
} from './events.ts';

/** Reads `length` bytes of the event data from `offset` (throws when it cannot). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/** The most event data a decoder reads (a DEV_BROADCAST_* or a power setting's data are far smaller). */
export const MAX_EVENT_DATA_BYTES = 64 * 1024;

/** WTSSESSION_NOTIFICATION { DWORD cbSize; DWORD dwSessionId; }. */
const SESSION_NOTIFICATION = { size: 8, sessionId: 4 } as const;
/** POWERBROADCAST_SETTING { GUID PowerSetting; DWORD DataLength; UCHAR Data[1]; }. */
const POWER_SETTING = { guid: 0, dataLength: 16, data: 20 } as const;
/** SERVICE_TIMECHANGE_INFO { LARGE_INTEGER liNewTime; LARGE_INTEGER liOldTime; }: the new time comes first. */
const TIME_CHANGE = { size: 16, newTime: 0, oldTime: 8 } as const;
/** DEV_BROADCAST_HDR { DWORD dbch_size; DWORD dbch_devicetype; DWORD dbch_reserved; }. */
const BROADCAST_HEADER = { size: 12, deviceType: 4 } as const;
/** dbt.h DBT_DEVTYP_*. */
const DeviceType = { OEM: 0, VOLUME: 2, PORT: 3, DEVICEINTERFACE: 5, HANDLE: 6 } as const;
/** DEV_BROADCAST_OEM { hdr; DWORD dbco_identifier; DWORD dbco_suppfunc; }. */
const OEM = { size: 20, identifier: 12, supportedFunctions: 16 } as const;
/** DEV_BROADCAST_VOLUME { hdr; DWORD dbcv_unitmask; WORD dbcv_flags; } (18 bytes of fields). */
const VOLUME = { size: 18, unitMask: 12, flags: 16 } as const;
/** DEV_BROADCAST_PORT_W { hdr; WCHAR dbcp_name[1]; }. */
const PORT = { name: 12 } as const;
/** DEV_BROADCAST_DEVICEINTERFACE_W { hdr; GUID dbcc_classguid; WCHAR dbcc_name[1]; }. */
const DEVICE_INTERFACE = { classGuid: 12, name: 28 } as const;
/** DEV_BROADCAST_HANDLE on x64: the HANDLE is 8-aligned, so 4 bytes of padding follow the header. */
const HANDLE = { handle: 16, notification: 24, eventGuid: 32, nameOffset: 48, data: 52 } as const;
/** 100-ns intervals from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;
/** PBT_APMQUERYSUSPEND and PBT_APMQUERYSTANDBY. */
const POWER_QUERIES: ReadonlySet<number> = new Set([0x0, 0x1]);
/** PBT_POWERSETTINGCHANGE. */
const POWER_SETTING_CHANGE = 0x8013;
/** DBT_DEVICEQUERYREMOVE. */
const DEVICE_QUERY_REMOVE = 0x8001;
/** DBT_QUERYCHANGECONFIG. */
const QUERY_CHANGE_CONFIG = 0x17;

const NET_BIND_CHANGES = new Map<number, NetBindChange>([
  [ServiceControl.NETBINDADD, 'add'],
  [ServiceControl.NETBINDREMOVE, 'remove'],
  [ServiceControl.NETBINDENABLE, 'enable'],
  [ServiceControl.NETBINDDISABLE, 'disable'],
]);

/** A data view over exactly the bytes read. */
function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function nameOf<T extends Record<number, string>>(names: T, code: number): T[keyof T] | 'unknown' {
  return (Object.hasOwn(names, code) ? names[code as keyof T] : 'unknown') as T[keyof T] | 'unknown';
}

/** `fn(read)` when there is data and it decodes; undefined otherwise (see the module's comment). */
function attempt<T>(read: ReadAt | undefined, fn: (read: ReadAt) => T): T | undefined {
  if (!read) return undefined;
  try {
    return fn(read);
  } catch {
    return undefined;
  }
}

/** A UTF-16LE string from `offset` up to its NUL or the end of `bytes`. */
function wideString(bytes: Uint8Array, offset: number): string {
  const end = offset + Math.floor((bytes.length - offset) / 2) * 2;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + offset, Math.max(0, end - offset)).toString('utf16le');
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}

/** A FILETIME (100-ns intervals since 1601, UTC) as a Date, to the millisecond. */
export function fileTimeToDate(fileTime: bigint): Date {
  return new Date(Number((fileTime - FILETIME_UNIX_EPOCH) / 10_000n));
}

/** WTSSESSION_NOTIFICATION's session id. */
export function decodeSessionNotification(read: ReadAt): number {
  return view(read(0, SESSION_NOTIFICATION.size)).getUint32(SESSION_NOTIFICATION.sessionId, true);
}

/** POWERBROADCAST_SETTING: the setting's GUID and its DataLength bytes of data. */
export function decodePowerSetting(read: ReadAt): PowerSetting {
  const head = read(0, POWER_SETTING.data);
  const length = view(head).getUint32(POWER_SETTING.dataLength, true);
  if (length > MAX_EVENT_DATA_BYTES) throw new RangeError(`POWERBROADCAST_SETTING.DataLength ${length} is beyond ${MAX_EVENT_DATA_BYTES}`);
  const data = Uint8Array.from(length === 0 ? [] : read(POWER_SETTING.data, length));
  const setting: PowerSetting = { guid: guidFromBytes(head, POWER_SETTING.guid), data };
  if (length === 4) setting.value = view(data).getUint32(0, true);
  return setting;
}

/** SERVICE_TIMECHANGE_INFO. */
export function decodeTimeChange(read: ReadAt): { oldTime: Date; newTime: Date } {
  const info = view(read(0, TIME_CHANGE.size));
  return {
    newTime: fileTimeToDate(info.getBigUint64(TIME_CHANGE.newTime, true)),
    oldTime: fileTimeToDate(info.getBigUint64(TIME_CHANGE.oldTime, true)),
  };
}

/** The drive letters of a DEV_BROADCAST_VOLUME unit mask (bit 0 is A:). */
export function drivesOfUnitMask(unitMask: number): string[] {
  const drives: string[] = [];
  for (let bit = 0; bit < 26; bit++) if (unitMask & (1 << bit)) drives.push(`${String.fromCharCode(65 + bit)}:`);
  return drives;
}

/** A DEV_BROADCAST_* structure: its header says its type and size (dbch_size), which bounds every read. */
export function decodeDeviceBroadcast(read: ReadAt): DeviceBroadcast {
  const header = view(read(0, BROADCAST_HEADER.size));
  const size = header.getUint32(0, true);
  const deviceTypeCode = header.getUint32(BROADCAST_HEADER.deviceType, true);
  if (size < BROADCAST_HEADER.size || size > MAX_EVENT_DATA_BYTES) return { deviceType: 'unknown', deviceTypeCode, size };
  const bytes = read(0, size);
  const data = view(bytes);
  switch (deviceTypeCode) {
    case DeviceType.DEVICEINTERFACE:
      if (size < DEVICE_INTERFACE.name) break;
      return {
        deviceType: 'interface',
        classGuid: guidFromBytes(bytes, DEVICE_INTERFACE.classGuid),
        name: wideString(bytes, DEVICE_INTERFACE.name),
      };
    case DeviceType.HANDLE:
      if (size < HANDLE.data) break;
      return {
        deviceType: 'handle',
        handle: data.getBigUint64(HANDLE.handle, true),
        notification: data.getBigUint64(HANDLE.notification, true),
        eventGuid: guidFromBytes(bytes, HANDLE.eventGuid),
        nameOffset: data.getInt32(HANDLE.nameOffset, true),
        data: Uint8Array.from(bytes.subarray(HANDLE.data)),
      };
    case DeviceType.VOLUME: {
      if (size < VOLUME.size) break;
      const unitMask = data.getUint32(VOLUME.unitMask, true);
      return { deviceType: 'volume', unitMask, drives: drivesOfUnitMask(unitMask), flags: data.getUint16(VOLUME.flags, true) };
    }
    case DeviceType.PORT:
      return { deviceType: 'port', name: wideString(bytes, PORT.name) };
    case DeviceType.OEM:
      if (size < OEM.size) break;
      return {
        deviceType: 'oem',
        identifier: data.getUint32(OEM.identifier, true),
        supportedFunctions: data.getUint32(OEM.supportedFunctions, true),
      };
  }
  return { deviceType: 'unknown', deviceTypeCode, size };
}

/**
 * The event HandlerEx received, decoded; undefined for a control that is no event (stop, pause,
 * interrogate, user-defined codes…). `read` is undefined when lpEventData was NULL.
 */
export function decodeServiceEvent(control: number, eventType: number, read: ReadAt | undefined): ServiceEvent | undefined {
  switch (control) {
    case ServiceControl.SESSIONCHANGE:
      return {
        kind: 'session-change',
        reason: nameOf(SESSION_CHANGE_REASONS, eventType),
        reasonCode: eventType,
        sessionId: attempt(read, decodeSessionNotification),
      };
    case ServiceControl.POWEREVENT: {
      const setting = eventType === POWER_SETTING_CHANGE ? attempt(read, decodePowerSetting) : undefined;
      return {
        kind: 'power',
        type: nameOf(POWER_EVENT_TYPES, eventType),
        typeCode: eventType,
        query: POWER_QUERIES.has(eventType),
        ...(setting && { setting }),
      };
    }
    case ServiceControl.DEVICEEVENT: {
      const device = attempt(read, decodeDeviceBroadcast);
      return {
        kind: 'device',
        type: nameOf(DEVICE_EVENT_TYPES, eventType),
        typeCode: eventType,
        query: eventType === DEVICE_QUERY_REMOVE,
        ...(device && { device }),
      };
    }
    case ServiceControl.TIMECHANGE: {
      const times = attempt(read, decodeTimeChange);
      // Windows always sends the times; without them, both are unknown, not "now".
      return { kind: 'time-change', oldTime: times?.oldTime ?? new Date(Number.NaN), newTime: times?.newTime ?? new Date(Number.NaN) };
    }
    case ServiceControl.HARDWAREPROFILECHANGE:
      return {
        kind: 'hardware-profile',
        type: nameOf(HARDWARE_PROFILE_EVENT_TYPES, eventType),
        typeCode: eventType,
        query: eventType === QUERY_CHANGE_CONFIG,
      };
    case ServiceControl.TRIGGEREVENT:
      return { kind: 'trigger' };
    case ServiceControl.PARAMCHANGE:
      return { kind: 'param-change' };
    default: {
      const change = NET_BIND_CHANGES.get(control);
      return change ? { kind: 'net-bind', change } : undefined;
    }
  }
}
