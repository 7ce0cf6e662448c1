/**
 * The test bed itself (.ci/wine-bed.sh, test/wine/bed.sh): made once and reused, Wine 10 inside,
 * and nothing left mounted on the machine by the programs the suite has run through it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { underWine } from '../platform.ts';
import { bedRoot, bedWineVersion, wineCommand } from '../wine/bed.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

// Not on Windows, which has no bed (and where path.resolve('/…') is a drive path, never '/').
describe.skipIf(!underWine || path.resolve(bedRoot) === '/')('the Wine 10 test bed', () => {
  it('is reused by a second setup, which changes nothing', () => {
    const stamp = path.join(bedRoot, '.nodeservice-bed');
    const before = fs.statSync(stamp);
    const again = spawnSync('bash', [path.join(root, '.ci', 'wine-bed.sh')], { encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    expect(fs.statSync(stamp).ino).toBe(before.ino);
    expect(fs.existsSync(`${bedRoot}.new`)).toBe(false);
  });

  it(`runs Wine ${bedWineVersion}`, () => {
    const { command, args } = wineCommand('wine', ['--version']);
    const result = spawnSync(command, args, { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^wine-${bedWineVersion}\\.`));
  });

  it('leaves nothing mounted in the machine’s own mount namespace', () => {
    const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
    expect(mounts.filter((line) => line.includes(bedRoot))).toEqual([]);
  });
});
