/**
 * The assertions the end-to-end tests share: host.exe succeeds, host.exe fails with a message and no
 * stack, `status --json`, waiting for a service state, the Event Log entries of a source. They were
 * copied from file to file; they live here so that a test reads the same everywhere and a fix lands once.
 * wine.ts runs programs in the prefix and parses what they print; this module asserts on the results.
 * Where the copies differed, the difference is an option (an exit code, a time limit, Wine debug channels).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, vi } from 'vitest';
import { type HostOptions, host, type LoggedEvent, loggedEvents, prefixProcesses, type RunResult, sc, scQuery } from './wine.ts';

/** host.exe's exit code for a usage error (a failure is 1): see host/cli/cli.ts. */
export const USAGE_ERROR = 2;

/**
 * msiexec's exit codes (msdn: MsiExec.exe and InstMsi.exe Error Messages), for msi.test.ts and
 * service-msi.test.ts. Wine's msiexec answers ERROR_FUNCTION_FAILED where Windows says a custom
 * action failed (1603) or the package is not a valid one (1620); a failed launch condition is 1603
 * on both.
 */
export const MsiExit = {
  ERROR_INSTALL_FAILURE: 1603,
  ERROR_INSTALL_PACKAGE_INVALID: 1620,
  ERROR_FUNCTION_FAILED: 1627,
  ERROR_SUCCESS_REBOOT_REQUIRED: 3010,
} as const;

/** Expects `result` to have exited 0; `what` names the command in the failure message. */
export function expectSucceeded(result: RunResult, what: string): void {
  expect(result.code, `${what}: ${result.stdout}${result.stderr}`).toBe(0);
}

/** Expects `result` to have failed with exit code `code` and a message on stderr, never a stack trace. */
export function expectRefused(result: RunResult, code: number, message: string | RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

/** Runs host.exe and expects it to succeed; resolves to its whole result (stdout and stderr). */
export async function succeeds(args: readonly string[], options: HostOptions = {}): Promise<RunResult> {
  const result = await host(args, options);
  expectSucceeded(result, `host ${args.join(' ')}`);
  return result;
}

/** Runs host.exe and expects it to succeed; resolves to its stdout. */
export async function ok(args: readonly string[], options: HostOptions = {}): Promise<string> {
  return (await succeeds(args, options)).stdout;
}

/** Runs host.exe and expects it to fail with exit code `code` (1 unless told) and a message, no stack; resolves to stderr. */
export async function fails(args: readonly string[], message: string | RegExp, code = 1, options: HostOptions = {}): Promise<string> {
  const result = await host(args, options);
  expectRefused(result, code, message);
  return result.stderr;
}

/** `fails` for a usage error: exit code 2 unless told. */
export async function refuses(args: readonly string[], message: string | RegExp, code = USAGE_ERROR): Promise<string> {
  return fails(args, message, code);
}

/** `host status <name> --json`, parsed; each test file types the fields it reads. */
export async function statusJson<T>(name: string): Promise<T> {
  return JSON.parse(await ok(['status', name, '--json'])) as T;
}

/**
 * How long waitForState waits: a time limit (vi.waitFor, `sc query` every 150 ms), or a number of
 * `sc query` calls 100 ms apart and then one more that must show the state (no wall-clock limit, so a
 * slow `sc` on a busy machine does not cut the wait short).
 */
export type WaitLimit = { timeoutMs: number } | { polls: number };

/** Waits until `sc query` shows the service in `state` (RUNNING, STOPPED…); fails the test when it does not in time. */
export async function waitForState(name: string, state: string, limit: WaitLimit = { timeoutMs: 20_000 }): Promise<void> {
  if ('timeoutMs' in limit) {
    await vi.waitFor(async () => expect((await scQuery(name)).state).toBe(state), { timeout: limit.timeoutMs, interval: 150 });
    return;
  }
  for (let i = 0; i < limit.polls && (await scQuery(name)).state !== state; i++) await sleep(100);
  expect((await scQuery(name)).state).toBe(state);
}

/** Whether `sc query` knows the service (Wine's sc prints nothing and exits 1 when it does not). */
export async function scKnows(name: string): Promise<boolean> {
  const result = await sc(['query', name]);
  return result.code === 0 && result.stdout.includes(`SERVICE_NAME: ${name}`);
}

/** The Event Log entries written under `source`, oldest first. */
export function eventsOf(source: string): LoggedEvent[] {
  return loggedEvents().filter((event) => event.source === source);
}

/** The prefix's host.exe processes that are services (not a command such as install, stop or /register run by a test). */
export function hostServiceProcesses(): string[] {
  return prefixProcesses().filter(
    (line) =>
      /(^|[\\/"\s])host\.exe/i.test(line) && !/\s(install|remove|status|stop|start|debug|update|\/register|\/unregister)\b/.test(line),
  );
}
