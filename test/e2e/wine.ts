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

/** An Event Log entry a service wrote, as Wine's debug channels show ReportEventW's arguments. */
export interface LoggedEvent {
  source: string;
  type: number;
  id: number;
  strings: string[];
}

function unescapeWineString(text: string): string {
  return text.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|.)/gi, (_, code: string) => {
    if (code.length > 1) return String.fromCharCode(Number.parseInt(code.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[code] ?? code;
  });
}

/** The entries the prefix's services have written so far (see createPrefix's traceServices). */
export function loggedEvents(): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  const sources = new Map<string, string>();
  const current = new Map<string, LoggedEvent>();
  for (const line of fs.readFileSync(servicesTraceFile(inject('winePrefix')), 'utf8').split('\n')) {
    const match = /^([0-9a-f]+):\w+:(\w+):(\w+) (.*)$/.exec(line);
    if (!match) continue;
    const [, thread, channel, fn, rest] = match as unknown as [string, string, string, string, string];
    if (fn === 'RegisterEventSourceW') {
      sources.set(thread, /L"(.*)"\)/.exec(rest)?.[1] ?? '');
    } else if (fn === 'ReportEventW' && channel === 'advapi') {
      const [, type = '', , id = ''] = rest.slice(1).split(',');
      const event = { source: sources.get(thread) ?? '', type: Number(type), id: Number(id), strings: [] };
      events.push(event);
      current.set(thread, event);
    } else if (fn === 'ReportEventW' && channel === 'eventlog') {
      const text = /^L"(.*)"$/.exec(rest)?.[1];
      if (text !== undefined) current.get(thread)?.strings.push(unescapeWineString(text));
    }
  }
  return events;
}
