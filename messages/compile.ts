/**
 * The message compiler: `.mc` source → one MESSAGE_RESOURCE_DATA table per language, and
 * TypeScript constants for the symbolic names. What mc.exe does, with no Microsoft toolchain.
 * @module
 */
import fs from 'node:fs';
import { parseMessageFile, type MessageFile, type MessageLanguage } from './mc-parser.ts';
import { encodeMessageTable } from './message-table.ts';

/** A compiled language: its LANGID and the RT_MESSAGETABLE data. */
export interface CompiledTable {
  language: MessageLanguage;
  data: Buffer;
}

/** A compiled `.mc` file. */
export interface CompiledMessages {
  file: MessageFile;
  tables: CompiledTable[];
}

/** Compiles `.mc` source (`fileName` names it in errors). */
export function compileMessages(source: string, fileName = '<input>'): CompiledMessages {
  const file = parseMessageFile(source, fileName);
  const tables = file.languages.map((language) => ({
    language,
    data: encodeMessageTable(
      file.messages
        .filter((message) => message.texts.has(language.name))
        .map((message) => ({ id: message.id, text: message.texts.get(language.name)! })),
    ),
  }));
  return { file, tables };
}

/** Reads a `.mc` file (UTF-8, or UTF-16LE with a byte-order mark) and compiles it. */
export function compileMessageFile(mcPath: string): CompiledMessages {
  const bytes = fs.readFileSync(mcPath);
  const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8');
  return compileMessages(text, mcPath);
}

function hex(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** A TypeScript module exporting each symbolic name as its message id, with the first language's text as TSDoc. */
export function toTypeScript(compiled: CompiledMessages, sourceName: string): string {
  const lines = [`// Generated from ${sourceName} by messages/generate.ts: do not edit, edit the .mc file and run "npm run messages".`, ''];
  for (const message of compiled.file.messages) {
    if (!message.symbolicName) continue;
    const text = [...message.texts.values()][0]!.replace(/\r\n$/, '').replaceAll('\r\n', ' ').replaceAll('*/', '*\\/');
    lines.push(`/** ${text} */`, `export const ${message.symbolicName} = ${hex(message.id)};`);
  }
  return `${lines.join('\n')}\n`;
}
