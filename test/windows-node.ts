/**
 * How the tests start the Windows Node (build/paths.ts's windowsNode), whichever runner starts it
 * (test/wine/run.ts under Wine, test/native/run.ts on Windows): with end-without-teardown.cjs
 * preloaded, so it ends before Node's teardown, which can abort under Node 24 on Windows itself and
 * under Wine (nodejs/node#56645). Nothing is lost: Node writes to pipes and files synchronously on
 * Windows. One place says so for both runners.
 * @module
 */
import path from 'node:path';
import { windowsNode } from '../build/paths.ts';

const endWithoutTeardown = path.join(import.meta.dirname, 'wine', 'end-without-teardown.cjs');

/** `args`, after the preload when `program` is the Windows Node; `windowsPath` names the preload as that program sees it. */
export function windowsNodeArgs(program: string, args: readonly string[], windowsPath: (file: string) => string): readonly string[] {
  return path.resolve(program) === windowsNode ? ['--require', windowsPath(endWithoutTeardown), ...args] : args;
}
