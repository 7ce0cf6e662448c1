/**
 * Loads the command line (host/cli/entry.ts) for host/main.ts. In host.exe it is a SEA asset, a
 * CommonJS bundle of its own (build/bundle.ts), so that host.exe's main script holds only what a
 * service's start needs: holding the whole command line cost every service process about 2.7 MiB
 * of working set under Wine (README, Benchmarks; the start time it saved is within the noise, since
 * V8 only pre-parses code it does not run). Evaluated here like a CommonJS module, with the main script's
 * `require` (built-in modules; the bundle carries everything else) and Node's default loader for
 * its `import()` of service modules (install, package, doctor, apply, debug load them).
 * Outside a SEA (sources run by Node) it is a plain import.
 * @module
 */
import path from 'node:path';
import { getAsset, isSea } from 'node:sea';
import vm from 'node:vm';

/** What host/main.ts uses of the command line. */
export type CommandLine = typeof import('./cli/entry.ts');

/** The SEA asset holding the command line (named in build/bundle.ts). */
const COMMAND_LINE_ASSET = 'cli.cjs';

export async function loadCommandLine(): Promise<CommandLine> {
  // build/bundle.ts keeps this import out of host.exe's main script (it is never reached there).
  if (!isSea()) return import('./cli/entry.ts');
  const filename = path.join(path.dirname(process.execPath), COMMAND_LINE_ASSET);
  const source = `(function (exports, require, module, __filename, __dirname) {${getAsset(COMMAND_LINE_ASSET, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as CommandLine };
  wrapper(module.exports, require, module, filename, path.dirname(filename));
  return module.exports;
}
