import { describe, expect, it } from 'vitest';
import { readTriggerKey, writeTriggerKey } from '../../../../runtime/control/trigger-config.ts';
import type { RawTrigger } from '../../../../runtime/control/trigger-info.ts';
import { fromRawTrigger, toRawTrigger, toRawTriggers, type ServiceTrigger } from '../../../../runtime/control/triggers.ts';

const utf16 = (text: string) => new Uint8Array(Buffer.from(text, 'utf16le'));

describe('toRawTrigger', () => {
  it('maps each named event to its SERVICE_TRIGGER type, action and subtype GUID', () => {
    const cases: [ServiceTrigger, number, number, string][] = [
      [{ action: 'start', type: 'networkAvailable' }, 2, 1, '4f27f2de-14e2-430b-a549-7cd48cbc8245'],
      [{ action: 'stop', type: 'networkLost' }, 2, 2, 'cc4ba62a-162e-4648-847a-b6bdf993e335'],
      [{ action: 'start', type: 'domainJoin' }, 3, 1, '1ce20aba-9851-4421-9430-1ddeb766e809'],
      [{ action: 'stop', type: 'domainLeave' }, 3, 2, 'ddaf516e-58c2-4866-9574-c3b615d42ea1'],
      [{ action: 'start', type: 'groupPolicy', scope: 'machine' }, 5, 1, '659fcae6-5bdb-4da9-b1ff-ca2a178d46e0'],
      [{ action: 'start', type: 'groupPolicy', scope: 'user' }, 5, 1, '54fb46c8-f089-464c-b1fd-59d1b62c3b50'],
      [{ action: 'start', type: 'firewallPortOpen', port: 8080, protocol: 'tcp' }, 4, 1, 'b7569e07-8421-4ee0-ad10-86915afdad09'],
      [{ action: 'stop', type: 'firewallPortClose', port: 'RPC', protocol: 'udp' }, 4, 2, 'a144ed38-8e12-4de4-9d96-e64740b1a524'],
      [{ action: 'start', type: 'namedPipe', pipe: 'mypipe' }, 6, 1, '1f81d131-3fac-4537-9e0c-7e7b0c2f4b55'],
      [
        { action: 'start', type: 'rpcInterface', interface: '{12345678-1234-1234-1234-123456789ABC}' },
        6,
        1,
        'bc90d167-9470-4139-a9ba-be0bbbf5b74d',
      ],
      [
        { action: 'start', type: 'deviceInterfaceArrival', interfaceClass: '{53F56307-B6BF-11D0-94F2-00A0C91EFB8B}' },
        1,
        1,
        '53f56307-b6bf-11d0-94f2-00a0c91efb8b',
      ],
      [{ action: 'stop', type: 'custom', provider: '0063715b-eeda-4007-9429-ad526f62696e' }, 20, 2, '0063715b-eeda-4007-9429-ad526f62696e'],
    ];
    for (const [trigger, type, action, subtype] of cases) expect(toRawTrigger(trigger)).toMatchObject({ type, action, subtype });
  });

  it('writes the data items as the SCM keeps them', () => {
    expect(
      toRawTrigger({
        action: 'start',
        type: 'firewallPortOpen',
        port: 5001,
        protocol: 'udp',
        executable: '%ProgramFiles%\\App\\app.exe',
        user: 'MyService',
      }).data,
    ).toEqual([{ type: 2, bytes: utf16('5001\0UDP\0%ProgramFiles%\\App\\app.exe\0MyService\0\0') }]);
    expect(
      toRawTrigger({
        action: 'start',
        type: 'deviceInterfaceArrival',
        interfaceClass: '53f56307-b6bf-11d0-94f2-00a0c91efb8b',
        hardwareIds: ['USBSTOR\\GenDisk', 'USB\\VID_1234'],
      }).data,
    ).toEqual([
      { type: 2, bytes: utf16('USBSTOR\\GenDisk\0') },
      { type: 2, bytes: utf16('USB\\VID_1234\0') },
    ]);
    const custom = toRawTrigger({
      action: 'start',
      type: 'custom',
      provider: '0063715b-eeda-4007-9429-ad526f62696e',
      data: [
        { type: 'string', value: 'x' },
        { type: 'strings', value: ['a', 'b'] },
        { type: 'binary', value: '0aff' },
        { type: 'level', value: 4 },
        { type: 'keywordAny', value: 0x8000_0000_0000_0001n },
        { type: 'keywordAll', value: '0x10' },
      ],
    });
    expect(custom.data.map((item) => [item.type, Buffer.from(item.bytes).toString('hex')])).toEqual([
      [2, '78000000'],
      [2, '6100000062000000' + '0000'],
      [1, '0aff'],
      [3, '04'],
      [4, '0100000000000080'],
      [5, '1000000000000000'],
    ]);
  });

  it('refuses bad values, naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ action: 'restart', type: 'domainJoin' }, /action must be 'start' or 'stop'/],
      [{ action: 'start', type: 'reboot' }, /type must be one of/],
      [{ action: 'start', type: 'firewallPortOpen', port: 0, protocol: 'tcp' }, /port must be 1–65535/],
      [{ action: 'start', type: 'firewallPortOpen', port: 65536, protocol: 'tcp' }, /port must be/],
      [{ action: 'start', type: 'firewallPortOpen', port: 80, protocol: 'icmp' }, /protocol must be 'tcp' or 'udp'/],
      [{ action: 'start', type: 'firewallPortOpen', port: 80, protocol: 'tcp', user: 'X' }, /user needs executable/],
      [{ action: 'start', type: 'groupPolicy', scope: 'domain' }, /scope must be 'machine' or 'user'/],
      [{ action: 'start', type: 'deviceInterfaceArrival', interfaceClass: 'not-a-guid' }, /interfaceClass must be a GUID/],
      [{ action: 'start', type: 'deviceInterfaceArrival', interfaceClass: '{53f56307-b6bf-11d0-94f2-00a0c91efb8b' }, /must be a GUID/],
      [
        { action: 'start', type: 'deviceInterfaceArrival', interfaceClass: '53f56307-b6bf-11d0-94f2-00a0c91efb8b', hardwareIds: ['a\0b'] },
        /hardwareIds\[0\]/,
      ],
      [{ action: 'stop', type: 'namedPipe', pipe: 'p' }, /can only start/],
      [
        { action: 'start', type: 'custom', provider: '0063715b-eeda-4007-9429-ad526f62696e', data: [{ type: 'level', value: 256 }] },
        /data\[0\] must be a level/,
      ],
      [
        { action: 'start', type: 'custom', provider: '0063715b-eeda-4007-9429-ad526f62696e', data: [{ type: 'binary', value: 'abc' }] },
        /bytes as hex/,
      ],
      [
        { action: 'start', type: 'custom', provider: '0063715b-eeda-4007-9429-ad526f62696e', data: [{ type: 'keywordAny', value: -1n }] },
        /64-bit keyword/,
      ],
      [
        {
          action: 'start',
          type: 'custom',
          provider: '0063715b-eeda-4007-9429-ad526f62696e',
          data: [{ type: 'string', value: 'x'.repeat(512) }],
        },
        /1026 bytes; the SCM takes at most 1024/,
      ],
      [null, /must be an object/],
    ];
    for (const [trigger, message] of bad) expect(() => toRawTrigger(trigger as ServiceTrigger), String(message)).toThrow(message);
  });

  it('refuses more than 64 triggers, and the same trigger twice', () => {
    const many = Array.from(
      { length: 65 },
      (_, i): ServiceTrigger => ({ action: 'start', type: 'firewallPortOpen', port: i + 1, protocol: 'tcp' }),
    );
    expect(() => toRawTriggers(many)).toThrow(/65 triggers; the SCM takes at most 64/);
    expect(() =>
      toRawTriggers(
        [
          { action: 'start', type: 'domainJoin' },
          { action: 'start', type: 'domainJoin' },
        ],
        'static svcTriggers of X',
      ),
    ).toThrow('static svcTriggers of X[1] repeats an earlier trigger');
    expect(() => toRawTriggers('x' as never)).toThrow(/must be an array/);
  });
});

describe('fromRawTrigger', () => {
  it('names every trigger toRawTrigger makes, as it was given (GUIDs lower case without braces)', () => {
    const triggers: ServiceTrigger[] = [
      { action: 'start', type: 'networkAvailable' },
      { action: 'stop', type: 'networkLost' },
      { action: 'start', type: 'domainJoin' },
      { action: 'stop', type: 'domainLeave' },
      { action: 'start', type: 'groupPolicy', scope: 'user' },
      { action: 'start', type: 'firewallPortOpen', port: 8080, protocol: 'tcp' },
      { action: 'stop', type: 'firewallPortClose', port: 'RPC', protocol: 'udp', executable: 'system' },
      {
        action: 'start',
        type: 'deviceInterfaceArrival',
        interfaceClass: '53f56307-b6bf-11d0-94f2-00a0c91efb8b',
        hardwareIds: ['USBSTOR\\GenDisk'],
      },
      { action: 'start', type: 'deviceInterfaceArrival', interfaceClass: '53f56307-b6bf-11d0-94f2-00a0c91efb8b' },
      {
        action: 'start',
        type: 'custom',
        provider: '0063715b-eeda-4007-9429-ad526f62696e',
        data: [
          { type: 'strings', value: ['a', 'b'] },
          { type: 'level', value: 2 },
          { type: 'keywordAll', value: '0x8000000000000001' },
          { type: 'binary', value: '00ff' },
          { type: 'string', value: '' },
        ],
      },
      { action: 'start', type: 'namedPipe', pipe: 'pipe\\name' },
      { action: 'start', type: 'rpcInterface', interface: '12345678-1234-1234-1234-123456789abc' },
      {
        action: 'stop',
        type: 'other',
        triggerType: 7,
        subtype: '2d7a2816-0c5e-45fc-9ce7-570e5ecde9c9',
        data: [{ type: 'binary', value: '7510bca33a1a8241' }],
      },
    ];
    for (const trigger of triggers) expect(fromRawTrigger(toRawTrigger(trigger))).toEqual(trigger);
  });

  it('keeps what no name fits as other, with its numbers', () => {
    const raw: RawTrigger = { type: 2, action: 1, subtype: '00000000-0000-0000-0000-000000000001', data: [] };
    expect(fromRawTrigger(raw)).toEqual({ action: 'start', type: 'other', triggerType: 2, subtype: raw.subtype, data: [] });
    const badPort: RawTrigger = {
      type: 4,
      action: 1,
      subtype: 'b7569e07-8421-4ee0-ad10-86915afdad09',
      data: [{ type: 2, bytes: utf16('http\0TCP\0\0') }],
    };
    expect(fromRawTrigger(badPort)).toMatchObject({ type: 'other', triggerType: 4, data: [{ type: 'strings', value: ['http', 'TCP'] }] });
    expect(fromRawTrigger({ ...raw, type: 20, data: [{ type: 2, bytes: Uint8Array.of(1, 2, 3) }] })).toMatchObject({
      type: 'custom',
      data: [{ type: 'binary', value: '010203' }],
    });
  });
});

describe('TriggerInfo keys', () => {
  /** A registry key in memory, with the value types the SCM uses. */
  function memoryKey() {
    const values = new Map<string, number | Buffer>();
    return {
      values,
      getNumber: (name: string) => (typeof values.get(name) === 'number' ? (values.get(name) as number) : undefined),
      getBinary: (name: string) => (Buffer.isBuffer(values.get(name)) ? (values.get(name) as Buffer) : undefined),
      setNumber: (name: string, value: number) => void values.set(name, value),
      setBinary: (name: string, value: Buffer) => void values.set(name, value),
    };
  }

  it('writes Type, Action, GUID, Data<i> and DataType<i> as Windows stores them, and reads them back', () => {
    const key = memoryKey();
    const raw = toRawTrigger({ action: 'start', type: 'firewallPortOpen', port: 139, protocol: 'tcp', executable: 'System' });
    writeTriggerKey(key as never, raw);
    // Services\Browser\TriggerInfo\0 on Windows: GUID 079E56B72184E04EAD1086915AFDAD09, Data0 "139\0TCP\0System\0\0", DataType0 2.
    expect(key.values.get('Type')).toBe(4);
    expect(key.values.get('Action')).toBe(1);
    expect((key.values.get('GUID') as Buffer).toString('hex').toUpperCase()).toBe('079E56B72184E04EAD1086915AFDAD09');
    expect((key.values.get('Data0') as Buffer).toString('hex').toUpperCase()).toBe(
      '31003300390000005400430050000000530079007300740065006D0000000000',
    );
    expect(key.values.get('DataType0')).toBe(2);
    expect(readTriggerKey(key as never)).toEqual(raw);
  });

  it('reads nothing from a key that is not a trigger', () => {
    const key = memoryKey();
    key.setNumber('Type', 2);
    expect(readTriggerKey(key as never)).toBeUndefined();
    key.setNumber('Action', 1);
    key.setBinary('GUID', Buffer.alloc(15));
    expect(readTriggerKey(key as never)).toBeUndefined();
  });
});
