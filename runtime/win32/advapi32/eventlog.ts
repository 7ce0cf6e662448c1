/**
 * advapi32.dll, the classic Event Log surface: writing entries under an event source, reading a log
 * or a backup file, backing up and clearing a log, and asking to be told when a log changes.
 * https://learn.microsoft.com/windows/win32/eventlog/event-logging-functions
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import type { WindowsError } from '../windows-error.ts';
import { ErrorCode, lastError } from '../errors.ts';

/** An event source handle from registerEventSource. */
export type EventSourceHandle = unknown;

const api = bindLibrary('advapi32.dll', (dll) => ({
  RegisterEventSourceW: dll.func('void * __stdcall RegisterEventSourceW(const char16_t *server, const char16_t *source)'),
  DeregisterEventSource: dll.func('bool __stdcall DeregisterEventSource(void *handle)'),
  ReportEventW: dll.func(
    'bool __stdcall ReportEventW(void *handle, uint16 type, uint16 category, uint32 eventId, const uint8_t *userSid, uint16 numStrings, uint32 dataSize, const char16_t **strings, const uint8_t *rawData)',
  ),
  OpenBackupEventLogW: dll.func('void * __stdcall OpenBackupEventLogW(const char16_t *server, const char16_t *file)'),
  BackupEventLogW: dll.func('bool __stdcall BackupEventLogW(void *handle, const char16_t *file)'),
  ClearEventLogW: dll.func('bool __stdcall ClearEventLogW(void *handle, const char16_t *backupFile)'),
  NotifyChangeEventLog: dll.func('bool __stdcall NotifyChangeEventLog(void *handle, void *event)'),
  OpenEventLogW: dll.func('void * __stdcall OpenEventLogW(const char16_t *server, const char16_t *source)'),
  CloseEventLog: dll.func('bool __stdcall CloseEventLog(void *handle)'),
  ReadEventLogW: dll.func(
    'bool __stdcall ReadEventLogW(void *handle, uint32 flags, uint32 offset, _Out_ uint8_t *buffer, uint32 size, _Out_ uint32 *read, _Out_ uint32 *needed)',
  ),
  GetNumberOfEventLogRecords: dll.func('bool __stdcall GetNumberOfEventLogRecords(void *handle, _Out_ uint32 *count)'),
  GetOldestEventLogRecord: dll.func('bool __stdcall GetOldestEventLogRecord(void *handle, _Out_ uint32 *oldest)'),
}));

/** An open event log from openEventLog. */
export type EventLogHandle = unknown;

/** ReadEventLogW flags. */
export const EventLogRead = {
  SEQUENTIAL: 0x1,
  SEEK: 0x2,
  FORWARDS: 0x4,
  BACKWARDS: 0x8,
} as const;

/** Opens the log `log` (Application, System…) on `server` (null: this machine) for reading. */
export function openEventLog(server: string | null, log: string): EventLogHandle {
  const handle = api().OpenEventLogW(server, log);
  if (!handle) throw lastError('OpenEventLogW');
  return handle;
}

/** Closes a log from openEventLog. */
export function closeEventLog(handle: EventLogHandle): void {
  if (!api().CloseEventLog(handle)) throw lastError('CloseEventLog');
}

/**
 * Reads the next records (EVENTLOGRECORD bytes) in the direction of `flags`, from record `offset`
 * with SEEK; an empty buffer at the end of the log. Grows the buffer when a record does not fit.
 */
export function readEventLog(handle: EventLogHandle, flags: number, offset: number, size = 0x10000): Buffer {
  let buffer = Buffer.alloc(size);
  for (;;) {
    const read = [0];
    const needed = [0];
    if (api().ReadEventLogW(handle, flags, offset, buffer, buffer.length, read, needed)) return buffer.subarray(0, read[0]);
    const error: WindowsError = lastError('ReadEventLogW');
    if (error.code === ErrorCode.ERROR_HANDLE_EOF) return Buffer.alloc(0);
    if (error.code !== ErrorCode.ERROR_INSUFFICIENT_BUFFER) throw error;
    buffer = Buffer.alloc(needed[0]!);
  }
}

/** The number of records in the log. */
export function numberOfEventLogRecords(handle: EventLogHandle): number {
  const count = [0];
  if (!api().GetNumberOfEventLogRecords(handle, count)) throw lastError('GetNumberOfEventLogRecords');
  return count[0]!;
}

/** The record number of the oldest record. */
export function oldestEventLogRecord(handle: EventLogHandle): number {
  const oldest = [0];
  if (!api().GetOldestEventLogRecord(handle, oldest)) throw lastError('GetOldestEventLogRecord');
  return oldest[0]!;
}

/** Opens the event source `source` on `server` (null: this machine). */
export function registerEventSource(server: string | null, source: string): EventSourceHandle {
  const handle = api().RegisterEventSourceW(server, source);
  if (!handle) throw lastError('RegisterEventSourceW');
  return handle;
}

/** Closes a source handle from registerEventSource. */
export function deregisterEventSource(handle: EventSourceHandle): void {
  if (!api().DeregisterEventSource(handle)) throw lastError('DeregisterEventSource');
}

/**
 * Writes one entry: its type (EVENTLOG_*_TYPE), category, event id, insert strings, and optionally
 * the user's binary SID and binary data. The caller checks the documented limits first.
 * https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-reporteventw
 */
export function reportEvent(
  handle: EventSourceHandle,
  type: number,
  category: number,
  eventId: number,
  strings: readonly string[],
  userSid: Buffer | null = null,
  data: Buffer | null = null,
): void {
  const raw = data !== null && data.length > 0 ? data : null;
  if (
    !api().ReportEventW(
      handle,
      type,
      category,
      eventId >>> 0,
      userSid,
      strings.length,
      raw?.length ?? 0,
      strings.length > 0 ? [...strings] : null,
      raw,
    )
  ) {
    throw lastError('ReportEventW');
  }
}

/** Opens a backup file (.evt) BackupEventLogW wrote, for reading as a log. https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-openbackupeventlogw */
export function openBackupEventLog(server: string | null, file: string): EventLogHandle {
  const handle = api().OpenBackupEventLogW(server, file);
  if (!handle) throw lastError('OpenBackupEventLogW');
  return handle;
}

/** Saves the open log to `file`, which must not exist (ERROR_ALREADY_EXISTS). https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-backupeventlogw */
export function backupEventLog(handle: EventLogHandle, file: string): void {
  if (!api().BackupEventLogW(handle, file)) throw lastError('BackupEventLogW');
}

/** Empties the open log, saving it first to `backupFile` when given. https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-cleareventlogw */
export function clearEventLog(handle: EventLogHandle, backupFile: string | null): void {
  if (!api().ClearEventLogW(handle, backupFile)) throw lastError('ClearEventLogW');
}

/**
 * Asks Windows to set `event` (a manual-reset event) whenever an entry is written to the open log.
 * https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-notifychangeeventlog
 */
export function notifyChangeEventLog(handle: EventLogHandle, event: unknown): void {
  if (!api().NotifyChangeEventLog(handle, event)) throw lastError('NotifyChangeEventLog');
}
