import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMessageFile, compileMessages, toTypeScript } from '../../../messages/compile.ts';
import { MessageCompileError } from '../../../messages/mc-parser.ts';
import { decodeMessageTable, encodeMessageTable } from '../../../messages/message-table.ts';
import { underWine } from '../../platform.ts';

const corpusDir = path.join(import.meta.dirname, 'mc-corpus');
const corpus = [
  path.join(import.meta.dirname, '..', '..', '..', 'messages', 'host.mc'),
  ...fs.readdirSync(corpusDir).map((name) => path.join(corpusDir, name)),
];

/**
 * mingw's message compiler: the cross tool's prefixed name on Linux; on Windows, a native mingw
 * (the runner image's) ships binutils unprefixed (gcc also has an x86_64-w64-mingw32-gcc, windmc not).
 */
const windmcProgram = underWine ? 'x86_64-w64-mingw32-windmc' : 'windmc';

/** What mingw's windmc makes of an .mc file: tables by LANGID and ids by symbolic name. */
function windmc(mcFile: string): { tables: Map<number, Buffer>; ids: Map<string, number> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-windmc-'));
  try {
    // mc.exe reads CRLF files; windmc keeps the input's line ends in the texts.
    const input = path.join(dir, 'input.mc');
    fs.writeFileSync(input, fs.readFileSync(mcFile, 'utf8').replace(/\r?\n/g, '\r\n'));
    execFileSync(windmcProgram, ['-U', '-C', '65001', '-h', dir, '-r', dir, input], { cwd: dir, stdio: 'pipe' });
    const tables = new Map<number, Buffer>();
    const rc = fs.readFileSync(path.join(dir, 'input.rc'), 'utf8');
    for (const match of rc.matchAll(/LANGUAGE 0x([0-9a-f]+), 0x([0-9a-f]+)\s+1 MESSAGETABLE "([^"]+)"/gi)) {
      const langId = (Number.parseInt(match[2]!, 16) << 10) | Number.parseInt(match[1]!, 16);
      tables.set(langId, fs.readFileSync(path.join(dir, match[3]!)));
    }
    const header = fs.readFileSync(path.join(dir, 'input.h'), 'utf8');
    const ids = new Map(
      [...header.matchAll(/^#define (\w+) +(?:\(\w+\) )?0x([0-9a-f]+)$/gim)].map((m) => [m[1]!, Number.parseInt(m[2]!, 16)]),
    );
    return { tables, ids };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the message compiler agrees with windmc', () => {
  it.each(corpus.map((file) => [path.basename(file), file]))('%s', (_name, file) => {
    const ours = compileMessageFile(file);
    const theirs = windmc(file);
    expect(ours.tables.map((table) => table.language.id).sort()).toEqual([...theirs.tables.keys()].sort());
    for (const table of ours.tables) {
      const reference = theirs.tables.get(table.language.id)!;
      expect(decodeMessageTable(table.data), table.language.name).toEqual(decodeMessageTable(reference));
      expect(table.data.equals(reference), `${table.language.name} table bytes`).toBe(true);
    }
    const symbolic = ours.file.messages.filter((message) => message.symbolicName).map((message) => [message.symbolicName!, message.id]);
    expect(symbolic.length).toBeGreaterThan(0);
    for (const [name, id] of symbolic) expect(theirs.ids.get(name as string), name as string).toBe(id);
  });
});

describe('the message compiler', () => {
  it('has generated runtime/eventlog/host-messages.ts from messages/host.mc ("npm run messages")', () => {
    const generated = path.join(import.meta.dirname, '..', '..', '..', 'runtime', 'eventlog', 'host-messages.ts');
    expect(fs.readFileSync(generated, 'utf8')).toBe(toTypeScript(compileMessageFile(corpus[0]!), 'messages/host.mc'));
  });

  it('keeps texts verbatim with CRLF line ends, one block per run of consecutive ids', () => {
    const { tables } = compileMessages(
      'MessageId=1\nLanguage=English\nA %1!d!\nb%n\n.\nMessageId=\nLanguage=English\nc\n.\nMessageId=9\nLanguage=English\nd\n.\n',
    );
    const data = tables[0]!.data;
    expect(tables[0]!.language).toEqual({ name: 'English', id: 1, fileName: 'MSG00001' });
    expect(data.readUInt32LE(0)).toBe(2);
    expect(decodeMessageTable(data)).toEqual([
      { id: 1, text: 'A %1!d!\r\nb%n\r\n' },
      { id: 2, text: 'c\r\n' },
      { id: 9, text: 'd\r\n' },
    ]);
  });

  it('inherits Severity and Facility and counts empty ids per facility, as mc.exe documents', () => {
    const source = [
      'FacilityNames=(Net=0x7:FACILITY_NET)',
      'MessageId=0x10 Severity=Warning Facility=Net SymbolicName=A',
      'Language=English',
      'a',
      '.',
      'MessageId= SymbolicName=B',
      'Language=English',
      'b',
      '.',
      'MessageId=0x1 Severity=Error Facility=System SymbolicName=C',
      'Language=English',
      'c',
      '.',
      'MessageId= Facility=Net SymbolicName=D',
      'Language=English',
      'd',
      '.',
    ].join('\n');
    const ids = Object.fromEntries(compileMessages(source).file.messages.map((m) => [m.symbolicName, m.id.toString(16)]));
    expect(ids).toEqual({ A: '80070010', B: '80070011', C: 'c0ff0001', D: 'c0070012' });
  });

  it('generates TypeScript constants with the text as documentation', () => {
    const compiled = compileMessages(
      'MessageId=0x1002 Severity=Informational SymbolicName=STARTED\nLanguage=English\nThe %1 service has started.\n.\n',
    );
    expect(toTypeScript(compiled, 'x.mc')).toContain('/** The %1 service has started. */\nexport const STARTED = 0x40001002;\n');
  });

  it('round-trips tables through the decoder', () => {
    const entries = [
      { id: 0xc0000001, text: 'é%1\r\n' },
      { id: 5, text: '' },
      { id: 6, text: 'abc' },
    ];
    expect(decodeMessageTable(encodeMessageTable(entries))).toEqual([...entries].sort((a, b) => a.id - b.id));
  });

  it.each([
    ['MessageId=1\nLanguage=English\nno end\n', /bad\.mc:2: the English text of this message has no end/],
    ['MessageId=1\nSeverity=Fatal\n', /bad\.mc:2: unknown severity 'Fatal'/],
    ['MessageId=1\nLanguage=Klingon\nx\n.\n', /bad\.mc:2: unknown language 'Klingon'/],
    ['MessageId=0x10000\n', /bad\.mc:1: MessageId 0x10000 does not fit in 16 bits/],
    [
      'MessageId=1\nLanguage=English\na\n.\nMessageId=1\nLanguage=English\nb\n.\n',
      /bad\.mc:5: message id 0x1 is already used by the message at line 1/,
    ],
    ['SeverityNames=(Bad=0x4)\n', /bad\.mc:1: severity Bad=0x4 does not fit in 2 bits/],
    ['FacilityNames=(A=0x1\n', /bad\.mc:1: FacilityNames: missing '\)'/],
    ['Language=English\n', /bad\.mc:1: Language= outside a message/],
    [
      'MessageId=1 SymbolicName=X\nLanguage=English\na\n.\nMessageId=2 SymbolicName=X\n',
      /bad\.mc:5: SymbolicName X is already used at line 1/,
    ],
    ['MessageId=1\n', /bad\.mc:1: this message has no Language= text/],
    ['Hello there\n', /bad\.mc:1: expected keyword=value, found 'Hello there'/],
    ['Colour=blue\n', /bad\.mc:1: unknown keyword 'colour'/],
  ])('reports malformed input with file:line (%#)', (source, message) => {
    expect(() => compileMessages(source, 'bad.mc')).toThrow(MessageCompileError);
    expect(() => compileMessages(source, 'bad.mc')).toThrow(message);
  });
});
