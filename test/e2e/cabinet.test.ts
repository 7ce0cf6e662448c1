/**
 * The cabinets installer/cabinet.ts writes, read by Windows' own reader: Wine's extrac32 goes
 * through cabinet.dll's FDI (as Windows Installer does), which checks every block's checksum.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCabinet } from '../../installer/cabinet.ts';
import { prefixDir, runWindowsProgram, windowsPath } from './wine.ts';

const big = Buffer.alloc(200_000);
for (let index = 0; index < big.length; index++) big[index] = (index * 31 + 7) & 0xff;
const FILES = [
  { name: 'service.js', data: Buffer.from('module.exports = 1;\n') },
  { name: 'big.bin', data: big },
  { name: 'empty.txt', data: Buffer.alloc(0) },
];

async function extract(cab: Buffer, label: string): Promise<{ code: number; out: string }> {
  const dir = prefixDir('cabinet-test', label);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, '..', `${label}.cab`);
  fs.writeFileSync(file, cab);
  const result = await runWindowsProgram('extrac32', ['/e', '/l', `C:\\cabinet-test\\${label}`, windowsPath(file)]);
  return { code: result.code, out: dir };
}

describe('cabinets read by cabinet.dll', () => {
  it('extracts every file as written', async () => {
    const { code, out } = await extract(writeCabinet(FILES), 'good');
    expect(code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['big.bin', 'empty.txt', 'service.js']);
    for (const file of FILES) expect(fs.readFileSync(path.join(out, file.name)).equals(file.data), file.name).toBe(true);
  });

  it('stops at a block whose checksum does not match, and never hands out the damaged bytes', async () => {
    const cab = writeCabinet(FILES);
    cab[cab.length - 50_000] ^= 0xff;
    const { out } = await extract(cab, 'bad');
    expect(fs.readFileSync(path.join(out, 'service.js')).equals(FILES[0]!.data)).toBe(true);
    // FDI had created big.bin when it met the bad block (in its last 64 KiB): the file ends before it.
    const partial = fs.readFileSync(path.join(out, 'big.bin'));
    expect(partial.length).toBeLessThan(big.length - 50_000);
    expect(partial.equals(big.subarray(0, partial.length))).toBe(true);
    expect(fs.existsSync(path.join(out, 'empty.txt'))).toBe(false);
  });
});
