/**
 * Event sources in the registry: `HKLM\SYSTEM\CurrentControlSet\Services\EventLog\<log>\<source>`
 * names the message files (EventMessageFile) Event Viewer formats the source's entries with.
 * https://learn.microsoft.com/windows/win32/eventlog/event-sources
 *
 * A source key NodeService creates carries `CreatedBy = NodeService`, and NodeService changes or
 * deletes only such keys: a source of the same name that another product registered stays as it
 * is (issue 15, item 6). A key made before that mark existed is recognised by its last message file
 * being the host's.
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

/** The value that marks a source key as NodeService's. */
export const OWNER_VALUE = 'CreatedBy';
const OWNER = 'NodeService';

/** Whether `source` is absent from `log`, NodeService's, or another product's. */
export type EventSourceOwner = 'absent' | 'nodeservice' | 'foreign';

/** Who owns `source`; `hostPath` recognises a key an older NodeService made without the mark. */
export function eventSourceOwner(source: string, log = 'Application', hostPath?: string): EventSourceOwner {
  const owner = withKey(sourceKey(source, log), (key) => {
    if (key.getString(OWNER_VALUE) === OWNER) return 'nodeservice';
    const files = (key.getString('EventMessageFile') ?? '').split(';');
    return hostPath !== undefined && files.at(-1)?.trim().toLowerCase() === hostPath.toLowerCase() ? 'nodeservice' : 'foreign';
  });
  return owner ?? 'absent';
}

/** Throws when `source` exists in `log` and is not NodeService's: installing under its name would take it over. */
export function checkEventSourceFree(source: string, log = 'Application', hostPath?: string): void {
  if (eventSourceOwner(source, log, hostPath) === 'foreign') {
    throw new Error(
      `an event source named '${source}' already exists in the ${log} log and NodeService did not create it (it is another product's): choose another name`,
    );
  }
}

/**
 * Registers (or updates) `source` in `log` with its message files, in the order they are searched,
 * and marks it NodeService's. Refuses another product's source of that name.
 */
export function addEventSource(source: string, messageFiles: readonly string[], log = 'Application', hostPath = messageFiles.at(-1)): void {
  checkEventSourceFree(source, log, hostPath);
  const key = RegistryKey.create(sourceKey(source, log));
  try {
    key.setString(OWNER_VALUE, OWNER);
    key.setExpandString('EventMessageFile', messageFiles.join(';'));
    key.setNumber('TypesSupported', TYPES_SUPPORTED);
  } finally {
    key.close();
  }
}

/** Removes `source` from `log` when it is NodeService's; false if it was absent or another product's (left untouched). */
export function removeEventSource(source: string, log = 'Application', hostPath?: string): boolean {
  if (eventSourceOwner(source, log, hostPath) !== 'nodeservice') return false;
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
