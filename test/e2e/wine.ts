/**
 * The end-to-end tests' view of the machine: the run's Wine prefix on Linux, Windows itself on
 * Windows (test/process.ts picks the runner; test/platform.ts says which): host.exe, sc, net and
 * reg in it, its C: drive, the Event Log entries services wrote, its processes.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { underWine } from '../platform.ts';
import {
  machineEnv,
  runProgram,
  startProgram,
  windowsPath as windowsPathOf,
  type ProgramProcess as WineProcess,
  type RunResult,
} from '../process.ts';
import { type LoggedEvent, parseEventTrace } from '../wine/event-trace.ts';
import { servicesTraceFile } from '../wine/prefix.ts';

export { type LoggedEvent, parseEventTrace as parseLoggedEvents } from '../wine/event-trace.ts';
export { windowsPath, type RunResult } from '../process.ts';

/** dist/host.exe on the Linux side. */
export const hostExe = path.resolve(import.meta.dirname, '..', '..', 'dist', 'host.exe');

/** dist/host.exe as Windows programs see it (Z:\\… under Wine), escaped for a RegExp. */
export const hostExePattern = windowsPathOf(hostExe).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** A path on the machine's C: drive as this process reaches it (prefixDir('NodeService') is C:\\NodeService). */
export function prefixDir(...parts: string[]): string {
  return underWine ? path.join(inject('winePrefix'), 'drive_c', ...parts) : path.win32.join('C:\\', ...parts);
}

/** How to run host.exe: another copy of it, a time limit, Wine debug channels (their trace goes to stderr), more environment variables. */
export interface HostOptions {
  exe?: string;
  timeoutMs?: number;
  wineDebug?: string;
  env?: NodeJS.ProcessEnv;
}

function inPrefix(program: string, args: readonly string[], options: Omit<HostOptions, 'exe'> = {}): Promise<RunResult> {
  const env = { ...machineEnv(inject('winePrefix')), ...options.env };
  if (options.wineDebug && underWine) env.WINEDEBUG = options.wineDebug;
  return runProgram(env, program, args, options.timeoutMs);
}

/** Runs dist/host.exe (or `exe`, another copy of it) with `args`. */
export function host(args: readonly string[], options: HostOptions = {}): Promise<RunResult> {
  return inPrefix(options.exe ?? hostExe, args, options);
}

/** Starts dist/host.exe with `args` without waiting for it to end (with Wine debug channels when asked: their trace goes to stderr). */
export function startHost(args: readonly string[], options: { wineDebug?: string } = {}): WineProcess {
  const env = machineEnv(inject('winePrefix'));
  if (options.wineDebug) env.WINEDEBUG = options.wineDebug;
  return startProgram(env, hostExe, args);
}

/** Any Windows program (a Linux path to an .exe, or a program Wine knows by name), optionally with Wine debug channels. */
export function runWindowsProgram(program: string, args: readonly string[], options: Omit<HostOptions, 'exe'> = {}): Promise<RunResult> {
  return inPrefix(program, args, options);
}

/** Starts any Windows program without waiting for it to end. */
export function startWindowsProgram(program: string, args: readonly string[]): WineProcess {
  return startProgram(machineEnv(inject('winePrefix')), program, args);
}

/** sc.exe (Wine's, or Windows'). */
export function sc(args: readonly string[]): Promise<RunResult> {
  return inPrefix('sc', args);
}

/** net.exe (Wine's, or Windows'). */
export function net(args: readonly string[]): Promise<RunResult> {
  return inPrefix('net', args);
}

/** reg.exe (Wine's, or Windows'). */
export function reg(args: readonly string[]): Promise<RunResult> {
  return inPrefix('reg', args);
}

/** The fields of `sc query` a test looks at. */
export interface ScQuery {
  state: string;
  win32ExitCode: number;
  serviceExitCode: number;
  checkPoint: number;
}

/** `sc query <name>`, parsed; fails the test when sc fails. */
export async function scQuery(name: string): Promise<ScQuery> {
  let result = await sc(['query', name]);
  // Wine now and then fails to launch sc.exe on a busy machine ("ShellExecuteEx failed"): once more.
  if (result.stderr.includes('ShellExecuteEx failed')) result = await sc(['query', name]);
  if (result.code !== 0) throw new Error(`sc query ${name} failed (${result.code}): ${result.stdout}${result.stderr}`);
  const field = (label: string) => new RegExp(`${label}\\s*: (\\S+)(?:\\s+(\\S+))?`).exec(result.stdout);
  return {
    state: field('STATE')![2]!,
    win32ExitCode: Number(field('WIN32_EXIT_CODE')![1]),
    serviceExitCode: Number(field('SERVICE_EXIT_CODE')![1]),
    checkPoint: Number(field('CHECKPOINT')![1]),
  };
}

/** A registry value as `reg query` prints it, or undefined when there is none. */
export async function regValue(key: string, value: string): Promise<string | undefined> {
  const result = await reg(['query', key, '/v', value]);
  if (result.code !== 0) return undefined;
  return new RegExp(`${value}\\s+REG_\\w+\\s+(.*)$`, 'm').exec(result.stdout)?.[1]?.trim();
}

/**
 * The entries the machine's services have written so far: under Wine, from the trace of
 * ReportEventW (see createPrefix's traceServices: Wine's Event Log stores nothing); on Windows,
 * the Application log itself, read back by host.exe eventlog --json.
 */
export function loggedEvents(): LoggedEvent[] {
  return underWine ? tracedEvents() : storedEvents();
}

/** On Windows: the highest record number of `log` (0 when empty), to read only what comes after it. */
export function lastRecord(log: string): number {
  // A loop, not Math.max(...records): a runner's log can hold more records than a call takes arguments.
  return storedRecords(log).reduce((highest, record) => Math.max(highest, record.recordNumber), 0);
}

/**
 * On Windows: the entries of `log` (the Application log unless told) with a record number above
 * `after`, oldest first, read by host.exe, in the shape the Wine trace gives them.
 */
export function storedEvents(log = 'Application', after = 0): LoggedEvent[] {
  return storedRecords(log)
    .filter((record) => record.recordNumber > after)
    .map((record) => ({
      source: record.sourceName,
      type: record.eventType,
      id: record.eventId,
      count: record.stringInserts.length,
      // As the trace shows them (event-trace.ts): Wine 10 does not trace an empty insert.
      strings: record.stringInserts.filter((insert) => insert !== ''),
      category: record.eventCategory,
      dataSize: record.data === undefined ? 0 : Buffer.from(record.data, 'base64').length,
      hasSid: record.sid !== undefined,
    }));
}

/** A log's records as `host.exe eventlog --json` prints them (a synchronous run: Windows Node writes to pipes). */
function storedRecords(log: string) {
  // A time limit: a synchronous run that hung would hold the whole test file past vitest's own limits.
  const result = spawnSync(hostExe, ['eventlog', '--log', log, '--json'], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, timeout: 120_000 });
  if (result.status !== 0) throw new Error(`host.exe eventlog failed (${result.status ?? result.error?.message}): ${result.stderr}`);
  return result.stdout
    .split(/\r?\n/)
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as {
          recordNumber: number;
          sourceName: string;
          eventType: number;
          eventId: number;
          stringInserts: string[];
          eventCategory: number;
          data?: string;
          sid?: string;
        },
    );
}

function tracedEvents(): LoggedEvent[] {
  return parseEventTrace(fs.readFileSync(servicesTraceFile(inject('winePrefix')), 'utf8'));
}

/** The command lines of the processes running on the machine: the Wine prefix's (as Linux sees them), or Windows' own. */
export function prefixProcesses(): string[] {
  if (!underWine) {
    const result = spawnSync(
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-Command', 'Get-CimInstance Win32_Process | ForEach-Object { $_.CommandLine }'],
      { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, timeout: 60_000 },
    );
    // A failed listing is an error, never an empty list: "no process left" must not pass for it.
    if (result.status !== 0) throw new Error(`listing processes failed (${result.status ?? result.error?.message}): ${result.stderr}`);
    return result.stdout
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
  }
  const marker = `WINEPREFIX=${inject('winePrefix')}`;
  const lines: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker)) continue;
      lines.push(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
    } catch {
      // The process ended while we looked.
    }
  }
  return lines;
}
