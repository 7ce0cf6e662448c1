/**
 * The rules for event source and log names, checked before anything is written: each becomes a
 * registry key name under HKLM\SYSTEM\CurrentControlSet\Services\EventLog, where a backslash would
 * make a deeper key than meant and a key name has at most 255 characters. Pure code, unit-tested.
 * https://learn.microsoft.com/windows/win32/eventlog/event-sources
 * https://learn.microsoft.com/windows/win32/sysinfo/registry-element-size-limits
 * @module
 */

/** The longest registry key name: the most characters a source or log name can have. */
export const MAX_EVENT_NAME_LENGTH = 255;

/** The logs Windows owns: a source may be added to them, but NodeService never creates or removes them. */
export const BUILTIN_LOGS: readonly string[] = ['Application', 'System', 'Security', 'Setup', 'ForwardedEvents'];

/** Throws unless `name` can be an event source or log name (`what` says which, for the message). */
export function checkEventName(name: string, what: 'event source' | 'event log'): void {
  if (typeof name !== 'string' || name.trim() === '') throw new Error(`an ${what} name cannot be empty`);
  if (/[\\/]/.test(name)) throw new Error(`'${name}' cannot be an ${what} name: it contains a slash or backslash`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u001f]/.test(name)) throw new Error(`${JSON.stringify(name)} cannot be an ${what} name: it contains a control character`);
  if (name !== name.trim()) throw new Error(`'${name}' cannot be an ${what} name: it starts or ends with a space`);
  if (name.length > MAX_EVENT_NAME_LENGTH) {
    throw new Error(`an ${what} name has at most ${MAX_EVENT_NAME_LENGTH} characters (a registry key name); this one has ${name.length}`);
  }
}

/** True for Application, System, Security…: logs Windows owns. */
export function isBuiltinLog(log: string): boolean {
  return BUILTIN_LOGS.some((builtin) => builtin.toLowerCase() === log.toLowerCase());
}
