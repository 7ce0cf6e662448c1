/**
 * Message tables and string tables in PE files: writes them into an existing executable (host.exe,
 * at build time) or into a resource-only DLL made from nothing (an author's messages, a service's
 * counter names, at install time), which Event Viewer and Performance Monitor load as a data file.
 * resedit does both, with no Microsoft toolchain.
 * @module
 */
import fs from 'node:fs';
import * as ResEdit from 'resedit';
import type { CompiledTable } from './compile.ts';

const RT_MESSAGETABLE = 11;
/** mc.exe's resource name for a message table: `1 MESSAGETABLE "MSG00409.bin"`. */
const MESSAGETABLE_ID = 1;
/**
 * English (United States), the language of our message tables too: a CTRPP .rc has no LANGUAGE
 * statement, so its strings are compiled in the build's default, English for Windows' own; the
 * {Locked} names are English; and LoadStringW takes a table in another language when the module
 * has none in the user's.
 */
const STRING_TABLE_LANGUAGE = 0x409;

/** A string resource, as LoadStringW reads it: its id (1…65535) and text. */
export interface StringResource {
  id: number;
  text: string;
}

/** Replaces the message tables of `resources` with `tables`: resource 1 in each table's language. */
export function setMessageTables(resources: ResEdit.NtExecutableResource, tables: readonly CompiledTable[]): void {
  resources.entries = resources.entries.filter((entry) => entry.type !== RT_MESSAGETABLE);
  for (const table of tables) {
    const bin = table.data.buffer.slice(table.data.byteOffset, table.data.byteOffset + table.data.byteLength) as ArrayBuffer;
    resources.entries.push({ type: RT_MESSAGETABLE, id: MESSAGETABLE_ID, lang: table.language.id, codepage: 0, bin });
  }
}

/** Replaces the English string table of `resources` with `strings` (RT_STRING blocks of 16). */
function setStringTable(resources: ResEdit.NtExecutableResource, strings: readonly StringResource[]): void {
  const table = new ResEdit.Resource.StringTable();
  table.lang = STRING_TABLE_LANGUAGE;
  for (const { id, text } of strings) table.setById(id, text);
  table.replaceStringEntriesForExecutable(resources);
}

/** Writes a 64-bit resource-only DLL to `dllPath`, with the resources `fill` adds. */
function writeResourceDll(dllPath: string, fill: (resources: ResEdit.NtExecutableResource) => void): void {
  const dll = ResEdit.NtExecutable.createEmpty(false, true);
  const resources = ResEdit.NtExecutableResource.from(dll);
  fill(resources);
  resources.outputResource(dll);
  fs.writeFileSync(dllPath, Buffer.from(dll.generate()));
}

/** Writes a 64-bit resource-only DLL holding `tables` to `dllPath`. */
export function writeMessageDll(tables: readonly CompiledTable[], dllPath: string): void {
  writeResourceDll(dllPath, (resources) => setMessageTables(resources, tables));
}

/** Writes a 64-bit resource-only DLL holding the string table `strings` to `dllPath`. */
export function writeStringDll(strings: readonly StringResource[], dllPath: string): void {
  writeResourceDll(dllPath, (resources) => setStringTable(resources, strings));
}
