/**
 * Custom event logs beside Application: the log's key
 * `HKLM\SYSTEM\CurrentControlSet\Services\EventLog\<log>` holds its sources as subkeys. NodeService
 * creates a log key only when it is absent, marks it `CreatedBy = NodeService`, and deletes only a
 * log it marked, only when asked and only when no source is left in it; the logs Windows owns
 * (Application, System…) are never created or removed. https://learn.microsoft.com/windows/win32/eventlog/eventlog-key
 * @module
 */
import { RegistryKey } from '../system/registry.ts';
import { checkEventName, isBuiltinLog } from './names.ts';

export const EVENTLOG_KEY = 'SYSTEM\\CurrentControlSet\\Services\\EventLog';
/** The value that marks a key (a source's or a log's) as NodeService's. */
export const OWNER_VALUE = 'CreatedBy';
export const OWNER = 'NodeService';
/** The size a new log may grow to, as .NET's EventLog.CreateEventSource sets it: 512 KB. */
const NEW_LOG_MAX_SIZE = 0x80000;

/** The registry path of `log`'s key, below HKLM. */
export function logKey(log: string): string {
  checkEventName(log, 'event log');
  return `${EVENTLOG_KEY}\\${log}`;
}

/** Whether the key of `log` exists. */
export function eventLogExists(log: string): boolean {
  using key = RegistryKey.open(logKey(log));
  return key !== undefined;
}

/**
 * Creates the key of `log` when absent, marked NodeService's, with the file Windows keeps it in;
 * true when it created it (so a caller that fails later can take it back with {@link deleteCreatedLog}).
 */
export function ensureEventLog(log: string): boolean {
  if (eventLogExists(log)) return false;
  try {
    using key = RegistryKey.create(logKey(log));
    key.setString(OWNER_VALUE, OWNER);
    key.setExpandString('File', `%SystemRoot%\\System32\\Winevt\\Logs\\${log}.evtx`);
    key.setNumber('MaxSize', NEW_LOG_MAX_SIZE);
  } catch (error) {
    deleteCreatedLog(log);
    throw error;
  }
  return true;
}

/** The owner mark of `log`'s key; undefined when it has none or there is no key. */
function logOwner(log: string): string | undefined {
  using key = RegistryKey.open(logKey(log));
  return key?.getString(OWNER_VALUE);
}

/** The sources registered in `log`; [] when the log does not exist. */
export function eventLogSources(log: string): string[] {
  using key = RegistryKey.open(logKey(log));
  return key?.subkeys() ?? [];
}

/**
 * Deletes `log` when NodeService created it and no source is left in it (a subkey named as the log
 * itself, which Windows adds to a new log, does not count). Returns why it did not when it did not.
 */
export function removeEventLogIfEmpty(log: string): 'removed' | 'builtin' | 'absent' | 'foreign' | 'not empty' {
  if (isBuiltinLog(log)) return 'builtin';
  const owner = logOwner(log);
  if (owner === undefined && !eventLogExists(log)) return 'absent';
  if (owner !== OWNER) return 'foreign';
  const sources = eventLogSources(log).filter((source) => source.toLowerCase() !== log.toLowerCase());
  if (sources.length > 0) return 'not empty';
  RegistryKey.deleteTree(logKey(log));
  return 'removed';
}

/** Deletes a log key {@link ensureEventLog} has just created, when what followed failed. */
export function deleteCreatedLog(log: string): void {
  RegistryKey.deleteTree(logKey(log));
}
