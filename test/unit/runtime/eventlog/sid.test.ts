import { describe, expect, it } from 'vitest';
import { sidFromString, sidToString } from '../../../../runtime/eventlog/sid.ts';

describe('SIDs between text and the binary layout (winnt.h SID)', () => {
  it('writes the documented layout: revision, count, 48-bit big-endian authority, little-endian sub-authorities', () => {
    expect(sidFromString('S-1-5-18').toString('hex')).toBe('010100000000000512000000');
    expect(sidFromString('S-1-5-32-544').toString('hex')).toBe('01020000000000052000000020020000');
    expect(sidFromString('S-1-0').toString('hex')).toBe('0100000000000000');
  });

  it('round-trips, including the largest values and a hex authority', () => {
    for (const sid of ['S-1-5-21-3457937927-2839227994-823803824-1104', 'S-1-16-12288', `S-1-5${'-4294967295'.repeat(15)}`]) {
      expect(sidToString(sidFromString(sid))).toBe(sid);
    }
    expect(sidToString(sidFromString('S-1-0x000000000005-18'))).toBe('S-1-5-18');
  });

  it.each([
    ['', 'is not a SID'],
    ['Administrator', 'is not a SID'],
    ['S-2-5-18', 'is not a SID'],
    ['S-1-5-x', 'is not a SID'],
    ['S-1-5-18-', 'is not a SID'],
    ['s-1-5-18 ', 'is not a SID'],
    ['S-1-5-4294967296', 'a sub-authority is larger than 4294967295'],
    [`S-1-5${'-1'.repeat(16)}`, 'more than 15 sub-authorities'],
    ['S-1-281474976710656-1', 'its authority is too large'],
  ])('refuses %j', (text, message) => {
    expect(() => sidFromString(text)).toThrow(message);
  });
});
