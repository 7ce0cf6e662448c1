import { describe, expect, it } from 'vitest';
import { typesSupportedMask, eventTypeName, eventTypeNumber, EVENT_TYPES } from '../../../../runtime/eventlog/event-types.ts';
import { checkEventName, isBuiltinLog } from '../../../../runtime/eventlog/names.ts';
import { checkEventReport, MAX_EVENT_DATA } from '../../../../runtime/eventlog/report.ts';
import { checkEventSourceDefinition } from '../../../../runtime/eventlog/sources.ts';

describe('event source and log names (registry key names)', () => {
  it('takes ordinary, unicode and 255-character names', () => {
    for (const name of ['OrdersService', 'My App 2', 'Überwachung-日本', 'x'.repeat(255)])
      expect(() => checkEventName(name, 'event source')).not.toThrow();
  });

  it.each([
    ['', 'cannot be empty'],
    ['   ', 'cannot be empty'],
    ['a\\b', 'contains a slash or backslash'],
    ['a/b', 'contains a slash or backslash'],
    ['tab\there', 'contains a control character'],
    [' padded', 'starts or ends with a space'],
    ['x'.repeat(256), 'at most 255 characters (a registry key name); this one has 256'],
  ])('refuses %j', (name, message) => {
    expect(() => checkEventName(name, 'event log')).toThrow(message);
  });

  it('knows the logs Windows owns, in any case', () => {
    expect(['application', 'System', 'SECURITY'].every(isBuiltinLog)).toBe(true);
    expect(isBuiltinLog('NodeServiceTest')).toBe(false);
  });
});

describe('event source definitions', () => {
  const base = { name: 'Orders', messageFiles: ['C:\\orders.dll'] };

  it('takes a full definition', () => {
    expect(() =>
      checkEventSourceDefinition({
        ...base,
        log: 'Custom',
        categoryMessageFile: 'C:\\cat.dll',
        categoryCount: 65535,
        parameterMessageFile: 'C:\\par.dll',
        typesSupported: ['error', 'auditFailure'],
      }),
    ).not.toThrow();
  });

  it.each([
    [{ ...base, messageFiles: [] }, 'needs at least one message file'],
    [{ ...base, messageFiles: [''] }, 'a message file cannot be empty'],
    [{ ...base, messageFiles: ['C:\\a.dll;C:\\b.dll'] }, "contains ';'"],
    [{ ...base, categoryMessageFile: 'C:\\cat.dll', categoryCount: 0 }, 'from 1 to 65535, not 0'],
    [{ ...base, categoryMessageFile: 'C:\\cat.dll', categoryCount: 1.5 }, 'from 1 to 65535, not 1.5'],
    [{ ...base, categoryCount: 3 }, 'give both or neither'],
    [{ ...base, categoryMessageFile: 'C:\\cat.dll' }, 'give both or neither'],
    [{ ...base, typesSupported: [] }, 'at least one type'],
    [{ ...base, typesSupported: ['fatal' as never] }, "'fatal' is not an event type"],
    [{ ...base, log: 'A\\B' }, 'cannot be an event log name'],
  ])('refuses %j', (definition, message) => {
    expect(() => checkEventSourceDefinition(definition)).toThrow(message);
  });
});

describe('event types by name', () => {
  it('maps every name to its EVENTLOG_*_TYPE and back', () => {
    expect(EVENT_TYPES.map(eventTypeNumber)).toEqual([0, 1, 2, 4, 8, 16]);
    expect(EVENT_TYPES.map((name) => eventTypeName(eventTypeNumber(name)))).toEqual(EVENT_TYPES);
    expect(eventTypeName(3)).toBeUndefined();
    expect(typesSupportedMask(['error', 'warning', 'information'])).toBe(7);
  });

  it('refuses a name that is not one, including inherited ones', () => {
    expect(() => eventTypeNumber('toString' as never)).toThrow("'toString' is not an event type");
  });
});

describe('checkEventReport (ReportEventW limits, checked before the call)', () => {
  it('fills in the defaults and converts the edge values', () => {
    expect(checkEventReport({ source: 'S', eventId: 0xc00000ff, userSid: 'S-1-5-18', data: new Uint8Array([1, 2]) })).toEqual({
      type: 4,
      category: 0,
      eventId: 0xc00000ff,
      strings: [],
      data: Buffer.from([1, 2]),
      sid: Buffer.from('010100000000000512000000', 'hex'),
    });
  });

  it('takes data of exactly the documented maximum, and a view into a larger buffer as just its bytes', () => {
    expect(checkEventReport({ source: 'S', eventId: 1, data: new Uint8Array(MAX_EVENT_DATA) }).data).toHaveLength(MAX_EVENT_DATA);
    const view = new Uint8Array(new ArrayBuffer(10), 2, 3);
    expect(checkEventReport({ source: 'S', eventId: 1, data: view }).data).toHaveLength(3);
  });

  it.each([
    [{ source: 'S', eventId: -1 }, 'eventId must be a whole number'],
    [{ source: 'S', eventId: 1.5 }, 'eventId must be a whole number'],
    [{ source: 'S', eventId: 1, category: -1 }, 'category must be a whole number from 0 to 65535'],
    [{ source: 'S', eventId: 1, strings: ['x'.repeat(31_840)] }, 'insert string 1 has 31840 characters'],
    [{ source: 'S', eventId: 1, strings: ['a', 'b\0'] }, 'insert string 2 contains a NUL character'],
    [{ source: 'S', eventId: 1, data: new Uint8Array(MAX_EVENT_DATA + 1) }, 'at most 261991 bytes of data'],
    [{ source: 'S', eventId: 1, userSid: 'S-1-5-' }, 'is not a SID'],
    [{ source: 'a\\b', eventId: 1 }, 'contains a slash or backslash'],
  ])('refuses %#', (report, message) => {
    expect(() => checkEventReport(report)).toThrow(message);
  });
});
