/**
 * Reading an event log, as pywin32's win32evtlog/win32evtlogutil: records forwards or backwards,
 * from a record number, in batches or through an async iterator, and their text as Event Viewer
 * shows it.
 * @module
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  closeEventLog,
  EventLogRead,
  numberOfEventLogRecords,
  oldestEventLogRecord,
  openEventLog,
  readEventLog,
  type EventLogHandle,
} from '../win32/advapi32/eventlog.ts';
import { formatEventMessage } from './format.ts';
import { decodeEventLogRecords, type EventLogRecord } from './record.ts';

export type { EventLogRecord } from './record.ts';

/** Where reading starts and which way it goes. */
export interface ReadOptions {
  /** 'forwards' (oldest first, the default) or 'backwards' (newest first). */
  direction?: 'forwards' | 'backwards';
  /** The record number to start at; by default the first one in `direction`. */
  from?: number;
}

/** An open event log. Close it (or use `using`) when done. */
export class EventLog implements Disposable {
  readonly #handle: EventLogHandle;
  /** The log's name (Application, System…). */
  readonly log: string;
  #closed = false;

  private constructor(handle: EventLogHandle, log: string) {
    this.#handle = handle;
    this.log = log;
  }

  /** Opens `log` on this machine, or on `machine` (`\\server` or `server`). */
  static open(log = 'Application', machine?: string): EventLog {
    return new EventLog(openEventLog(machine ?? null, log), log);
  }

  /** How many records the log holds. */
  get count(): number {
    return numberOfEventLogRecords(this.#handle);
  }

  /** The record number of the oldest record. */
  get oldest(): number {
    return oldestEventLogRecord(this.#handle);
  }

  /** Reads the next batch in a sequence of reads; [] at the end. `from` seeks first. */
  read(options: ReadOptions = {}): EventLogRecord[] {
    const direction = options.direction === 'backwards' ? EventLogRead.BACKWARDS : EventLogRead.FORWARDS;
    const how = options.from === undefined ? EventLogRead.SEQUENTIAL : EventLogRead.SEEK;
    const data = readEventLog(this.#handle, how | direction, options.from ?? 0);
    return decodeEventLogRecords(data);
  }

  /** Every record from the start point to the end, batch by batch, letting other work run between batches. */
  async *records(options: ReadOptions = {}): AsyncGenerator<EventLogRecord> {
    let batch = this.read(options);
    const sequential = { direction: options.direction };
    while (batch.length > 0) {
      yield* batch;
      await yieldToEventLoop();
      batch = this.read(sequential);
    }
  }

  /** Closes the log. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeEventLog(this.#handle);
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * A record's text as Event Viewer shows it, from its source's message files in `log`. Throws when
 * no message file has its id.
 */
export function formatMessage(record: EventLogRecord, log = 'Application'): string {
  const text = formatEventMessage(record.sourceName, record.eventId, record.stringInserts, log);
  if (text === undefined) throw new Error(`no message file of source '${record.sourceName}' has event id 0x${record.eventId.toString(16)}`);
  return text;
}

/** As {@link formatMessage}, but never throws: the text Event Viewer shows when the description cannot be found. */
export function safeFormatMessage(record: EventLogRecord, log = 'Application'): string {
  try {
    return formatMessage(record, log);
  } catch {
    const inserts =
      record.stringInserts.length > 0 ? ` The following information was included with the event: ${record.stringInserts.join('; ')}` : '';
    return `The description for Event ID ${record.eventId & 0xffff} from source ${record.sourceName} cannot be found.${inserts}`;
  }
}
