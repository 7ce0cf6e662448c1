/**
 * What the host says about a service's life, as Event Log entries with host.exe's lifecycle ids
 * (SERVICE_STARTING…), under the service's own event source; and how debug mode prints entries.
 * @module
 */
import { formatEventMessage, formatMessageFromFile } from '../../runtime/eventlog/format.ts';
import * as ids from '../../runtime/eventlog/host-messages.ts';
import { eventIdText, EventLogType, logMsg, type EventLogSink } from '../../runtime/eventlog/service-log.ts';
import type { ServiceEvents } from '../../runtime/service/runner.ts';
import { currentModule, formatModuleMessage } from '../../runtime/win32/kernel32.ts';
import { isWindowsError } from '../../runtime/win32/windows-error.ts';

/** The entries the host writes about a service's life. */
export type HostEvents = ServiceEvents & {
  starting(): void;
  startFailed(reason: string): void;
  /** The service's output cannot be written to `file` (its log folder); it keeps running. */
  outputNotWritten(file: string, reason: string): void;
};

/** Writes an entry with `log`; a log that cannot be written must not stop the service or the host. */
export function writeEntry(log: EventLogSink, type: EventLogType, id: number, inserts: readonly string[]): void {
  try {
    log(type, id, inserts);
  } catch {
    // Nothing better to do: the Event Log is where failures would be reported.
  }
}

/**
 * The lifecycle entries of service `name`, written with `log`: by default the process's sink, which
 * is the service's own where one process runs one service; a shared process's main thread passes
 * each service's sink.
 */
export function serviceEvents(name: string, log: EventLogSink = logMsg): HostEvents {
  const hostLog = (type: EventLogType, id: number, inserts: string[]) => writeEntry(log, type, id, inserts);
  return {
    starting: () => hostLog(EventLogType.INFORMATION, ids.SERVICE_STARTING, [name, '']),
    started: () => hostLog(EventLogType.INFORMATION, ids.SERVICE_STARTED, [name, '']),
    stopping: () => hostLog(EventLogType.INFORMATION, ids.SERVICE_STOPPING, [name, '']),
    stopped: () => hostLog(EventLogType.INFORMATION, ids.SERVICE_STOPPED, [name, '']),
    startFailed: (reason) => hostLog(EventLogType.ERROR, ids.SERVICE_START_FAILED, [name, reason]),
    failed: (reason) => hostLog(EventLogType.ERROR, ids.SERVICE_FAILED, [name, reason]),
    controlFailed: (method, reason) => hostLog(EventLogType.WARNING, ids.SERVICE_CONTROL_FAILED, [name, method, reason]),
    outputNotWritten: (file, reason) => hostLog(EventLogType.WARNING, ids.SERVICE_OUTPUT_NOT_WRITTEN, [name, file, reason]),
  };
}

const TYPE_LABELS = new Map<number, string>([
  [EventLogType.SUCCESS, 'Success'],
  [EventLogType.ERROR, 'Error'],
  [EventLogType.WARNING, 'Warning'],
  [EventLogType.INFORMATION, 'Info'],
  [EventLogType.AUDIT_SUCCESS, 'Audit success'],
  [EventLogType.AUDIT_FAILURE, 'Audit failure'],
]);

/** Where an entry's text comes from: the id and inserts formatted, or undefined when no table has the id. */
export type MessageLookup = (id: number, inserts: readonly string[]) => string | undefined;

/** The text of an entry from host.exe's own table, then `messageFiles`, then the files registered for `source`. */
function messageFileLookup(source: string, messageFiles: readonly string[]): MessageLookup {
  return (id, inserts) => {
    let text = formatModuleMessage(currentModule(), id, inserts);
    for (const file of messageFiles) text ??= formatMessageFromFile(file, id, inserts);
    return text ?? formatEventMessage(source, id, inserts);
  };
}

/**
 * The text `lookup` gives, or undefined when it has none. A message file that cannot be loaded or
 * formatted (a WindowsError: not found, not a PE file, no message table) is what debug mode expects
 * to meet, and counts as a file without the id; anything else is a bug and is thrown.
 */
export function entryText(lookup: MessageLookup, id: number, inserts: readonly string[]): string | undefined {
  try {
    return lookup(id, inserts);
  } catch (error) {
    if (isWindowsError(error)) return undefined;
    throw error;
  }
}

/**
 * Debug mode's sink: prints what the Event Log would show, as pywin32's debug mode does:
 * `Info 0x40001002 - The PipeService service has started.` The text comes from host.exe's own
 * message table, else from `messageFiles` (the service's own), else from those registered for
 * `source`; `lookup` replaces that search in tests.
 */
export function consoleSink(
  source: string,
  messageFiles: readonly string[] = [],
  lookup: MessageLookup = messageFileLookup(source, messageFiles),
): EventLogSink {
  return (type, id, inserts) => {
    let text = entryText(lookup, id, inserts);
    text ??= `(no message text for this id) ${inserts.join(' | ')}`;
    const line = `${TYPE_LABELS.get(type) ?? `Type ${type}`} ${eventIdText(id)} - ${text.trimEnd()}`;
    (type === EventLogType.ERROR ? console.error : console.log)(line);
  };
}
