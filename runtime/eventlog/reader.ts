/**
 * Reading an event log, as pywin32's win32evtlog/win32evtlogutil: records forwards or backwards,
 * from a record number, in batches or through an async iterator, and their text as Event Viewer
 * shows it; a backup file read as a log; backing up and clearing; following new records as they
 * are written (NotifyChangeEventLog).
 * @module
 */
import fs from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  backupEventLog,
  clearEventLog,
  closeEventLog,
  EventLogRead,
  notifyChangeEventLog,
  numberOfEventLogRecords,
  oldestEventLogRecord,
  openBackupEventLog,
  openEventLog,
  readEventLog,
  type EventLogHandle,
} from '../win32/advapi32/eventlog.ts';
import type { EventHandle } from '../win32/kernel32/events.ts';
import { isWindowsError } from '../win32/windows-error.ts';
import { OwnedHandle } from '../win32/owned-handle.ts';
import { WakeEvent } from './wake-event.ts';
import { formatEventMessage } from './format.ts';
import { decodeEventLogRecords, type EventLogRecord } from './record.ts';
import { ErrorCode } from '../win32/errors.ts';
import { enablePrivilege, Privilege } from '../win32/advapi32/privileges.ts';

export type { EventLogRecord } from './record.ts';

/** Where reading starts and which way it goes. */
export interface ReadOptions {
  /** 'forwards' (oldest first, the default) or 'backwards' (newest first). */
  direction?: 'forwards' | 'backwards';
  /** The record number to start at; by default the first one in `direction`. */
  from?: number;
}

/** How {@link EventLog.follow} goes. */
export interface FollowOptions {
  /** Ends the iteration (cleanly: the pending wait is woken, then the handles are closed). */
  signal?: AbortSignal;
  /**
   * The longest wait for a change notification before reading anyway (default 1000 ms): a
   * notification is not sent for every entry, and Wine never sends one.
   */
  pollMs?: number;
}

/** A read handle whose log was cleared (or replaced) since it was opened. */

function alreadyExists(file: string, cause?: unknown): Error {
  return new Error(`'${file}' already exists: a log is never backed up over a file; choose another name or delete it first`, { cause });
}

/** ERROR_PRIVILEGE_NOT_HELD said as what to do; any other error as it is. */
function backupRefused(error: unknown): unknown {
  if (!isWindowsError(error) || error.code !== ErrorCode.ERROR_PRIVILEGE_NOT_HELD) return error;
  return new Error('backing up an event log needs SeBackupPrivilege: run it from an elevated prompt (as an administrator)', {
    cause: error,
  });
}

/** An open event log: `using log = EventLog.open(…)` (or `close()`); closing twice does nothing. */
export class EventLog implements Disposable {
  #owned: OwnedHandle<EventLogHandle>;
  /** How to open the log again (a live log, not a backup file): follow() does when the log was cleared. */
  readonly #reopen: (() => EventLogHandle) | undefined;
  /** The log's name (Application, System…). */
  readonly log: string;

  private constructor(handle: EventLogHandle, log: string, reopen?: () => EventLogHandle) {
    this.#owned = new OwnedHandle(handle, closeEventLog, `handle to the ${log} event log`);
    this.log = log;
    this.#reopen = reopen;
  }

  get #handle(): EventLogHandle {
    return this.#owned.handle;
  }

  /** Opens `log` on this machine, or on `machine` (`\\server` or `server`). */
  static open(log = 'Application', machine?: string): EventLog {
    const reopen = () => openEventLog(machine ?? null, log);
    return new EventLog(reopen(), log, reopen);
  }

  /**
   * Opens a backup file (.evt) that {@link backup} or {@link clear} wrote, to read as a log.
   * https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-openbackupeventlogw
   */
  static openBackup(file: string, machine?: string): EventLog {
    try {
      return new EventLog(openBackupEventLog(machine ?? null, file), file);
    } catch (error) {
      if (isWindowsError(error) && (error.code === ErrorCode.ERROR_FILE_NOT_FOUND || error.code === ErrorCode.ERROR_PATH_NOT_FOUND)) {
        throw new Error(`the backup file '${file}' does not exist`, { cause: error });
      }
      throw error;
    }
  }

  /** Saves the log to `file`, which must not exist. https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-backupeventlogw */
  backup(file: string): void {
    // Windows wants SeBackupPrivilege enabled for a backup, which an elevated token holds disabled.
    using _backup = enablePrivilege(Privilege.SeBackupPrivilege);
    try {
      backupEventLog(this.#handle, file);
    } catch (error) {
      throw isWindowsError(error) && error.code === ErrorCode.ERROR_ALREADY_EXISTS ? alreadyExists(file, error) : backupRefused(error);
    }
  }

  /**
   * Empties the log, first saving it to `backupTo` when given. A `backupTo` that exists is refused
   * before anything is cleared (Windows refuses it too; checking first makes it so everywhere).
   * https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-cleareventlogw
   */
  clear(options: { backupTo?: string } = {}): void {
    const backupTo = options.backupTo;
    if (backupTo !== undefined && fs.existsSync(backupTo)) throw alreadyExists(backupTo);
    using _backup = backupTo === undefined ? undefined : enablePrivilege(Privilege.SeBackupPrivilege);
    try {
      clearEventLog(this.#handle, backupTo ?? null);
    } catch (error) {
      throw isWindowsError(error) && error.code === ErrorCode.ERROR_ALREADY_EXISTS && backupTo
        ? alreadyExists(backupTo, error)
        : backupRefused(error);
    }
  }

  /**
   * The records written from now on, as they come, until `signal` aborts or the caller stops
   * iterating: NotifyChangeEventLog sets an event the wait for which runs on a worker thread, and
   * new records are read after each notification or `pollMs` without one. When the log is cleared
   * meanwhile (ERROR_EVENTLOG_FILE_CHANGED), it is opened again and followed from its new start.
   * https://learn.microsoft.com/windows/win32/eventlog/receiving-event-notification
   */
  async *follow(options: FollowOptions = {}): AsyncGenerator<EventLogRecord> {
    const { signal, pollMs = 1000 } = options;
    using wake = new WakeEvent(signal);
    const event = wake.handle;
    notifyChangeEventLog(this.#handle, event);
    this.#skipToEnd();
    while (!signal?.aborted) {
      for (let batch = this.#readNew(event); batch.length > 0; batch = this.#readNew(event)) yield* batch;
      if (signal?.aborted) break;
      await wake.wait(pollMs);
    }
  }

  /** Positions the sequential reads after the newest record: seeking to it reads it. */
  #skipToEnd(): void {
    const count = this.count;
    if (count > 0) readEventLog(this.#handle, EventLogRead.SEEK | EventLogRead.FORWARDS, this.oldest + count - 1);
  }

  #readSequential(): EventLogRecord[] {
    return decodeEventLogRecords(readEventLog(this.#handle, EventLogRead.SEQUENTIAL | EventLogRead.FORWARDS, 0));
  }

  /** The next records; after a clear, the log's handle is replaced and notification asked again. */
  #readNew(event: EventHandle): EventLogRecord[] {
    try {
      return this.#readSequential();
    } catch (error) {
      if (!isWindowsError(error) || error.code !== ErrorCode.ERROR_EVENTLOG_FILE_CHANGED || this.#reopen === undefined) throw error;
      const fresh = new OwnedHandle(this.#reopen(), closeEventLog, `handle to the ${this.log} event log`);
      this.#owned[Symbol.dispose]();
      this.#owned = fresh;
      notifyChangeEventLog(this.#handle, event);
      return this.#readSequential();
    }
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

  /** Closes the log (throwing if CloseEventLog fails). Closing twice does nothing. */
  close(): void {
    this.#owned.close();
  }

  /** Closes the log; a failure is a warning, never an error that hides the block's own (see owned-handle.ts). */
  [Symbol.dispose](): void {
    this.#owned[Symbol.dispose]();
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
