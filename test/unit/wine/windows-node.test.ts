import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { windowsNode } from '../../../build/paths.ts';
import { windowsNodeArgs } from '../../windows-node.ts';

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
