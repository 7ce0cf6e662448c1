/**
 * Message text as Event Viewer shows it: the event id formatted with its inserts from the message
 * files registered for the entry's source, each loaded as a data file.
 * @module
 */
import fs from 'node:fs';
import { formatModuleMessage, loadResourceModule } from '../win32/kernel32.ts';
import { eventMessageFiles } from './sources.ts';

/** Formats message `id` of the message table in `file` (an exe or DLL); undefined if it has no such id. */
export function formatMessageFromFile(file: string, id: number, inserts: readonly string[] = []): string | undefined {
  using module = loadResourceModule(file);
  return formatModuleMessage(module.handle, id, inserts);
}

/**
 * Formats event `id` of `source` with `inserts` through the source's registered message files, in
 * order, skipping a file that is not there (as Event Viewer does: a service's own message DLL may be
 * gone while host.exe's table still has the id, issue 15, item 7); undefined when no file has the
 * id. Throws when a file that is there cannot be loaded.
 */
export function formatEventMessage(source: string, id: number, inserts: readonly string[] = [], log = 'Application'): string | undefined {
  for (const file of eventMessageFiles(source, log)) {
    if (!fs.existsSync(file)) continue;
    const text = formatMessageFromFile(file, id, inserts);
    if (text !== undefined) return text;
  }
  return undefined;
}
