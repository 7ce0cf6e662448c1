/**
 * pywin32's `servicemanager` logging: entries with message ids from host.exe's message table (or a
 * service's own), written to the Event Log under the service's source when the SCM runs it, and
 * printed in the console in `host.exe debug`.
 * @module
 */
import path from 'node:path';
import { registerEventSource, reportEvent, type EventSourceHandle } from '../win32/advapi32/eventlog.ts';
import { EventLogType } from './event-types.ts';
import { fitInserts } from './inserts.ts';
import { MSG_ERROR_TEXT, MSG_INFO_TEXT, MSG_WARNING_TEXT } from './host-messages.ts';

/** host.exe's message ids (SERVICE_STARTED…, MSG_INFO_TEXT…), generated from messages/host.mc. */
export * from './host-messages.ts';

/** The type of an Event Log entry (EVENTLOG_*_TYPE): see event-types.ts. */
export { EventLogType } from './event-types.ts';

/** Where entries go: the Event Log, or the console in debug mode. Internal to the host. */
export type EventLogSink = (type: EventLogType, id: number, inserts: readonly string[]) => void;

/**
 * The host's event source: its exe's base name (`host` for host.exe), so a renamed copy logs under
 * its new name. Entries go there when no service has set a source.
 */
export function hostSourceName(exePath = process.execPath): string {
  return path.win32.basename(exePath).replace(/\.exe$/i, '');
}

/**
 * A sink that writes to the Event Log of this machine under `source`. The source is registered on
 * the first entry and stays open for the life of the process, as the Event Log API intends.
 */
export function eventLogSink(source: string): EventLogSink {
  let handle: EventSourceHandle | undefined;
  return (type, id, inserts) => {
    handle ??= registerEventSource(null, source);
    reportEvent(handle, type, 0, id, fitInserts(inserts));
  };
}

let sink: EventLogSink | undefined;

/** Sends this process's entries to `next` (the host does it for the service it runs). Internal. */
export function setEventLogSink(next: EventLogSink): void {
  sink = next;
}

/**
 * Writes an entry: `id` from host.exe's message table (the constants exported here) or from the
 * service's own message file (`host.exe install --messages`), with its inserts (%1, %2…). Inserts
 * longer than the Event Log takes are cut with a visible mark. Logging never throws into the
 * service's code: an entry that cannot be written is dropped with a process warning (issue 15, item 9).
 */
export function logMsg(type: EventLogType, id: number, inserts: readonly string[] = []): void {
  try {
    sink ??= eventLogSink(hostSourceName());
    sink(type, id, inserts.map(String));
  } catch (error) {
    try {
      process.emitWarning(
        `an Event Log entry (${eventIdText(id)}) could not be written: ${error instanceof Error ? error.message : String(error)}`,
        'NodeServiceLogWarning',
      );
    } catch {
      // Nowhere left to say it.
    }
  }
}

/** An event id as Event Viewer and debug mode show it: `0x40001002`. */
export function eventIdText(id: number): string {
  return `0x${(id >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** Writes an informational entry whose text is `text` (id MSG_INFO_TEXT, 0x400000FF). */
export function logInfoMsg(text: string): void {
  logMsg(EventLogType.INFORMATION, MSG_INFO_TEXT, [text]);
}

/** Writes a warning entry whose text is `text` (id MSG_WARNING_TEXT, 0x800000FF). */
export function logWarningMsg(text: string): void {
  logMsg(EventLogType.WARNING, MSG_WARNING_TEXT, [text]);
}

/** Writes an error entry whose text is `text` (id MSG_ERROR_TEXT, 0xC00000FF). */
export function logErrorMsg(text: string): void {
  logMsg(EventLogType.ERROR, MSG_ERROR_TEXT, [text]);
}
