import { describe, expect, it, vi } from 'vitest';
import { fitInsert, fitInserts, MAX_INSERT_LENGTH } from '../../../../runtime/eventlog/inserts.ts';
import { EventLogType, logInfoMsg, logMsg, setEventLogSink } from '../../../../runtime/eventlog/service-log.ts';

describe('fitInsert (ReportEventW takes at most 31,839 characters per insert)', () => {
  it('keeps a short insert as it is, up to the limit exactly', () => {
    expect(fitInsert('')).toBe('');
    expect(fitInsert('x'.repeat(MAX_INSERT_LENGTH))).toBe('x'.repeat(MAX_INSERT_LENGTH));
  });

  it('cuts a long one to the limit with a visible mark saying how long it was', () => {
    const long = 'x'.repeat(100_000);
    const fitted = fitInsert(long);
    expect(fitted.length).toBeLessThanOrEqual(MAX_INSERT_LENGTH);
    expect(fitted).toMatch(/^x+ \[…truncated: 100000 characters in all\]$/);
    expect(fitInsert('x'.repeat(MAX_INSERT_LENGTH + 1)).length).toBeLessThanOrEqual(MAX_INSERT_LENGTH);
  });

  it('never cuts a surrogate pair in two', () => {
    const emoji = '😀'.repeat(30);
    for (let max = 40; max < 60; max++) {
      const fitted = fitInsert(emoji, max);
      expect(fitted.length).toBeLessThanOrEqual(max);
      expect(fitted).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      expect(fitted).toMatch(/^(😀)*( \[…truncated: 60 characters in all\])$/);
    }
  });

  it('fits every insert of an entry', () => {
    expect(fitInserts(['a', 'b'.repeat(40_000)]).map((insert) => insert.length <= MAX_INSERT_LENGTH)).toEqual([true, true]);
  });
});

describe('logMsg', () => {
  it('never throws into the service when the entry cannot be written', () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    setEventLogSink(() => {
      throw new Error('ReportEventW: The parameter is incorrect. (87)');
    });
    expect(() => logInfoMsg('x'.repeat(50_000))).not.toThrow();
    expect(() => logMsg(EventLogType.ERROR, 0xc00000ff, ['boom'])).not.toThrow();
    expect(warning).toHaveBeenCalledWith(
      expect.stringContaining('0x400000FF) could not be written: ReportEventW'),
      'NodeServiceLogWarning',
    );
    warning.mockRestore();
  });
});
