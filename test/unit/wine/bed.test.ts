import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { underWine } from '../../platform.ts';
import { wineCommand } from '../../wine/bed.ts';

// Linux only: on Windows there is no Wine, and path.resolve('/') is a drive root, not '/'.
describe.skipIf(!underWine)('wineCommand', () => {
  it('runs a program through bed.sh in a complete bed', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bed-'));
    fs.writeFileSync(path.join(root, '.nodeservice-bed'), 'recipe\n');
    const { command, args } = wineCommand('wine', ['sc', 'query'], root);
    expect(path.basename(command)).toBe('bed.sh');
    expect(args).toEqual([root, 'wine', 'sc', 'query']);
    fs.rmSync(root, { recursive: true });
  });

  it('refuses a bed without its stamp (missing, or made halfway) and says how to make it', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bed-'));
    expect(() => wineCommand('wineserver', ['-k'], root)).toThrow(`the Wine 10 test bed is missing at ${root}: run .ci/setup.sh`);
    fs.rmSync(root, { recursive: true });
  });

  it('runs the machine’s own Wine when the root is /', () => {
    expect(wineCommand('wineserver', ['-p'], '/')).toEqual({ command: 'wineserver', args: ['-p'] });
  });
});
