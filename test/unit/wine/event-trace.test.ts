import { describe, expect, it } from 'vitest';
import { parseEventTrace, unescapeWineString } from '../../wine/event-trace.ts';

// Lines as Wine 10.0 wrote them for a service logging through host.exe (captured on the test bed).
const wine10 = [
  '02a4:fixme:advapi:RegisterEventSourceW ((null),L"LogSvc"): stub',
  '02a4:fixme:advapi:ReportEventW (00000000CAFE4242,0x0004,0x0000,0x40001001,0000000000000000,0x0002,0x00000000,00007FBDAE0D0000,0000000000000000): stub',
  '02a4:trace:eventlog:ReportEventW L"LogSvc"',
  '0320:fixme:advapi:RegisterEventSourceW ((null),L"Log2"): stub',
  '0320:fixme:advapi:ReportEventW (00000000CAFE4242,0x0002,0x0000,0x800000ff,0000000000000000,0x0001,0x00000000,00007F77C8090000,0000000000000000): stub',
  '0320:warn:eventlog:ReportEventW L"w1\\n"',
  '02a4:fixme:advapi:ReportEventW (00000000CAFE4242,0x0004,0x0000,0x400000ff,0000000000000000,0x0001,0x00000000,00007FBDAE0D0000,0000000000000000): stub',
  '02a4:trace:eventlog:ReportEventW L"hello \\"quoted\\"\\n"',
  '0320:warn:eventlog:ReportEventW L"w2"',
  '02a4:trace:eventlog:ReportEventW L"line2 \\00fcn\\00efcode \\20ac \\d83d\\de00"',
  '0320:fixme:advapi:ReportEventW (00000000CAFE4242,0x0004,0x0003,0x40000100,00007F77C80A0000,0x0005,0x0000f000,00007F77C8090000,00007F77C80B0000): stub',
  '0320:trace:eventlog:ReportEventW L"tab\\there\\\\back\\\\n"',
  `0320:trace:eventlog:ReportEventW L"${'x'.repeat(290)}"...`,
  '0320:err:eventlog:ReportEventW L"e1"',
].join('\n');

describe('parseEventTrace (Wine 10 trace text)', () => {
  const events = parseEventTrace(wine10);

  it('reads source, type, category, id, SID, string count and data size from advapi fixme lines, per thread', () => {
    expect(
      events.map(({ source, type, id, count, category, dataSize, hasSid }) => ({ source, type, id, count, category, dataSize, hasSid })),
    ).toEqual([
      { source: 'LogSvc', type: 4, id: 0x40001001, count: 2, category: 0, dataSize: 0, hasSid: false },
      { source: 'Log2', type: 2, id: 0x800000ff, count: 1, category: 0, dataSize: 0, hasSid: false },
      { source: 'LogSvc', type: 4, id: 0x400000ff, count: 1, category: 0, dataSize: 0, hasSid: false },
      { source: 'Log2', type: 4, id: 0x40000100, count: 5, category: 3, dataSize: 61440, hasSid: true },
    ]);
  });

  it('joins a string Wine traced line by line, and unescapes non-ASCII, quotes and backslashes', () => {
    expect(events[1]!.strings).toEqual(['w1\nw2']);
    expect(events[2]!.strings).toEqual(['hello "quoted"\nline2 ünïcode € 😀']);
  });

  it('keeps a cut string as far as Wine printed it, and a literal backslash-n as the end of a string', () => {
    expect(events[3]!.strings).toEqual(['tab\there\\back\\n', 'x'.repeat(290), 'e1']);
  });

  it('ignores lines of other channels and strings with no entry before them', () => {
    expect(parseEventTrace('0010:trace:eventlog:ReportEventW L"orphan"\n0010:fixme:ntdll:Foo bar\nnot a trace line')).toEqual([]);
  });
});

describe('unescapeWineString', () => {
  it('reads every escape debugstr_w writes', () => {
    expect(unescapeWineString('a\\tb\\r\\n\\"\\\\\\x41\\u00e9\\00e9')).toBe('a\tb\r\n"\\Aéé');
  });
});
