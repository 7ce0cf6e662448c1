/**
 * A private Wine prefix set to Windows 10, with a persistent wineserver so service processes
 * outlive the wine commands that start them. Used by the end-to-end bench and the demo.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { wineCommand } from './bed.ts';

/** The environment every Wine process of a run gets: its prefix, quiet, no installers. */
export function wineEnv(prefix: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // No Mono/Gecko install prompts, no desktop menu entries, and no Wayland driver (Wine 10 tries it
    // first and writes "XDG_RUNTIME_DIR is invalid" into every program's stderr).
    WINEDLLOVERRIDES: 'mscoree,mshtml=;winemenubuilder.exe=d;winewayland.drv=d',
  };
}

/** A prefix that exists until `dispose()` (or a `using` block) ends it. */
export interface WinePrefix extends Disposable {
  /** The prefix folder (WINEPREFIX). */
  readonly path: string;
  /** Stops the prefix's wineserver (and so every process in it) and deletes the prefix. */
  dispose(): void;
}

/**
 * The file that receives the Wine debug output of the prefix's services when created with
 * `traceServices`: services.exe and the service processes it starts inherit the environment and
 * the standard error of the prefix's first process.
 */
export function servicesTraceFile(prefix: string): string {
  return path.join(prefix, 'services-trace.log');
}

/**
 * Channels traced for services: RegisterEventSourceW/ReportEventW (advapi's stubs say which source,
 * type and id) and the entries' insert strings (eventlog). Wine's Event Log stores nothing, so
 * this is how the tests see what a service logged.
 */
const SERVICES_WINEDEBUG = '-all,+eventlog,fixme+advapi';

function run(program: 'wine' | 'wineserver', args: string[], env: NodeJS.ProcessEnv, stderr: number | 'ignore' = 'ignore'): void {
  const { command, args: commandArgs } = wineCommand(program, args);
  const result = spawnSync(command, commandArgs, { env, stdio: ['ignore', 'ignore', stderr] });
  if (result.error) throw new Error(`${program} could not start (is Wine installed? run .ci/setup.sh): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** Creates a fresh prefix in the temp folder; takes about 5 s. */
export function createPrefix(options: { traceServices?: boolean } = {}): WinePrefix {
  const prefixPath = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-wine-'));
  const env = wineEnv(prefixPath);
  const dispose = () => {
    const kill = wineCommand('wineserver', ['-k']);
    spawnSync(kill.command, kill.args, { env, stdio: 'ignore' });
    fs.rmSync(prefixPath, { recursive: true, force: true });
  };
  try {
    // The persistent server first, then the Windows 10 setting (Node refuses Wine's default, Windows 7).
    run('wineserver', ['-p'], env);
    if (options.traceServices) {
      const trace = fs.openSync(servicesTraceFile(prefixPath), 'w');
      try {
        run('wine', ['winecfg', '/v', 'win10'], { ...env, WINEDEBUG: SERVICES_WINEDEBUG }, trace);
      } finally {
        fs.closeSync(trace);
      }
    } else {
      run('wine', ['winecfg', '/v', 'win10'], env);
    }
  } catch (error) {
    dispose();
    throw error;
  }
  return { path: prefixPath, dispose, [Symbol.dispose]: dispose };
}
