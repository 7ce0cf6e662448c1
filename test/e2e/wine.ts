/**
 * The end-to-end tests' view of the run's Wine prefix: host.exe, sc, net and reg in it.
 * @module
 */
import path from 'node:path';
import { inject } from 'vitest';
import { wineEnv } from '../wine/prefix.ts';
import { runWine, startWine, type RunResult, type WineProcess } from '../wine/run.ts';

export { windowsPath, type RunResult } from '../wine/run.ts';

/** dist/host.exe on the Linux side. */
export const hostExe = path.resolve(import.meta.dirname, '..', '..', 'dist', 'host.exe');

function inPrefix(program: string, args: readonly string[], timeoutMs?: number, wineDebug?: string): Promise<RunResult> {
  const env = wineEnv(inject('winePrefix'));
  if (wineDebug) env.WINEDEBUG = wineDebug;
  return runWine(env, program, args, timeoutMs);
}

/** How to run host.exe: another copy of it, a time limit, Wine debug channels (their trace goes to stderr). */
export interface HostOptions {
  exe?: string;
  timeoutMs?: number;
  wineDebug?: string;
}

/** Runs dist/host.exe (or `exe`, another copy of it) with `args`. */
export function host(args: readonly string[], options: HostOptions = {}): Promise<RunResult> {
  return inPrefix(options.exe ?? hostExe, args, options.timeoutMs, options.wineDebug);
}

/** Starts dist/host.exe with `args` without waiting for it to end. */
export function startHost(args: readonly string[]): WineProcess {
  return startWine(wineEnv(inject('winePrefix')), hostExe, args);
}

/** Any Windows program (a Linux path to an .exe, or a program Wine knows by name). */
export function runWindowsProgram(program: string, args: readonly string[]): Promise<RunResult> {
  return inPrefix(program, args);
}

/** Wine's sc.exe. */
export function sc(args: readonly string[]): Promise<RunResult> {
  return inPrefix('sc', args);
}

/** Wine's net.exe. */
export function net(args: readonly string[]): Promise<RunResult> {
  return inPrefix('net', args);
}

/** Wine's reg.exe. */
export function reg(args: readonly string[]): Promise<RunResult> {
  return inPrefix('reg', args);
}
