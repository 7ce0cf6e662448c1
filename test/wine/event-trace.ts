/**
 * What services logged, read from Wine's debug trace: Wine's Event Log stores nothing, but its
 * advapi32 stubs trace each RegisterEventSourceW and ReportEventW call (fixme:advapi: the source, the
 * type, the id, the string count) and each insert string (eventlog channel: trace, warn or err by
 * the entry's type). Pure text in, entries out, so the format's rules are unit-tested.
 *
 * The format is Wine 10's (the test bed's, see bed.ts): a string is traced one line at a time, each
 * line but the last ending in an escaped `\n`, and an empty string is not traced at all. So lines
 * whose text ends in `\n` are joined with the next one; a string that ends in a newline and the
 * string after it read as one, and empty strings are missing (compare `count`). Wine 8 traced each
 * string on one line, which reads the same way. debugstr_w cuts a line at about 290 characters and
 * marks the cut with `"...`; non-ASCII characters are escaped as four hex digits (`\00fc`).
 * @module
 */

/** An Event Log entry a service wrote, as Wine's debug channels show ReportEventW's arguments. */
export interface LoggedEvent {
  source: string;
  type: number;
  id: number;
  /** The number of insert strings ReportEventW was given (empty ones are not in `strings`). */
  count: number;
  strings: string[];
  /** The category (wCategory). */
  category: number;
  /** How many bytes of binary data came with it (dwDataSize). */
  dataSize: number;
  /** Whether a user SID came with it (lpUserSid not NULL). */
  hasSid: boolean;
}

/** A pointer as Wine's debug output prints it: NULL is all zeros (or "(nil)"). */
function isNullPointer(text: string | undefined): boolean {
  return text === undefined || /^(?:0+|\(nil\))$/.test(text.trim());
}

/** The text of a Wine debugstr_w literal, unescaped. */
export function unescapeWineString(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-9a-fA-F]{4}|.)/g, (_, code: string) => {
    if (/^[0-9a-fA-F]{4}$/.test(code)) return String.fromCharCode(Number.parseInt(code, 16));
    if (code.length > 1) return String.fromCharCode(Number.parseInt(code.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[code] ?? code;
  });
}

/**
 * The entries in a trace of the `eventlog` channel and advapi's fixme messages, in order: the one
 * parser of that trace (the services' trace file, or a traced command's stderr), so a trace format
 * that changes with another Wine is fixed here.
 */
export function parseEventTrace(trace: string): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  const sources = new Map<string, string>();
  const current = new Map<string, { event: LoggedEvent; open: boolean }>();
  for (const line of trace.split('\n')) {
    const match = /^([0-9a-f]+):\w+:(\w+):(\w+) (.*)$/.exec(line.replace(/\r$/, ''));
    if (!match) continue;
    const [, thread, channel, fn, rest] = match as unknown as [string, string, string, string, string];
    if (fn === 'RegisterEventSourceW') {
      sources.set(thread, /L"(.*)"\)/.exec(rest)?.[1] ?? '');
    } else if (fn === 'ReportEventW' && channel === 'advapi') {
      // (handle, type, category, id, sid, numStrings, dataSize, strings, data)
      const [, type = '', category = '', id = '', sid, count = '', dataSize = ''] = rest.slice(1).split(',');
      const event: LoggedEvent = {
        source: sources.get(thread) ?? '',
        type: Number(type),
        id: Number(id),
        count: Number(count),
        strings: [],
        category: Number(category),
        dataSize: Number(dataSize),
        hasSid: !isNullPointer(sid),
      };
      events.push(event);
      current.set(thread, { event, open: false });
    } else if (fn === 'ReportEventW' && channel === 'eventlog') {
      const entry = current.get(thread);
      const text = /^L"(.*)"(?:\.\.\.)?$/.exec(rest)?.[1];
      if (entry === undefined || text === undefined) continue;
      const { strings } = entry.event;
      if (entry.open) strings[strings.length - 1] += unescapeWineString(text);
      else strings.push(unescapeWineString(text));
      entry.open = text.endsWith('\\n') && !text.endsWith('\\\\n');
    }
  }
  return events;
}
