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

/** Parses `.mc` source; `file` names it in errors. Throws MessageCompileError for malformed input. */
export function parseMessageFile(text: string, file = '<input>'): MessageFile {
  const source = new Source(text, file);
  const severities = new Map<string, NamedValue>([
    ['success', { value: 0 }],
    ['informational', { value: 1 }],
    ['warning', { value: 2 }],
    ['error', { value: 3 }],
  ]);
  const facilities = new Map<string, NamedValue>([
    ['system', { value: 0x0ff }],
    ['application', { value: 0xfff }],
  ]);
  const languages = new Map<string, MessageLanguage>([['english', { name: 'English', id: 1, fileName: 'MSG00001' }]]);
  const usedLanguages: MessageLanguage[] = [];
  const messages: MessageDefinition[] = [];
  const lastCodeByFacility = new Map<number, number>();
  const ids = new Map<number, MessageDefinition>();
  const symbolicNames = new Map<string, number>();
  let severity = 0;
  let facility = 0;
  let current: (MessageDefinition & { increment?: number }) | undefined;

  const lookup = (table: Map<string, NamedValue>, kind: string, name: string): number => {
    const entry = table.get(name.toLowerCase());
    if (!entry) throw source.error(`unknown ${kind} '${name}' (known: ${[...table.keys()].join(', ')})`);
    return entry.value;
  };
  const finish = ({ increment, ...message }: MessageDefinition & { increment?: number }) => {
    // An empty or +n MessageId counts from the previous id of the message's own facility.
    if (increment !== undefined) {
      const previous = lastCodeByFacility.get(message.facility);
      message.code = previous === undefined ? increment - 1 : previous + increment;
      if (message.code > MAX_CODE) throw source.error(`MessageId 0x${message.code.toString(16)} does not fit in 16 bits`, message.line);
    }
    message.id = ((message.severity << 30) | (message.facility << 16) | message.code) >>> 0;
    const clash = ids.get(message.id);
    if (clash)
      throw source.error(`message id 0x${message.id.toString(16)} is already used by the message at line ${clash.line}`, message.line);
    if (message.texts.size === 0) throw source.error('this message has no Language= text', message.line);
    ids.set(message.id, message);
    lastCodeByFacility.set(message.facility, message.code);
    messages.push(message);
  };

  for (; source.index < source.lines.length; source.index++) {
    const line = source.lines[source.index]!;
    const found = statements(line);
    if (found === undefined) throw source.error(`expected keyword=value, found '${line.trim()}'`);
    for (const { keyword, value } of found) {
      switch (keyword) {
        case 'messageidtypedef':
        case 'outputbase':
          break;
        case 'severitynames':
        case 'facilitynames': {
          const isSeverity = keyword === 'severitynames';
          const limit = isSeverity ? MAX_SEVERITY : MAX_FACILITY;
          for (const item of readList(source, value, isSeverity ? 'SeverityNames' : 'FacilityNames')) {
            if (item.value > limit)
              throw source.error(
                `${isSeverity ? 'severity' : 'facility'} ${item.name}=0x${item.value.toString(16)} does not fit in ${isSeverity ? 2 : 12} bits`,
              );
            (isSeverity ? severities : facilities).set(item.name.toLowerCase(), { value: item.value, symbol: item.symbol });
          }
          break;
        }
        case 'languagenames':
          for (const item of readList(source, value, 'LanguageNames')) {
            if (!item.symbol) throw source.error(`LanguageNames: '${item.name}' needs a file name (name=number:filename)`);
            languages.set(item.name.toLowerCase(), { name: item.name, id: item.value, fileName: item.symbol });
          }
          break;
        case 'messageid': {
          if (current) finish(current);
          const increment = value === '' ? 1 : value.startsWith('+') ? parseNumber(value.slice(1)) : undefined;
          const code = value === '' || value.startsWith('+') ? 0 : parseNumber(value);
          if (code === undefined || (increment === undefined && value.startsWith('+')))
            throw source.error(`MessageId: '${value}' is not a number or +number`);
          if (code > MAX_CODE) throw source.error(`MessageId 0x${code.toString(16)} does not fit in 16 bits`);
          current = { id: 0, severity, facility, code, increment, texts: new Map(), line: source.lineNumber };
          break;
        }
        case 'severity':
        case 'facility':
        case 'symbolicname': {
          if (!current)
            throw source.error(
              `${keyword === 'symbolicname' ? 'SymbolicName' : keyword[0]!.toUpperCase() + keyword.slice(1)} outside a message: start it with MessageId=`,
            );
          if (keyword === 'severity') severity = current.severity = lookup(severities, 'severity', value);
          else if (keyword === 'facility') {
            facility = current.facility = lookup(facilities, 'facility', value);
          } else {
            if (!/^[A-Za-z_]\w*$/.test(value)) throw source.error(`SymbolicName '${value}' is not a C identifier`);
            const other = symbolicNames.get(value);
            if (other !== undefined) throw source.error(`SymbolicName ${value} is already used at line ${other}`);
            symbolicNames.set(value, source.lineNumber);
            current.symbolicName = value;
          }
          break;
        }
        case 'language': {
          if (!current) throw source.error('Language= outside a message: start it with MessageId=');
          const language = languages.get(value.toLowerCase());
          if (!language) throw source.error(`unknown language '${value}': declare it with LanguageNames=(${value}=0x409:MSG00409)`);
          if (current.texts.has(language.name)) throw source.error(`this message already has ${language.name} text`);
          if (!usedLanguages.includes(language)) usedLanguages.push(language);
          current.texts.set(language.name, readText(source, language.name));
          break;
        }
        default:
          throw source.error(`unknown keyword '${keyword}'`);
      }
    }
  }
  if (current) finish(current);
  const symbols = new Map<string, number>();
  for (const table of [severities, facilities]) for (const { value, symbol } of table.values()) if (symbol) symbols.set(symbol, value);
  return { languages: usedLanguages, messages, symbols };
}
