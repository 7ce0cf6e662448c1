import { describe, expect, it } from 'vitest';
import { ServiceControl } from '../../../../runtime/service/constants.ts';
import {
  decodeDeviceBroadcast,
  decodePowerSetting,
  decodeServiceEvent,
  decodeTimeChange,
  drivesOfUnitMask,
  fileTimeToDate,
  MAX_EVENT_DATA_BYTES,
  type ReadAt,
} from '../../../../runtime/service/event-decoders.ts';
import { isQueryEvent } from '../../../../runtime/service/events.ts';
import { guidBytes, guidFromBytes } from '../../../../runtime/perf/guid.ts';

/**
 * The event data as HandlerEx's pointer would show it: reads outside the buffer throw, as a read
 * past the structure Windows gave would be a bug (the decoders must stay within the documented sizes).
 */
function reader(buffer: Buffer): ReadAt & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  const read = (offset: number, length: number) => {
    reads.push([offset, length]);
    if (offset < 0 || length < 0 || offset + length > buffer.length)
      throw new RangeError(`read of ${length} at ${offset} is outside the ${buffer.length} bytes`);
    return Uint8Array.from(buffer.subarray(offset, offset + length));
  };
  return Object.assign(read, { reads });
}

const GUID_DEVINTERFACE_USB_DEVICE = 'a5dcbf10-6530-11d2-901f-00c04fb951ed';
const GUID_ACDC_POWER_SOURCE = '5d3e9a59-e9d5-4b00-a6bd-ff34ff516548';
const GUID_POWERSCHEME_PERSONALITY = '245d8541-3943-4422-b025-13a784f679b7';

/** WTSSESSION_NOTIFICATION { DWORD cbSize; DWORD dwSessionId; } */
function sessionNotification(sessionId: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(8, 0);
  b.writeUInt32LE(sessionId, 4);
  return b;
}

/** POWERBROADCAST_SETTING { GUID PowerSetting; DWORD DataLength; UCHAR Data[1]; } */
function powerSetting(guid: string, data: Buffer, dataLength = data.length): Buffer {
  const b = Buffer.alloc(20 + Math.max(data.length, 1));
  guidBytes(guid).copy(b, 0);
  b.writeUInt32LE(dataLength, 16);
  data.copy(b, 20);
  return b;
}

/** DEV_BROADCAST_DEVICEINTERFACE_W { DWORD size, devicetype (5), reserved; GUID classguid; WCHAR name[] } */
function deviceInterface(guid: string, name: string, size?: number): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, 'utf16le');
  const b = Buffer.alloc(28 + nameBytes.length);
  b.writeUInt32LE(size ?? b.length, 0);
  b.writeUInt32LE(5, 4);
  guidBytes(guid).copy(b, 12);
  nameBytes.copy(b, 28);
  return b;
}

/** SERVICE_TIMECHANGE_INFO { LARGE_INTEGER liNewTime; LARGE_INTEGER liOldTime; } */
function timeChange(newTime: Date, oldTime: Date): Buffer {
  const toFileTime = (date: Date) => BigInt(date.getTime()) * 10_000n + 116_444_736_000_000_000n;
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(toFileTime(newTime), 0);
  b.writeBigUInt64LE(toFileTime(oldTime), 8);
  return b;
}

describe('GUIDs as Windows stores them', () => {
  it('reads back what guidBytes writes (Data1-3 little-endian, Data4 as bytes)', () => {
    const bytes = guidBytes(`{${GUID_DEVINTERFACE_USB_DEVICE.toUpperCase()}}`);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x10, 0xbf, 0xdc, 0xa5]));
    expect(bytes.subarray(8)).toEqual(Buffer.from('901f00c04fb951ed', 'hex'));
    expect(guidFromBytes(bytes)).toBe(GUID_DEVINTERFACE_USB_DEVICE);
    expect(() => guidFromBytes(bytes, 4)).toThrow(RangeError);
  });
});

describe('SERVICE_CONTROL_SESSIONCHANGE', () => {
  it('gives the reason by name and the session id', () => {
    expect(decodeServiceEvent(ServiceControl.SESSIONCHANGE, 7, reader(sessionNotification(3)))).toEqual({
      kind: 'session-change',
      reason: 'session-lock',
      reasonCode: 7,
      sessionId: 3,
    });
    expect(decodeServiceEvent(ServiceControl.SESSIONCHANGE, 1, reader(sessionNotification(0xffff_ffff)))).toMatchObject({
      reason: 'console-connect',
      sessionId: 0xffff_ffff,
    });
    expect(decodeServiceEvent(ServiceControl.SESSIONCHANGE, 11, reader(sessionNotification(2)))).toMatchObject({
      reason: 'session-terminate',
    });
  });

  it('keeps an unknown reason as its code, and leaves the session out when the data is missing or short', () => {
    expect(decodeServiceEvent(ServiceControl.SESSIONCHANGE, 99, undefined)).toEqual({
      kind: 'session-change',
      reason: 'unknown',
      reasonCode: 99,
      sessionId: undefined,
    });
    expect(decodeServiceEvent(ServiceControl.SESSIONCHANGE, 5, reader(Buffer.alloc(6)))).toMatchObject({
      reason: 'session-logon',
      sessionId: undefined,
    });
  });
});

describe('SERVICE_CONTROL_POWEREVENT', () => {
  it('names the PBT_* type, and decodes POWERBROADCAST_SETTING for PBT_POWERSETTINGCHANGE with its DWORD value', () => {
    const ac = Buffer.alloc(4);
    ac.writeUInt32LE(1, 0); // PoDcPowerSource
    expect(decodeServiceEvent(ServiceControl.POWEREVENT, 0x8013, reader(powerSetting(GUID_ACDC_POWER_SOURCE, ac)))).toEqual({
      kind: 'power',
      type: 'power-setting-change',
      typeCode: 0x8013,
      query: false,
      setting: { guid: GUID_ACDC_POWER_SOURCE, data: new Uint8Array([1, 0, 0, 0]), value: 1 },
    });
  });

  it('gives data that is no DWORD as bytes only (a power scheme GUID is 16)', () => {
    const scheme = guidBytes('381b4222-f694-41f0-9685-ff5bb260df2e');
    const setting = decodePowerSetting(reader(powerSetting(GUID_POWERSCHEME_PERSONALITY, scheme)));
    expect(setting.guid).toBe(GUID_POWERSCHEME_PERSONALITY);
    expect(guidFromBytes(setting.data)).toBe('381b4222-f694-41f0-9685-ff5bb260df2e');
    expect(setting.value).toBeUndefined();
  });

  it('reads only DataLength bytes and refuses a DataLength beyond the limit without reading it', () => {
    const read = reader(powerSetting(GUID_ACDC_POWER_SOURCE, Buffer.from([1, 2, 3, 4, 5, 6]), 2));
    expect(decodePowerSetting(read).data).toEqual(new Uint8Array([1, 2]));
    expect(read.reads).toEqual([
      [0, 20],
      [20, 2],
    ]);
    const huge = reader(powerSetting(GUID_ACDC_POWER_SOURCE, Buffer.alloc(4), MAX_EVENT_DATA_BYTES + 1));
    expect(() => decodePowerSetting(huge)).toThrow(RangeError);
    expect(huge.reads).toEqual([[0, 20]]);
    // Through decodeServiceEvent the event still comes, without the setting.
    expect(decodeServiceEvent(ServiceControl.POWEREVENT, 0x8013, huge)).toEqual({
      kind: 'power',
      type: 'power-setting-change',
      typeCode: 0x8013,
      query: false,
    });
    // Data that claims more than there is.
    expect(
      decodeServiceEvent(ServiceControl.POWEREVENT, 0x8013, reader(powerSetting(GUID_ACDC_POWER_SOURCE, Buffer.alloc(4), 400))),
    ).not.toHaveProperty('setting');
  });

  it('reads no data for the other types, and marks the suspend queries', () => {
    const read = reader(Buffer.alloc(0));
    expect(decodeServiceEvent(ServiceControl.POWEREVENT, 0x7, read)).toEqual({
      kind: 'power',
      type: 'resume-suspend',
      typeCode: 7,
      query: false,
    });
    expect(read.reads).toEqual([]);
    expect(decodeServiceEvent(ServiceControl.POWEREVENT, 0x12, undefined)).toMatchObject({ type: 'resume-automatic' });
    expect(decodeServiceEvent(ServiceControl.POWEREVENT, 0x0, undefined)).toMatchObject({ type: 'query-suspend', query: true });
    expect(decodeServiceEvent(ServiceControl.POWEREVENT, 0x4, undefined)).toMatchObject({ type: 'suspend', query: false });
    expect(decodeServiceEvent(ServiceControl.POWEREVENT, 0x1234, undefined)).toMatchObject({ type: 'unknown', typeCode: 0x1234 });
  });
});

describe('SERVICE_CONTROL_DEVICEEVENT', () => {
  it('decodes DEV_BROADCAST_DEVICEINTERFACE_W with its UTF-16 name, and marks query-remove', () => {
    const name = '\\\\?\\USB#VID_046D&PID_C52B#Ünïcødé-設備#{a5dcbf10-6530-11d2-901f-00c04fb951ed}';
    expect(decodeServiceEvent(ServiceControl.DEVICEEVENT, 0x8000, reader(deviceInterface(GUID_DEVINTERFACE_USB_DEVICE, name)))).toEqual({
      kind: 'device',
      type: 'arrival',
      typeCode: 0x8000,
      query: false,
      device: { deviceType: 'interface', classGuid: GUID_DEVINTERFACE_USB_DEVICE, name },
    });
    const query = decodeServiceEvent(ServiceControl.DEVICEEVENT, 0x8001, reader(deviceInterface(GUID_DEVINTERFACE_USB_DEVICE, 'x')));
    expect(query).toMatchObject({ type: 'query-remove', query: true });
    expect(isQueryEvent(query)).toBe(true);
    expect(decodeServiceEvent(ServiceControl.DEVICEEVENT, 0x8004, undefined)).toEqual({
      kind: 'device',
      type: 'remove-complete',
      typeCode: 0x8004,
      query: false,
    });
  });

  it('reads within dbch_size only: a name without its NUL ends there, a size beyond the limit is not read', () => {
    const full = deviceInterface(GUID_DEVINTERFACE_USB_DEVICE, 'ABCDEF');
    // dbch_size says the structure ends after "ABC" (no NUL inside it): the bytes beyond are not the name.
    const short = Buffer.from(full);
    short.writeUInt32LE(28 + 6, 0);
    expect(decodeDeviceBroadcast(reader(short))).toEqual({ deviceType: 'interface', classGuid: GUID_DEVINTERFACE_USB_DEVICE, name: 'ABC' });
    const huge = Buffer.from(full);
    huge.writeUInt32LE(MAX_EVENT_DATA_BYTES + 1, 0);
    const read = reader(huge);
    expect(decodeDeviceBroadcast(read)).toEqual({ deviceType: 'unknown', deviceTypeCode: 5, size: MAX_EVENT_DATA_BYTES + 1 });
    expect(read.reads).toEqual([[0, 12]]);
    // A size that claims more than Windows gave: the event comes without its device.
    const liar = Buffer.from(full);
    liar.writeUInt32LE(full.length + 100, 0);
    expect(decodeServiceEvent(ServiceControl.DEVICEEVENT, 0x8000, reader(liar))).not.toHaveProperty('device');
    // A header too short for an interface.
    const stub = Buffer.from(full.subarray(0, 20));
    stub.writeUInt32LE(20, 0);
    expect(decodeDeviceBroadcast(reader(stub))).toEqual({ deviceType: 'unknown', deviceTypeCode: 5, size: 20 });
    const tiny = Buffer.alloc(12);
    tiny.writeUInt32LE(4, 0);
    expect(decodeDeviceBroadcast(reader(tiny))).toEqual({ deviceType: 'unknown', deviceTypeCode: 0, size: 4 });
  });

  it('decodes DEV_BROADCAST_HANDLE with x64 alignment (the HANDLE at 16), its event GUID and custom data', () => {
    // dbch_size, devicetype 6, reserved, 4 bytes padding, HANDLE, HDEVNOTIFY, GUID, LONG nameoffset, BYTE data[]
    const b = Buffer.alloc(56 + 4);
    b.writeUInt32LE(b.length, 0);
    b.writeUInt32LE(6, 4);
    b.writeUInt32LE(0xdeadbeef, 12); // padding: must not leak into the handle
    b.writeBigUInt64LE(0x1234n, 16);
    b.writeBigUInt64LE(0xabcdn, 24);
    guidBytes('b3ad6a15-f7c8-4b8a-9c16-0b0e4c6b0c33').copy(b, 32);
    b.writeInt32LE(-1, 48);
    Buffer.from([9, 8, 7, 6, 5, 4, 3, 2]).copy(b, 52);
    expect(decodeServiceEvent(ServiceControl.DEVICEEVENT, 0x8006, reader(b))).toEqual({
      kind: 'device',
      type: 'custom-event',
      typeCode: 0x8006,
      query: false,
      device: {
        deviceType: 'handle',
        handle: 0x1234n,
        notification: 0xabcdn,
        eventGuid: 'b3ad6a15-f7c8-4b8a-9c16-0b0e4c6b0c33',
        nameOffset: -1,
        data: new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2]),
      },
    });
  });

  it('decodes DEV_BROADCAST_VOLUME (drive letters from the unit mask), _PORT_W and _OEM', () => {
    const volume = Buffer.alloc(20);
    volume.writeUInt32LE(20, 0);
    volume.writeUInt32LE(2, 4);
    volume.writeUInt32LE((1 << 4) | (1 << 25), 12); // E: and Z:
    volume.writeUInt16LE(1, 16); // DBTF_MEDIA
    expect(decodeDeviceBroadcast(reader(volume))).toEqual({
      deviceType: 'volume',
      unitMask: (1 << 4) | (1 << 25),
      drives: ['E:', 'Z:'],
      flags: 1,
    });
    expect(drivesOfUnitMask(0)).toEqual([]);
    expect(drivesOfUnitMask(0xffff_ffff)).toHaveLength(26);
    const portName = Buffer.from('COM3\0', 'utf16le');
    const port = Buffer.alloc(12 + portName.length);
    port.writeUInt32LE(port.length, 0);
    port.writeUInt32LE(3, 4);
    portName.copy(port, 12);
    expect(decodeDeviceBroadcast(reader(port))).toEqual({ deviceType: 'port', name: 'COM3' });
    const oem = Buffer.alloc(20);
    oem.writeUInt32LE(20, 0);
    oem.writeUInt32LE(0, 4);
    oem.writeUInt32LE(77, 12);
    oem.writeUInt32LE(3, 16);
    expect(decodeDeviceBroadcast(reader(oem))).toEqual({ deviceType: 'oem', identifier: 77, supportedFunctions: 3 });
    const other = Buffer.alloc(16);
    other.writeUInt32LE(16, 0);
    other.writeUInt32LE(9, 4);
    expect(decodeDeviceBroadcast(reader(other))).toEqual({ deviceType: 'unknown', deviceTypeCode: 9, size: 16 });
  });
});

describe('SERVICE_CONTROL_TIMECHANGE', () => {
  it('turns SERVICE_TIMECHANGE_INFO FILETIMEs into Dates, the new time first in the structure', () => {
    const oldTime = new Date('2026-12-02T03:00:00.123Z');
    const newTime = new Date('2027-01-01T00:00:00.000Z');
    expect(decodeServiceEvent(ServiceControl.TIMECHANGE, 0, reader(timeChange(newTime, oldTime)))).toEqual({
      kind: 'time-change',
      oldTime,
      newTime,
    });
    expect(decodeTimeChange(reader(timeChange(new Date(0), new Date(0)))).newTime.getTime()).toBe(0);
    expect(fileTimeToDate(0n).toISOString()).toBe('1601-01-01T00:00:00.000Z');
  });

  it('gives invalid Dates, not "now", when the data is missing', () => {
    const event = decodeServiceEvent(ServiceControl.TIMECHANGE, 0, undefined);
    expect(event).toMatchObject({ kind: 'time-change' });
    expect(Number.isNaN((event as { oldTime: Date }).oldTime.getTime())).toBe(true);
    expect(
      Number.isNaN((decodeServiceEvent(ServiceControl.TIMECHANGE, 0, reader(Buffer.alloc(8))) as { newTime: Date }).newTime.getTime()),
    ).toBe(true);
  });
});

describe('controls without data', () => {
  it('decodes trigger, param change, the four net bind changes and the hardware profile types', () => {
    expect(decodeServiceEvent(ServiceControl.TRIGGEREVENT, 0, undefined)).toEqual({ kind: 'trigger' });
    expect(decodeServiceEvent(ServiceControl.PARAMCHANGE, 0, undefined)).toEqual({ kind: 'param-change' });
    expect(decodeServiceEvent(ServiceControl.NETBINDADD, 0, undefined)).toEqual({ kind: 'net-bind', change: 'add' });
    expect(decodeServiceEvent(ServiceControl.NETBINDREMOVE, 0, undefined)).toEqual({ kind: 'net-bind', change: 'remove' });
    expect(decodeServiceEvent(ServiceControl.NETBINDENABLE, 0, undefined)).toEqual({ kind: 'net-bind', change: 'enable' });
    expect(decodeServiceEvent(ServiceControl.NETBINDDISABLE, 0, undefined)).toEqual({ kind: 'net-bind', change: 'disable' });
    expect(decodeServiceEvent(ServiceControl.HARDWAREPROFILECHANGE, 0x17, undefined)).toEqual({
      kind: 'hardware-profile',
      type: 'query-change-config',
      typeCode: 0x17,
      query: true,
    });
    expect(decodeServiceEvent(ServiceControl.HARDWAREPROFILECHANGE, 0x18, undefined)).toMatchObject({
      type: 'config-changed',
      query: false,
    });
    expect(decodeServiceEvent(ServiceControl.HARDWAREPROFILECHANGE, 0x19, undefined)).toMatchObject({
      type: 'config-change-canceled',
      query: false,
    });
  });

  it('is no event for stop, pause, interrogate and user-defined codes', () => {
    for (const control of [
      ServiceControl.STOP,
      ServiceControl.PAUSE,
      ServiceControl.CONTINUE,
      ServiceControl.INTERROGATE,
      ServiceControl.SHUTDOWN,
      ServiceControl.PRESHUTDOWN,
      128,
      255,
      0x40,
    ]) {
      expect(decodeServiceEvent(control, 0, reader(Buffer.alloc(64)))).toBeUndefined();
    }
    expect(isQueryEvent(undefined)).toBe(false);
    expect(isQueryEvent({ kind: 'trigger' })).toBe(false);
  });
});
