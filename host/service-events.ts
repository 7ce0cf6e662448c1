/**
 * What the host says about a service's life, as Event Log entries with host.exe's lifecycle ids
 * (SERVICE_STARTING…), under the service's own event source; and how debug mode prints entries.
 * @module
 */
import { formatEventMessage } from '../runtime/eventlog/format.ts';
import {
  EventLogType,
  logMsg,
  SERVICE_CONTROL_FAILED,
  SERVICE_FAILED,
  SERVICE_START_FAILED,
  SERVICE_STARTED,
  SERVICE_STARTING,
  SERVICE_STOPPED,
  SERVICE_STOPPING,
  type EventLogSink,
} from '../runtime/eventlog/servicemanager.ts';
import type { ServiceEvents } from '../runtime/service/runner.ts';
import { currentModule, formatModuleMessage } from '../runtime/win32/kernel32.ts';

/** Logs an entry for the host; a log that cannot be written must not stop the service. */
function hostLog(type: EventLogType, id: number, inserts: string[]): void {
  try {
    logMsg(type, id, inserts);
  } catch {
    // Nothing better to do: the Event Log is where failures would be reported.
  }
}

/** The lifecycle entries of service `name`. */
export function serviceEvents(name: string): ServiceEvents & { starting(): void; startFailed(reason: string): void } {
  return {
    starting: () => hostLog(EventLogType.INFORMATION, SERVICE_STARTING, [name, '']),
    started: () => hostLog(EventLogType.INFORMATION, SERVICE_STARTED, [name, '']),
    stopping: () => hostLog(EventLogType.INFORMATION, SERVICE_STOPPING, [name, '']),
    stopped: () => hostLog(EventLogType.INFORMATION, SERVICE_STOPPED, [name, '']),
    startFailed: (reason) => hostLog(EventLogType.ERROR, SERVICE_START_FAILED, [name, reason]),
    failed: (reason) => hostLog(EventLogType.ERROR, SERVICE_FAILED, [name, reason]),
    controlFailed: (method, reason) => hostLog(EventLogType.WARNING, SERVICE_CONTROL_FAILED, [name, method, reason]),
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

/**
 * Debug mode's sink: prints what the Event Log would show, as pywin32's debug mode does:
 * `Info 0x40001002 - The PipeService service has started.` The text comes from host.exe's own
 * message table, else from the message files registered for `source`.
 */
export function consoleSink(source: string): EventLogSink {
  return (type, id, inserts) => {
    let text: string | undefined;
    try {
      text = formatModuleMessage(currentModule(), id, inserts) ?? formatEventMessage(source, id, inserts);
    } catch {
      // Shown below with its inserts.
    }
    text ??= `(no message text for this id) ${inserts.join(' | ')}`;
    const line = `${TYPE_LABELS.get(type) ?? `Type ${type}`} 0x${(id >>> 0).toString(16).toUpperCase().padStart(8, '0')} - ${text.trimEnd()}`;
    (type === EventLogType.ERROR ? console.error : console.log)(line);
  };
}
