import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { windowsNode } from '../../../build/paths.ts';
import { windowsNodeArgs, windowsScript } from '../../windows-node.ts';

describe('windowsNodeArgs (both runners start the Windows Node with the teardown preload)', () => {
  const asWindows = (file: string) => `Z:${file.replaceAll('/', '\\')}`;

  it('puts --require end-without-teardown.cjs, as the program names it, before the arguments of the Windows Node', () => {
    const args = windowsNodeArgs(windowsNode, ['script.js', '--flag'], asWindows);
    expect(args).toEqual(['--require', expect.stringMatching(/^Z:.*\\end-without-teardown\.cjs$/), 'script.js', '--flag']);
    const preload = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'wine', 'end-without-teardown.cjs');
    expect(fs.existsSync(preload)).toBe(true);
    expect(args[1]).toBe(asWindows(path.resolve(preload)));
  });

  it('leaves every other program alone', () => {
    expect(windowsNodeArgs('sc', ['query', 'X'], asWindows)).toEqual(['query', 'X']);
    expect(windowsNodeArgs('/tmp/host.exe', [], asWindows)).toEqual([]);
  });
});

describe('windowsScript (a .ts the Windows Node runs, bundled once per test process)', () => {
  it('bundles each source once into a .cjs of its own folder and hands the same file out again', async () => {
    const source = path.join(import.meta.dirname, '..', '..', 'native', 'interrupt.ts');
    const first = await windowsScript(source);
    expect(path.basename(first)).toBe('interrupt.cjs');
    expect(fs.readFileSync(first, 'utf8')).toContain('GenerateConsoleCtrlEvent');
    expect(await windowsScript(source)).toBe(first);
    const other = await windowsScript(path.join(import.meta.dirname, '..', '..', 'e2e', 'fixtures', 'security-api.ts'));
    expect(path.dirname(other)).not.toBe(path.dirname(first));
  });
});
