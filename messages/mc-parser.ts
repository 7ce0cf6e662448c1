/**
 * Parses Message Compiler (`.mc`) source, the language of Microsoft's mc.exe:
 * https://learn.microsoft.com/windows/win32/eventlog/message-text-files
 *
 * Header statements (`MessageIdTypedef`, `SeverityNames`, `FacilityNames`, `LanguageNames`,
 * `OutputBase`) and message definitions (`MessageId`, `Severity`, `Facility`, `SymbolicName`,
 * `Language` blocks ending in a lone `.`). Message text is kept as written (inserts such as `%1`,
 * `%1!d!`, `%n`, `%%` are FormatMessage's business), each line ending in CR LF as mc.exe writes it.
 *
 * As documented for mc.exe, `Severity` and `Facility` default to the values last specified, and an
 * empty `MessageId` is the previous id of the same facility plus one. (mingw's windmc resets
 * severity and facility to 0 for each message instead.)
 * @module
 */

/** A malformed `.mc` file: the message says where (`file:line`) and what. */
export class MessageCompileError extends Error {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'MessageCompileError';
    this.file = file;
    this.line = line;
  }
}

/** A language of the file: its LANGID and the base name mc.exe gives its .bin file. */
export interface MessageLanguage {
  name: string;
  id: number;
  fileName: string;
}

/** One message: the full 32-bit id and its text per language name. */
export interface MessageDefinition {
  id: number;
  symbolicName?: string;
  severity: number;
  facility: number;
  code: number;
  /** Language name → text, lines ending in CR LF. */
  texts: Map<string, string>;
  line: number;
}

/** A parsed `.mc` file. */
export interface MessageFile {
  /** The languages used by at least one message, in order of first use. */
  languages: MessageLanguage[];
  messages: MessageDefinition[];
  /** Symbolic names of severities and facilities (`STATUS_SEVERITY_ERROR`…) with their values. */
  symbols: Map<string, number>;
}

interface NamedValue {
  value: number;
  symbol?: string;
}

const MAX_CODE = 0xffff;
const MAX_FACILITY = 0xfff;
const MAX_SEVERITY = 0x3;

/** A cursor over the source's lines that knows where it is. */
class Source {
  readonly lines: string[];
  index = 0;
  readonly file: string;

  constructor(text: string, file: string) {
    this.lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    this.file = file;
  }

  get lineNumber(): number {
    return this.index + 1;
  }

  error(message: string, line = this.lineNumber): MessageCompileError {
    return new MessageCompileError(this.file, line, message);
  }
}

/** A C-style integer constant: decimal, 0x hex or 0 octal. */
function parseNumber(text: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^0[0-7]+$/.test(text)) return Number.parseInt(text.slice(1), 8);
  if (/^[0-9]+$/.test(text)) return Number.parseInt(text, 10);
  return undefined;
}

/** Splits a line into `keyword=value` pairs (spaces around `=` allowed), stopping at a `;` comment. */
function statements(line: string): { keyword: string; value: string }[] | undefined {
  let rest = line.replace(/;.*$/, '').trim();
  const found: { keyword: string; value: string }[] = [];
  while (rest.length > 0) {
    const keyword = /^([A-Za-z]+)\s*=\s*/.exec(rest);
    if (!keyword) return undefined;
    rest = rest.slice(keyword[0].length);
    // An empty value (`MessageId=`) is followed by the next keyword or the end of the line.
    const value = /^[A-Za-z]+\s*=/.test(rest) ? '' : /^(\([^)]*\)?|[^\s=]*)/.exec(rest)![1]!;
    found.push({ keyword: keyword[1]!.toLowerCase(), value });
    rest = rest.slice(value.length).trimStart();
  }
  return found;
}

/** Reads a parenthesised list `(name=number[:symbol[:extra]] ...)` that may span lines. */
function readList(source: Source, first: string, keyword: string): { name: string; value: number; symbol?: string }[] {
  const startLine = source.lineNumber;
  let text = first;
  while (!text.includes(')')) {
    source.index++;
    if (source.index >= source.lines.length) throw source.error(`${keyword}: missing ')'`, startLine);
    text += ` ${source.lines[source.index]!.replace(/;.*$/, '')}`;
  }
  const inner = /^\(([^)]*)\)\s*$/.exec(text.trim());
  if (!inner) throw source.error(`${keyword}: expected (name=number[:symbol] ...)`);
  return inner[1]!
    .trim()
    .split(/\s+/)
    .filter((item) => item !== '')
    .map((item) => {
      const match = /^([A-Za-z_][\w]*)\s*=\s*([0-9a-fA-FxX]+)(?::([\w.]+))?(?::[\w.]+)?$/.exec(item);
      const value = match ? parseNumber(match[2]!) : undefined;
      if (!match || value === undefined) throw source.error(`${keyword}: '${item}' is not name=number[:symbol]`);
      return { name: match[1]!, value, symbol: match[3] };
    });
}

/** Reads a message's text after `Language=`, up to the line holding a lone `.`. */
function readText(source: Source, language: string): string {
  const startLine = source.lineNumber;
  const lines: string[] = [];
  for (source.index++; source.index < source.lines.length; source.index++) {
    const line = source.lines[source.index]!;
    if (line.trimEnd() === '.') return lines.map((text) => `${text}\r\n`).join('');
    lines.push(line);
  }
  throw source.error(`the ${language} text of this message has no end: add a line holding only '.'`, startLine);
}

type PendingMessage = MessageDefinition & { increment?: number };

/** A name → value table of severities or facilities, with its limit. */
interface NameTable {
  kind: 'severity' | 'facility';
  keyword: 'SeverityNames' | 'FacilityNames';
  bits: number;
  limit: number;
  names: Map<string, NamedValue>;
}

/** The state of one parse: the tables the header declares and the message being read. */
class McParser {
  readonly source: Source;
  readonly severities: NameTable = {
    kind: 'severity',
    keyword: 'SeverityNames',
    bits: 2,
    limit: MAX_SEVERITY,
    names: new Map([
      ['success', { value: 0 }],
      ['informational', { value: 1 }],
      ['warning', { value: 2 }],
      ['error', { value: 3 }],
    ]),
  };
  readonly facilities: NameTable = {
    kind: 'facility',
    keyword: 'FacilityNames',
    bits: 12,
    limit: MAX_FACILITY,
    names: new Map([
      ['system', { value: 0x0ff }],
      ['application', { value: 0xfff }],
    ]),
  };
  readonly languages = new Map<string, MessageLanguage>([['english', { name: 'English', id: 1, fileName: 'MSG00001' }]]);
  readonly usedLanguages: MessageLanguage[] = [];
  readonly messages: MessageDefinition[] = [];
  readonly #lastCodeByFacility = new Map<number, number>();
  readonly #ids = new Map<number, MessageDefinition>();
  readonly #symbolicNames = new Map<string, number>();
  /** The severity and facility last specified: a message's defaults. */
  severity = 0;
  facility = 0;
  current: PendingMessage | undefined;

  constructor(source: Source) {
    this.source = source;
  }

  /** The message a per-message keyword belongs to; an error naming the keyword outside one. */
  message(keyword: string): PendingMessage {
    if (!this.current) throw this.source.error(`${keyword} outside a message: start it with MessageId=`);
    return this.current;
  }

  /** The value of `name` in `table`. */
  lookup(table: NameTable, name: string): number {
    const entry = table.names.get(name.toLowerCase());
    if (!entry) throw this.source.error(`unknown ${table.kind} '${name}' (known: ${[...table.names.keys()].join(', ')})`);
    return entry.value;
  }

  /** SeverityNames= or FacilityNames=: adds the list's names to `table`. */
  declareNames(table: NameTable, value: string): void {
    for (const item of readList(this.source, value, table.keyword)) {
      if (item.value > table.limit)
        throw this.source.error(`${table.kind} ${item.name}=0x${item.value.toString(16)} does not fit in ${table.bits} bits`);
      table.names.set(item.name.toLowerCase(), { value: item.value, symbol: item.symbol });
    }
  }

  /** Ends the message being read: its id from severity, facility and code, checked against the others. */
  finish(): void {
    if (!this.current) return;
    const { increment, ...message } = this.current;
    this.current = undefined;
    // An empty or +n MessageId counts from the previous id of the message's own facility.
    if (increment !== undefined) {
      const previous = this.#lastCodeByFacility.get(message.facility);
      message.code = previous === undefined ? increment - 1 : previous + increment;
      if (message.code > MAX_CODE)
        throw this.source.error(`MessageId 0x${message.code.toString(16)} does not fit in 16 bits`, message.line);
    }
    message.id = ((message.severity << 30) | (message.facility << 16) | message.code) >>> 0;
    const clash = this.#ids.get(message.id);
    if (clash)
      throw this.source.error(`message id 0x${message.id.toString(16)} is already used by the message at line ${clash.line}`, message.line);
    if (message.texts.size === 0) throw this.source.error('this message has no Language= text', message.line);
    this.#ids.set(message.id, message);
    this.#lastCodeByFacility.set(message.facility, message.code);
    this.messages.push(message);
  }

  /** Records a SymbolicName, which must be a C identifier used once. */
  symbolicName(value: string): void {
    const message = this.message('SymbolicName');
    if (!/^[A-Za-z_]\w*$/.test(value)) throw this.source.error(`SymbolicName '${value}' is not a C identifier`);
    const other = this.#symbolicNames.get(value);
    if (other !== undefined) throw this.source.error(`SymbolicName ${value} is already used at line ${other}`);
    this.#symbolicNames.set(value, this.source.lineNumber);
    message.symbolicName = value;
  }

  /** The symbolic names of severities and facilities with their values. */
  symbols(): Map<string, number> {
    const symbols = new Map<string, number>();
    for (const table of [this.severities, this.facilities])
      for (const { value, symbol } of table.names.values()) if (symbol) symbols.set(symbol, value);
    return symbols;
  }
}

/** What each keyword does (keywords are case-insensitive: the table's are lower case). */
const KEYWORDS = new Map<string, (parser: McParser, value: string) => void>([
  ['messageidtypedef', () => {}],
  ['outputbase', () => {}],
  ['severitynames', (parser, value) => parser.declareNames(parser.severities, value)],
  ['facilitynames', (parser, value) => parser.declareNames(parser.facilities, value)],
  [
    'languagenames',
    (parser, value) => {
      for (const item of readList(parser.source, value, 'LanguageNames')) {
        if (!item.symbol) throw parser.source.error(`LanguageNames: '${item.name}' needs a file name (name=number:filename)`);
        parser.languages.set(item.name.toLowerCase(), { name: item.name, id: item.value, fileName: item.symbol });
      }
    },
  ],
  [
    'messageid',
    (parser, value) => {
      parser.finish();
      const increment = value === '' ? 1 : value.startsWith('+') ? parseNumber(value.slice(1)) : undefined;
      const code = value === '' || value.startsWith('+') ? 0 : parseNumber(value);
      if (code === undefined || (increment === undefined && value.startsWith('+')))
        throw parser.source.error(`MessageId: '${value}' is not a number or +number`);
      if (code > MAX_CODE) throw parser.source.error(`MessageId 0x${code.toString(16)} does not fit in 16 bits`);
      const { severity, facility } = parser;
      parser.current = { id: 0, severity, facility, code, increment, texts: new Map(), line: parser.source.lineNumber };
    },
  ],
  [
    'severity',
    (parser, value) => {
      const message = parser.message('Severity');
      parser.severity = message.severity = parser.lookup(parser.severities, value);
    },
  ],
  [
    'facility',
    (parser, value) => {
      const message = parser.message('Facility');
      parser.facility = message.facility = parser.lookup(parser.facilities, value);
    },
  ],
  ['symbolicname', (parser, value) => parser.symbolicName(value)],
  [
    'language',
    (parser, value) => {
      const message = parser.message('Language=');
      const language = parser.languages.get(value.toLowerCase());
      if (!language) throw parser.source.error(`unknown language '${value}': declare it with LanguageNames=(${value}=0x409:MSG00409)`);
      if (message.texts.has(language.name)) throw parser.source.error(`this message already has ${language.name} text`);
      if (!parser.usedLanguages.includes(language)) parser.usedLanguages.push(language);
      message.texts.set(language.name, readText(parser.source, language.name));
    },
  ],
]);

/** Parses `.mc` source; `file` names it in errors. Throws MessageCompileError for malformed input. */
export function parseMessageFile(text: string, file = '<input>'): MessageFile {
  const source = new Source(text, file);
  const parser = new McParser(source);
  for (; source.index < source.lines.length; source.index++) {
    const line = source.lines[source.index]!;
    const found = statements(line);
    if (found === undefined) throw source.error(`expected keyword=value, found '${line.trim()}'`);
    for (const { keyword, value } of found) {
      const handle = KEYWORDS.get(keyword);
      if (!handle) throw source.error(`unknown keyword '${keyword}'`);
      handle(parser, value);
    }
  }
  parser.finish();
  return { languages: parser.usedLanguages, messages: parser.messages, symbols: parser.symbols() };
}
