/**
 * EVENTLOGRECORD, the layout ReadEventLogW returns, decoded into the fields pywin32's
 * PyEventLogRecord has. https://learn.microsoft.com/windows/win32/api/winnt/ns-winnt-eventlogrecord
 * @module
 */
import { sidToString } from './sid.ts';

export { sidToString } from './sid.ts';

/** One Event Log entry. */
export interface EventLogRecord {
  recordNumber: number;
  timeGenerated: Date;
  timeWritten: Date;
  /** The full 32-bit event id (severity bits included), as the message table knows it. */
  eventId: number;
  /** EVENTLOG_*_TYPE. */
  eventType: number;
  eventCategory: number;
  reservedFlags: number;
  closingRecordNumber: number;
  sourceName: string;
  computerName: string;
  /** The inserts (%1, %2…) the entry was written with. */
  stringInserts: string[];
  /** The user's SID as text (`S-1-5-18`), when the entry has one. */
  sid?: string;
  /** The entry's binary data. */
  data: Buffer;
}

/** The signature in every record's Reserved field: 'LfLe'. */
const ELF_LOG_SIGNATURE = 0x654c664c;
const HEADER_SIZE = 56;

/** A NUL-terminated UTF-16LE string at `offset`, and the offset after its NUL. */
function wideString(buffer: Buffer, offset: number, end: number): [string, number] {
  let stop = offset;
  while (stop + 1 < end && buffer.readUInt16LE(stop) !== 0) stop += 2;
  return [buffer.toString('utf16le', offset, stop), stop + 2];
}

/** Decodes the records in the first `length` bytes of a ReadEventLogW buffer. */
export function decodeEventLogRecords(buffer: Buffer, length = buffer.length): EventLogRecord[] {
  const records: EventLogRecord[] = [];
  for (let offset = 0; offset < length; ) {
    const size = buffer.readUInt32LE(offset);
    if (size < HEADER_SIZE || offset + size > length || buffer.readUInt32LE(offset + 4) !== ELF_LOG_SIGNATURE) {
      throw new Error(`malformed EVENTLOGRECORD at byte ${offset}`);
    }
    const record = buffer.subarray(offset, offset + size);
    const numStrings = record.readUInt16LE(26);
    const [sourceName, afterSource] = wideString(record, HEADER_SIZE, size);
    const [computerName] = wideString(record, afterSource, size);
    const stringInserts: string[] = [];
    for (let i = 0, at = record.readUInt32LE(36); i < numStrings; i++) {
      const [text, next] = wideString(record, at, size);
      stringInserts.push(text);
      at = next;
    }
    const sidLength = record.readUInt32LE(40);
    const sidOffset = record.readUInt32LE(44);
    const dataLength = record.readUInt32LE(48);
    const dataOffset = record.readUInt32LE(52);
    records.push({
      recordNumber: record.readUInt32LE(8),
      timeGenerated: new Date(record.readUInt32LE(12) * 1000),
      timeWritten: new Date(record.readUInt32LE(16) * 1000),
      eventId: record.readUInt32LE(20),
      eventType: record.readUInt16LE(24),
      eventCategory: record.readUInt16LE(28),
      reservedFlags: record.readUInt16LE(30),
      closingRecordNumber: record.readUInt32LE(32),
      sourceName,
      computerName,
      stringInserts,
      sid: sidLength > 0 ? sidToString(record.subarray(sidOffset, sidOffset + sidLength)) : undefined,
      data: Buffer.from(record.subarray(dataOffset, dataOffset + dataLength)),
    });
    offset += size;
  }
  return records;
}
