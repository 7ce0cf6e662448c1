/**
 * Message tables in PE files: writes them into an existing executable (host.exe, at build time) or
 * into a resource-only DLL made from nothing (an author's messages, at install time), which
 * Event Viewer loads as a data file. resedit does both, with no Microsoft toolchain.
 * @module
 */
import fs from 'node:fs';
import * as ResEdit from 'resedit';
import type { CompiledTable } from './compile.ts';

const RT_MESSAGETABLE = 11;
/** mc.exe's resource name for a message table: `1 MESSAGETABLE "MSG00409.bin"`. */
const MESSAGETABLE_ID = 1;

/** Replaces the message tables of `resources` with `tables`: resource 1 in each table's language. */
export function setMessageTables(resources: ResEdit.NtExecutableResource, tables: readonly CompiledTable[]): void {
  resources.entries = resources.entries.filter((entry) => entry.type !== RT_MESSAGETABLE);
  for (const table of tables) {
    const bin = table.data.buffer.slice(table.data.byteOffset, table.data.byteOffset + table.data.byteLength) as ArrayBuffer;
    resources.entries.push({ type: RT_MESSAGETABLE, id: MESSAGETABLE_ID, lang: table.language.id, codepage: 0, bin });
  }
}

/** Writes a 64-bit resource-only DLL holding `tables` to `dllPath`. */
export function writeMessageDll(tables: readonly CompiledTable[], dllPath: string): void {
  const dll = ResEdit.NtExecutable.createEmpty(false, true);
  const resources = ResEdit.NtExecutableResource.from(dll);
  setMessageTables(resources, tables);
  resources.outputResource(dll);
  fs.writeFileSync(dllPath, Buffer.from(dll.generate()));
}
