import { describe, expect, it } from 'vitest';
import { formatNumber, formatTable, median, ratio } from '../../../bench/table.ts';

describe('the benchmark table', () => {
  it('takes medians of odd and even counts, unsorted', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('no values');
  });

  it('formats numbers to about three significant digits, and ratios', () => {
    expect(formatNumber(1_091_862.4)).toBe('1,091,862');
    expect(formatNumber(35.49)).toBe('35.5');
    expect(formatNumber(2.691)).toBe('2.69');
    expect(formatNumber(Number.NaN)).toBe('n/a');
    expect(ratio(310, 32.8)).toBe('×9.45');
    expect(ratio(1, 0)).toBe('n/a');
  });

  it('aligns the label column left and the numbers right', () => {
    expect(
      formatTable(
        ['Metric', 'a', 'bb'],
        [
          ['x', '1', '22'],
          ['longer', '333', '4'],
        ],
      ),
    ).toBe(['Metric    a  bb', '------  ---  --', 'x         1  22', 'longer  333   4'].join('\n'));
  });
});
