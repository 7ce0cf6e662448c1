import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CAB_BLOCK_SIZE, cabChecksum, writeCabinet, type CabinetFile } from '../../../installer/cabinet.ts';

const big = Buffer.alloc(100_000);
for (let index = 0; index < big.length; index++) big[index] = (index * 7 + 3) & 0xff;

/** Checked with `cabextract -t` (which verifies every block's checksum) and extracted by Wine's extrac32 when written. */
const SAMPLE: CabinetFile[] = [
  { name: 'a.txt', data: Buffer.from('hello\n') },
  { name: 'big.bin', data: big, modified: new Date(2024, 5, 1, 12, 30, 10) },
  { name: 'empty', data: Buffer.alloc(0) },
  { name: 'ünï.txt', data: Buffer.from('abc') },
];

interface Parsed {
  size: number;
  files: { name: string; size: number; offset: number; date: number; time: number; attribs: number }[];
  blocks: { checksum: number; data: Buffer }[];
}

/** Reads back what writeCabinet wrote, field by field (MS-CAB), checking each block's checksum. */
function parse(cab: Buffer): Parsed {
  expect(cab.toString('latin1', 0, 4)).toBe('MSCF');
  expect([cab[24], cab[25]]).toEqual([3, 1]);
  expect(cab.readUInt16LE(26)).toBe(1);
  const count = cab.readUInt16LE(28);
  let at = cab.readUInt32LE(16);
  const files: Parsed['files'] = [];
  for (let index = 0; index < count; index++) {
    const end = cab.indexOf(0, at + 16);
    files.push({
      size: cab.readUInt32LE(at),
      offset: cab.readUInt32LE(at + 4),
      date: cab.readUInt16LE(at + 10),
      time: cab.readUInt16LE(at + 12),
      attribs: cab.readUInt16LE(at + 14),
      name: cab.toString('utf8', at + 16, end),
    });
    at = end + 1;
  }
  expect(cab.readUInt32LE(36)).toBe(at);
  expect(cab.readUInt16LE(42)).toBe(0);
  const blocks: Parsed['blocks'] = [];
  for (let index = 0; index < cab.readUInt16LE(40); index++) {
    const length = cab.readUInt16LE(at + 4);
    expect(cab.readUInt16LE(at + 6)).toBe(length);
    const data = cab.subarray(at + 8, at + 8 + length);
    expect(cab.readUInt32LE(at)).toBe(cabChecksum(cab.subarray(at + 4, at + 8), cabChecksum(data)));
    blocks.push({ checksum: cab.readUInt32LE(at), data });
    at += 8 + length;
  }
  expect(at).toBe(cab.length);
  return { size: cab.readUInt32LE(8), files, blocks };
}

describe('writeCabinet', () => {
  it('writes the sample as it was checked against cabextract and Wine', () => {
    const cab = writeCabinet(SAMPLE);
    expect(cab.length).toBe(100_179);
    expect(createHash('sha256').update(cab).digest('hex')).toBe('c510fe349254d1ea9b76b5ede668e1059cf388e8d442437dd24a1820ff500329');
  });

  it('stores every file uncompressed in one folder, in order, cut into 32 KiB blocks', () => {
    const cab = writeCabinet(SAMPLE);
    const parsed = parse(cab);
    expect(parsed.size).toBe(cab.length);
    expect(parsed.files.map(({ name, size, offset }) => ({ name, size, offset }))).toEqual([
      { name: 'a.txt', size: 6, offset: 0 },
      { name: 'big.bin', size: 100_000, offset: 6 },
      { name: 'empty', size: 0, offset: 100_006 },
      { name: 'ünï.txt', size: 3, offset: 100_006 },
    ]);
    expect(parsed.blocks.map((block) => block.data.length)).toEqual([
      CAB_BLOCK_SIZE,
      CAB_BLOCK_SIZE,
      CAB_BLOCK_SIZE,
      100_009 - 3 * CAB_BLOCK_SIZE,
    ]);
    expect(Buffer.concat(parsed.blocks.map((block) => block.data))).toEqual(Buffer.concat(SAMPLE.map((file) => file.data)));
  });

  it('marks a non-ASCII name as UTF-8 and keeps DOS time stamps', () => {
    const { files } = parse(writeCabinet(SAMPLE));
    expect(files.map((file) => file.attribs)).toEqual([0x20, 0x20, 0x20, 0xa0]);
    expect(files[1]).toMatchObject({ date: (44 << 9) | (6 << 5) | 1, time: (12 << 11) | (30 << 5) | 5 });
    expect(files[0]).toMatchObject({ date: (1 << 5) | 1, time: 0 });
  });

  it('fills exactly one block at 32 KiB and starts another one byte later', () => {
    expect(parse(writeCabinet([{ name: 'x', data: Buffer.alloc(CAB_BLOCK_SIZE, 1) }])).blocks.map((block) => block.data.length)).toEqual([
      CAB_BLOCK_SIZE,
    ]);
    expect(
      parse(writeCabinet([{ name: 'x', data: Buffer.alloc(CAB_BLOCK_SIZE + 1, 1) }])).blocks.map((block) => block.data.length),
    ).toEqual([CAB_BLOCK_SIZE, 1]);
  });

  it('refuses what a cabinet cannot hold', () => {
    expect(() => writeCabinet([])).toThrow(/at least one file/);
    expect(() => writeCabinet([{ name: '', data: Buffer.alloc(1) }])).toThrow(/non-empty/);
    expect(() => writeCabinet([{ name: 'a\0b', data: Buffer.alloc(1) }])).toThrow(/without NUL/);
    expect(() => writeCabinet([{ name: 'é'.repeat(128), data: Buffer.alloc(1) }])).toThrow(/at most 255 bytes/);
    expect(() =>
      writeCabinet([
        { name: 'Same', data: Buffer.alloc(1) },
        { name: 'same', data: Buffer.alloc(1) },
      ]),
    ).toThrow(/two files named "same"/);
    const many = Array.from({ length: 65_536 }, (_, index) => ({ name: `f${index}`, data: Buffer.alloc(0) }));
    expect(() => writeCabinet(many)).toThrow(/at most 65535 files/);
  });
});

describe('cabChecksum', () => {
  it('XORs little-endian words and puts a 1–3 byte tail in high byte first', () => {
    expect(cabChecksum(Buffer.from([]))).toBe(0);
    expect(cabChecksum(Buffer.from([1, 2, 3, 4]))).toBe(0x04030201);
    expect(cabChecksum(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]))).toBe((0x04030201 ^ 0x08070605) >>> 0);
    expect(cabChecksum(Buffer.from([0xaa]))).toBe(0xaa);
    expect(cabChecksum(Buffer.from([0xaa, 0xbb]))).toBe(0xaabb);
    expect(cabChecksum(Buffer.from([0xaa, 0xbb, 0xcc]))).toBe(0xaabbcc);
    expect(cabChecksum(Buffer.from([1, 2, 3, 4]), 0xffffffff)).toBe(0xfbfcfdfe);
  });
});
