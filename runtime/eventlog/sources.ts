/**
 * Event sources in the registry: `HKLM\SYSTEM\CurrentControlSet\Services\EventLog\<log>\<source>`
 * names the message files (EventMessageFile) Event Viewer formats the source's entries with.
 * https://learn.microsoft.com/windows/win32/eventlog/event-sources
 * @module
 */
import { RegistryKey, withKey } from '../system/registry.ts';

const EVENTLOG_KEY = 'SYSTEM\\CurrentControlSet\\Services\\EventLog';
/** EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE. */
const TYPES_SUPPORTED = 7;

function sourceKey(source: string, log: string): string {
  if (/[\\/]/.test(source)) throw new Error(`'${source}' cannot be an event source name: it contains a slash or backslash`);
  return `${EVENTLOG_KEY}\\${log}\\${source}`;
}

/** Registers (or updates) `source` in `log` with its message files, in the order they are searched. */
export function addEventSource(source: string, messageFiles: readonly string[], log = 'Application'): void {
  const key = RegistryKey.create(sourceKey(source, log));
  try {
    key.setExpandString('EventMessageFile', messageFiles.join(';'));
    key.setNumber('TypesSupported', TYPES_SUPPORTED);
  } finally {
    key.close();
  }
}

/** Removes `source` from `log`; false if it was not registered. */
export function removeEventSource(source: string, log = 'Application'): boolean {
  return RegistryKey.deleteTree(sourceKey(source, log));
}

/** Expands %VARIABLE% references as REG_EXPAND_SZ readers do; unknown ones stay as written. */
function expandEnvironment(text: string): string {
  const env = new Map(Object.entries(process.env).map(([name, value]) => [name.toLowerCase(), value]));
  return text.replace(/%([^%]+)%/g, (whole, name: string) => env.get(name.toLowerCase()) ?? whole);
}

/** The message files registered for `source` in `log`, expanded; [] when it has none. */
export function eventMessageFiles(source: string, log = 'Application'): string[] {
  const value = withKey(sourceKey(source, log), (key) => key.getString('EventMessageFile'));
  return (value ?? '')
    .split(';')
    .map((file) => expandEnvironment(file.trim()))
    .filter((file) => file !== '');
}
