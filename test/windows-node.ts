/**
 * How the tests start the Windows Node (build/paths.ts's windowsNode), whichever runner starts it
 * (test/wine/run.ts under Wine, test/native/run.ts on Windows): with end-without-teardown.cjs
 * preloaded, so it ends before Node's teardown, which can abort under Node 24 on Windows itself and
 * under Wine (nodejs/node#56645). Nothing is lost: Node writes to pipes and files synchronously on
 * Windows. One place says so for both runners.
 * @module
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleForWindows } from '../build/bundle.ts';
import { windowsNode } from '../build/paths.ts';

const endWithoutTeardown = path.join(import.meta.dirname, 'wine', 'end-without-teardown.cjs');

/** `args`, after the preload when `program` is the Windows Node; `windowsPath` names the preload as that program sees it. */
export function windowsNodeArgs(program: string, args: readonly string[], windowsPath: (file: string) => string): readonly string[] {
  return path.resolve(program) === windowsNode ? ['--require', windowsPath(endWithoutTeardown), ...args] : args;
}

const bundled = new Map<string, Promise<string>>();

/**
 * `source` (a .ts the Windows Node runs) bundled for it, once per test process, into a temporary
 * folder of its own (vitest's workers run side by side) that is removed when the process exits.
 */
export function windowsScript(source: string): Promise<string> {
  let file = bundled.get(source);
  if (!file) {
    file = (async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nodeservice-${path.basename(source, '.ts')}-`));
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
      const out = path.join(dir, `${path.basename(source, '.ts')}.cjs`);
      await bundleForWindows(source, out);
      return out;
    })();
    bundled.set(source, file);
  }
  return file;
}
