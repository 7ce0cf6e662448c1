/**
 * `--dotenv FILE`: a dotenv file read at every start of the service. The rules are dotenv's
 * (motdotla/dotenv lib/main.js: `NAME=value`, `export ` before it, `#` comments, values in '…', "…"
 * or `…` that may span lines, `\n` and `\r` expanded in double quotes only, an unquoted value ending
 * at `#`), but where dotenv skips a line it cannot read, this parser names it (`file:line: reason`):
 * a service must not start with half its configuration. It scans by index, not with dotenv's
 * backtracking regular expression, so a huge or hostile file costs linear time.
 * @module
 */
import fs from 'node:fs';

/** The longest value Windows keeps in a variable (SetEnvironmentVariableW's limit, in UTF-16 units). */
export const MAX_VALUE_LENGTH = 32_767;
/** The largest env file read: a file this big is a mistake, not a configuration. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** A line of an env file that cannot be read: `file:line: reason`. */
export class EnvFileError extends Error {
  override readonly name = 'EnvFileError';

  /** The file. */
  readonly file: string;
  /** The line (from 1), or 0 when the whole file is at fault. */
  readonly line: number;

  constructor(file: string, line: number, reason: string) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
    this.file = file;
    this.line = line;
  }
}

const NAME_LINE = /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*=[ \t]*/;
const QUOTES = `'"\``;

/** The text of an env file → its variables (later lines win). Throws EnvFileError naming the line. */
export function parseEnvFile(source: string, file = '.env'): Record<string, string> {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  // No prototype: a line `__proto__=x` is a variable like any other, not a prototype change.
  const variables: Record<string, string> = Object.create(null) as Record<string, string>;
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const lineEnd = endOfLine(text, pos);
    const content = text.slice(pos, lineEnd);
    const blank = content.trim();
    if (blank === '' || blank.startsWith('#')) {
      pos = lineEnd + 1;
      line++;
      continue;
    }
    const fail = (reason: string, at = line): never => {
      throw new EnvFileError(file, at, reason);
    };
    const match = NAME_LINE.exec(content);
    if (!match) {
      const name = content
        .split('=')[0]!
        .trim()
        .replace(/^export[ \t]+/, '');
      fail(content.includes('=') ? `'${name}' is not a variable name: use letters, digits, '_', '.' and '-'` : 'expected NAME=VALUE');
    }
    const name = match![1]!;
    const start = pos + match![0].length;
    let value: string;
    const quote = text[start];
    if (quote !== undefined && QUOTES.includes(quote) && start < lineEnd) {
      const close = closingQuote(text, start + 1, quote);
      if (close === -1) fail(`the ${quote} that opens the value of ${name} is never closed`);
      const rest = text.slice(close + 1, endOfLine(text, close + 1));
      const closeLine = line + countNewlines(text, start, close);
      if (!/^[ \t]*(?:#.*)?$/.test(rest)) fail(`text after the closing ${quote} of ${name}: put a # before a comment`, closeLine);
      value = text.slice(start + 1, close);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
      pos = endOfLine(text, close + 1) + 1;
      line = closeLine + 1;
    } else {
      const hash = content.indexOf('#', start - pos);
      value = content.slice(start - pos, hash === -1 ? undefined : hash).trim();
      pos = lineEnd + 1;
      line++;
    }
    const at = line - 1;
    if (value.includes('\0') || name.includes('\0')) fail(`the value of ${name} holds a NUL character, which no variable can`, at);
    if (value.length > MAX_VALUE_LENGTH)
      fail(`the value of ${name} is ${value.length} characters long; Windows keeps at most ${MAX_VALUE_LENGTH}`, at);
    variables[name] = value;
  }
  return variables;
}

function endOfLine(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** The index of the quote that closes a value opened before `from`; a backslash before a quote keeps it open (and stays, as in dotenv). */
function closingQuote(text: string, from: number, quote: string): number {
  for (let at = text.indexOf(quote, from); at !== -1; at = text.indexOf(quote, at + 1)) {
    if (text[at - 1] !== '\\') return at;
  }
  return -1;
}

/** Reads and parses an env file; a missing, unreadable or malformed file throws an error that names it. */
export function readEnvFile(file: string): Record<string, string> {
  let data: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_FILE_BYTES) throw new EnvFileError(file, 0, `is ${size} bytes; an env file may have at most ${MAX_FILE_BYTES}`);
    data = fs.readFileSync(file);
  } catch (error) {
    if (error instanceof EnvFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (error as Error).message;
    throw new EnvFileError(file, 0, reason);
  }
  return parseEnvFile(decode(data, file), file);
}

/** UTF-8 (with or without BOM), or UTF-16LE with its BOM, as Notepad and PowerShell 5's `>` write it. */
function decode(data: Buffer, file: string): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new EnvFileError(file, 0, 'is not UTF-8 text: save it as UTF-8');
  }
}
