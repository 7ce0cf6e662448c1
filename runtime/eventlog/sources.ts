/**
 * Event sources in the registry: `HKLM\SYSTEM\CurrentControlSet\Services\EventLog\<log>\<source>`
 * names the message files Event Viewer formats the source's entries with (EventMessageFile), its
 * categories (CategoryMessageFile, CategoryCount) and parameter strings (ParameterMessageFile).
 * https://learn.microsoft.com/windows/win32/eventlog/event-sources
 *
 * One code path registers every source: a service's at install, host.exe's own at /register, and
 * any script's through the public {@link registerEventSource}. A source key NodeService creates
 * carries `CreatedBy = NodeService`, and NodeService changes or deletes only such keys: a source of
 * the same name that another product registered stays as it is (issue 15, item 6). A key made
 * before that mark existed is recognised by its last message file being the host's. Everything is
 * checked before anything is written; a failure halfway takes back what this call created.
 * @module
 */
import { RegistryKey } from '../system/registry.ts';
import { deleteCreatedLog, ensureEventLog, logKey, OWNER, OWNER_VALUE, removeEventLogIfEmpty } from './event-logs.ts';
import { typesSupportedMask, type EventType } from './event-types.ts';
import { checkEventName } from './names.ts';

export { OWNER_VALUE } from './event-logs.ts';

/** The types a source writes unless told: error, warning, information (what logMsg writes). */
const DEFAULT_TYPES: readonly EventType[] = ['error', 'warning', 'information'];

/** An event source to register: its name, its log, and the files Event Viewer reads its text from. */
export interface EventSourceDefinition {
  /** The source name entries are written under (RegisterEventSourceW's name). */
  name: string;
  /** The log it writes to: Application (the default), or a custom log, created when absent. */
  log?: string;
  /** The exe/DLL files with its message table, searched in order (at least one). */
  messageFiles: readonly string[];
  /** The file with its category names, with {@link categoryCount}. */
  categoryMessageFile?: string;
  /** How many categories (1…65535) {@link categoryMessageFile} holds, numbered from 1. */
  categoryCount?: number;
  /** The file with its parameter strings (%%n inserts). */
  parameterMessageFile?: string;
  /** The entry types it writes (default: error, warning, information). */
  typesSupported?: readonly EventType[];
}

/** Whether `source` is absent from `log`, NodeService's, or another product's. */
export type EventSourceOwner = 'absent' | 'nodeservice' | 'foreign';

function sourceKey(source: string, log: string): string {
  checkEventName(source, 'event source');
  return `${logKey(log)}\\${source}`;
}

/** Who owns `source`; `hostPath` recognises a key an older NodeService made without the mark. */
export function eventSourceOwner(source: string, log = 'Application', hostPath?: string): EventSourceOwner {
  using key = RegistryKey.open(sourceKey(source, log));
  if (!key) return 'absent';
  if (key.getString(OWNER_VALUE) === OWNER) return 'nodeservice';
  const files = (key.getString('EventMessageFile') ?? '').split(';');
  return hostPath !== undefined && files.at(-1)?.trim().toLowerCase() === hostPath.toLowerCase() ? 'nodeservice' : 'foreign';
}

/** Throws when `source` exists in `log` and is not NodeService's: installing under its name would take it over. */
export function checkEventSourceFree(source: string, log = 'Application', hostPath?: string): void {
  if (eventSourceOwner(source, log, hostPath) === 'foreign') {
    throw new Error(
      `an event source named '${source}' already exists in the ${log} log and NodeService did not create it (it is another product's): choose another name`,
    );
  }
}

function checkFile(file: string | undefined, what: string): void {
  if (file === undefined) return;
  if (typeof file !== 'string' || file.trim() === '') throw new Error(`${what} cannot be empty`);
  if (file.includes(';')) throw new Error(`${what} '${file}' contains ';', which separates files in the registry`);
}

/** Throws when `definition` is malformed; the names, files, category count and types. */
export function checkEventSourceDefinition(definition: EventSourceDefinition): void {
  checkEventName(definition.name, 'event source');
  checkEventName(definition.log ?? 'Application', 'event log');
  if (!Array.isArray(definition.messageFiles) || definition.messageFiles.length === 0) {
    throw new Error(`event source '${definition.name}' needs at least one message file`);
  }
  for (const file of definition.messageFiles) checkFile(file, 'a message file');
  checkFile(definition.categoryMessageFile, 'the category message file');
  checkFile(definition.parameterMessageFile, 'the parameter message file');
  const count = definition.categoryCount;
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 0xffff)) {
    throw new Error(`categoryCount must be a whole number from 1 to 65535, not ${String(count)}`);
  }
  if ((count === undefined) !== (definition.categoryMessageFile === undefined)) {
    throw new Error('categoryMessageFile and categoryCount go together: give both or neither');
  }
  typesSupportedMask(definition.typesSupported ?? DEFAULT_TYPES);
  if (definition.typesSupported?.length === 0) throw new Error('typesSupported needs at least one type');
}

/**
 * Registers (or updates) an event source and marks it NodeService's; creates a custom log when
 * absent. Refuses another product's source of that name. `hostPath` (internal) recognises a
 * source an older host made.
 */
export function registerEventSource(definition: EventSourceDefinition, options: { hostPath?: string } = {}): void {
  checkEventSourceDefinition(definition);
  const { name, messageFiles } = definition;
  const log = definition.log ?? 'Application';
  checkEventSourceFree(name, log, options.hostPath ?? messageFiles.at(-1));
  const createdLog = ensureEventLog(log);
  const existed = eventSourceOwner(name, log) !== 'absent';
  try {
    using key = RegistryKey.create(sourceKey(name, log));
    key.setString(OWNER_VALUE, OWNER);
    key.setExpandString('EventMessageFile', messageFiles.join(';'));
    key.setNumber('TypesSupported', typesSupportedMask(definition.typesSupported ?? DEFAULT_TYPES));
    setOptional(key, 'CategoryMessageFile', definition.categoryMessageFile);
    if (definition.categoryCount === undefined) key.deleteValue('CategoryCount');
    else key.setNumber('CategoryCount', definition.categoryCount);
    setOptional(key, 'ParameterMessageFile', definition.parameterMessageFile);
  } catch (error) {
    if (!existed) RegistryKey.deleteTree(sourceKey(name, log));
    if (createdLog) deleteCreatedLog(log);
    throw error;
  }
}

function setOptional(key: RegistryKey, name: string, value: string | undefined): void {
  if (value === undefined) key.deleteValue(name);
  else key.setExpandString(name, value);
}

/** How {@link removeEventSource} goes. */
export interface RemoveEventSourceOptions {
  /** Also delete the log when NodeService created it and no source is left in it. */
  removeLogIfEmpty?: boolean;
  /** Internal: recognises a source an older host made without the mark. */
  hostPath?: string;
}

/**
 * Removes `source` from `log` when it is NodeService's; false if it was absent or another
 * product's (left untouched). With `removeLogIfEmpty`, then deletes a custom log left empty.
 */
export function removeEventSource(source: string, log = 'Application', options: RemoveEventSourceOptions = {}): boolean {
  const removed = eventSourceOwner(source, log, options.hostPath) === 'nodeservice' && RegistryKey.deleteTree(sourceKey(source, log));
  if (options.removeLogIfEmpty) removeEventLogIfEmpty(log);
  return removed;
}

/** Expands %VARIABLE% references as REG_EXPAND_SZ readers do; unknown ones stay as written. */
function expandEnvironment(text: string): string {
  const env = new Map(Object.entries(process.env).map(([name, value]) => [name.toLowerCase(), value]));
  return text.replace(/%([^%]+)%/g, (whole, name: string) => env.get(name.toLowerCase()) ?? whole);
}

/** The message files registered for `source` in `log`, expanded; [] when it has none. */
export function eventMessageFiles(source: string, log = 'Application'): string[] {
  using key = RegistryKey.open(sourceKey(source, log));
  return (key?.getString('EventMessageFile') ?? '')
    .split(';')
    .map((file) => expandEnvironment(file.trim()))
    .filter((file) => file !== '');
}
