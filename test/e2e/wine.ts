/**
 * The end-to-end tests' view of the run's Wine prefix: host.exe, sc, net and reg in it.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { servicesTraceFile, wineEnv } from '../wine/prefix.ts';
import { runWine, startWine, type RunResult, type WineProcess } from '../wine/run.ts';

export { windowsPath, type RunResult } from '../wine/run.ts';

/** dist/host.exe on the Linux side. */
export const hostExe = path.resolve(import.meta.dirname, '..', '..', 'dist', 'host.exe');

/** A path inside the run's prefix, on its C: drive (prefixDir('NodeService') is C:\\NodeService). */
export function prefixDir(...parts: string[]): string {
  return path.join(inject('winePrefix'), 'drive_c', ...parts);
}

/** How to run host.exe: another copy of it, a time limit, Wine debug channels (their trace goes to stderr), more environment variables. */
export interface HostOptions {
  exe?: string;
  timeoutMs?: number;
  wineDebug?: string;
  env?: NodeJS.ProcessEnv;
}

function inPrefix(program: string, args: readonly string[], options: Omit<HostOptions, 'exe'> = {}): Promise<RunResult> {
  const env = { ...wineEnv(inject('winePrefix')), ...options.env };
  if (options.wineDebug) env.WINEDEBUG = options.wineDebug;
  return runWine(env, program, args, options.timeoutMs);
}

/** Runs dist/host.exe (or `exe`, another copy of it) with `args`. */
export function host(args: readonly string[], options: HostOptions = {}): Promise<RunResult> {
  return inPrefix(options.exe ?? hostExe, args, options);
}

/** Starts dist/host.exe with `args` without waiting for it to end (with Wine debug channels when asked: their trace goes to stderr). */
export function startHost(args: readonly string[], options: { wineDebug?: string } = {}): WineProcess {
  const env = wineEnv(inject('winePrefix'));
  if (options.wineDebug) env.WINEDEBUG = options.wineDebug;
  return startWine(env, hostExe, args);
}

/** Any Windows program (a Linux path to an .exe, or a program Wine knows by name), optionally with Wine debug channels. */
export function runWindowsProgram(program: string, args: readonly string[], options: Omit<HostOptions, 'exe'> = {}): Promise<RunResult> {
  return inPrefix(program, args, options);
}

/** Starts any Windows program without waiting for it to end. */
export function startWindowsProgram(program: string, args: readonly string[]): WineProcess {
  return startWine(wineEnv(inject('winePrefix')), program, args);
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

/** An Event Log entry a service wrote, as Wine's debug channels show ReportEventW's arguments. */
export interface LoggedEvent {
  source: string;
  type: number;
  id: number;
  strings: string[];
  /** The category (wCategory). */
  category: number;
  /** How many bytes of binary data came with it (dwDataSize). */
  dataSize: number;
  /** Whether a user SID came with it (lpUserSid not NULL). */
  hasSid: boolean;
}

/**
 * A string as Wine's debugstr_w prints it: a character outside printable ASCII as a backslash and
 * four hex digits (`\00fc` for ü, a surrogate pair as two), the usual C escapes, `\x`/`\u` forms.
 */
function unescapeWineString(text: string): string {
  return text.replace(/\\([0-9a-f]{4}|x[0-9a-f]{2}|u[0-9a-f]{4}|.)/gi, (_, code: string) => {
    if (/^[0-9a-f]{4}$/i.test(code)) return String.fromCharCode(Number.parseInt(code, 16));
    if (code.length > 1) return String.fromCharCode(Number.parseInt(code.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[code] ?? code;
  });
}

/** A pointer as Wine's debug output prints it: NULL is all zeros (or "(nil)"). */
function isNullPointer(text: string | undefined): boolean {
  return text === undefined || /^(?:0+|\(nil\))$/.test(text.trim());
}

/**
 * The Event Log entries in Wine debug output with `+eventlog,fixme+advapi` (Wine's Event Log
 * stores nothing, so this is how tests see what was written): advapi's ReportEventW stub prints
 * (handle, type, category, id, sid, numStrings, dataSize, strings, data), the eventlog channel each
 * insert string. The one parser of that trace: a trace format that changes (another Wine) is fixed here.
 */
export function parseLoggedEvents(trace: string): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  const sources = new Map<string, string>();
  const current = new Map<string, LoggedEvent>();
  for (const line of trace.split('\n')) {
    const match = /^([0-9a-f]+):\w+:(\w+):(\w+) (.*)$/.exec(line);
    if (!match) continue;
    const [, thread, channel, fn, rest] = match as unknown as [string, string, string, string, string];
    if (fn === 'RegisterEventSourceW') {
      sources.set(thread, /L"(.*)"\)/.exec(rest)?.[1] ?? '');
    } else if (fn === 'ReportEventW' && channel === 'advapi') {
      const [, type = '', category = '', id = '', sid, , dataSize = ''] = rest.slice(1).split(',');
      const event = {
        source: sources.get(thread) ?? '',
        type: Number(type),
        id: Number(id),
        strings: [],
        category: Number(category),
        dataSize: Number(dataSize),
        hasSid: !isNullPointer(sid),
      };
      events.push(event);
      current.set(thread, event);
    } else if (fn === 'ReportEventW' && channel === 'eventlog') {
      // Wine's debugstr_w cuts a string at about 290 characters and marks the cut with `"...`.
      const text = /^L"(.*)"(?:\.\.\.)?$/.exec(rest)?.[1];
      if (text !== undefined) current.get(thread)?.strings.push(unescapeWineString(text));
    }
  }
  return events;
}

/** The entries the prefix's services have written so far (see createPrefix's traceServices). */
export function loggedEvents(): LoggedEvent[] {
  return parseLoggedEvents(fs.readFileSync(servicesTraceFile(inject('winePrefix')), 'utf8'));
}

/** The command lines of the Wine processes running in the run's prefix (as Linux sees them). */
export function prefixProcesses(): string[] {
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
