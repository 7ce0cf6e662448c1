import { describe, expect, it } from 'vitest';
import { decodeEventLogRecords, sidToString } from '../../../../runtime/eventlog/record.ts';

/** Builds an EVENTLOGRECORD as the documented layout has it (winnt.h), independently of the decoder. */
function eventLogRecord(fields: {
  recordNumber: number;
  time: number;
  eventId: number;
  eventType: number;
  category: number;
  source: string;
  computer: string;
  strings: string[];
  sid?: Buffer;
  data?: Buffer;
}): Buffer {
  const wide = (text: string) => Buffer.from(`${text}\0`, 'utf16le');
  const names = Buffer.concat([wide(fields.source), wide(fields.computer)]);
  const sidPad = Buffer.alloc((4 - ((56 + names.length) % 4)) % 4);
  const sid = fields.sid ?? Buffer.alloc(0);
  const strings = Buffer.concat(fields.strings.map(wide));
  const data = fields.data ?? Buffer.alloc(0);
  const sidOffset = 56 + names.length + sidPad.length;
  const stringOffset = sidOffset + sid.length;
  const dataOffset = stringOffset + strings.length;
  const unpadded = dataOffset + data.length + 4;
  const pad = Buffer.alloc((4 - (unpadded % 4)) % 4);
  const length = unpadded + pad.length;
  const header = Buffer.alloc(56);
  header.writeUInt32LE(length, 0);
  header.writeUInt32LE(0x654c664c, 4);
  header.writeUInt32LE(fields.recordNumber, 8);
  header.writeUInt32LE(fields.time, 12);
  header.writeUInt32LE(fields.time + 1, 16);
  header.writeUInt32LE(fields.eventId, 20);
  header.writeUInt16LE(fields.eventType, 24);
  header.writeUInt16LE(fields.strings.length, 26);
  header.writeUInt16LE(fields.category, 28);
  header.writeUInt32LE(stringOffset, 36);
  header.writeUInt32LE(sid.length, 40);
  header.writeUInt32LE(sid.length ? sidOffset : 0, 44);
  header.writeUInt32LE(data.length, 48);
  header.writeUInt32LE(dataOffset, 52);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32LE(length);
  return Buffer.concat([header, names, sidPad, sid, strings, data, pad, trailer]);
}

// S-1-5-21-1-2-3-1000
const userSid = Buffer.from('010500000000000515000000010000000200000003000000e8030000', 'hex');

describe('EVENTLOGRECORD decoding', () => {
  it('decodes consecutive records with every field of pywin32 Table 18-1', () => {
    const first = eventLogRecord({
      recordNumber: 7,
      time: 1_700_000_000,
      eventId: 0x40001002,
      eventType: 4,
      category: 0,
      source: 'PipeService',
      computer: 'HOST1',
      strings: ['PipeService', ''],
      sid: userSid,
    });
    const second = eventLogRecord({
      recordNumber: 8,
      time: 1_700_000_060,
      eventId: 0xc00000ff,
      eventType: 1,
      category: 3,
      source: 'host',
      computer: 'HOST1',
      strings: ['disk full: é'],
      data: Buffer.from([1, 2, 3]),
    });
    const records = decodeEventLogRecords(Buffer.concat([first, second, Buffer.alloc(16)]), first.length + second.length);
    expect(records).toEqual([
      {
        recordNumber: 7,
        timeGenerated: new Date(1_700_000_000_000),
        timeWritten: new Date(1_700_000_001_000),
        eventId: 0x40001002,
        eventType: 4,
        eventCategory: 0,
        reservedFlags: 0,
        closingRecordNumber: 0,
        sourceName: 'PipeService',
        computerName: 'HOST1',
        stringInserts: ['PipeService', ''],
        sid: 'S-1-5-21-1-2-3-1000',
        data: Buffer.alloc(0),
      },
      expect.objectContaining({
        recordNumber: 8,
        eventId: 0xc00000ff,
        eventType: 1,
        eventCategory: 3,
        sourceName: 'host',
        stringInserts: ['disk full: é'],
        sid: undefined,
        data: Buffer.from([1, 2, 3]),
      }),
    ]);
  });

  it('refuses a buffer that is not EVENTLOGRECORDs', () => {
    const record = eventLogRecord({
      recordNumber: 1,
      time: 0,
      eventId: 1,
      eventType: 4,
      category: 0,
      source: 's',
      computer: 'c',
      strings: [],
    });
    record.writeUInt32LE(0, 4);
    expect(() => decodeEventLogRecords(record)).toThrow('malformed EVENTLOGRECORD at byte 0');
  });

  it('writes SIDs as text', () => {
    expect(sidToString(Buffer.from('010100000000000512000000', 'hex'))).toBe('S-1-5-18');
  });
});
