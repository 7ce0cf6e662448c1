/**
 * The native process runner: on Windows the tests start Windows programs directly, no Wine and no
 * runner.exe (Windows Node writes to pipes there, and the exit code is the program's own). It has
 * test/wine/run.ts's shape, so test/process.ts can hand out one or the other by platform.
 * @module
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { windowsNode } from '../../build/paths.ts';
import { windowsNodeArgs, windowsScript } from '../windows-node.ts';
import type { RunResult, WineProcess } from '../wine/run.ts';

/** STATUS_CONTROL_C_EXIT: how the default console handler ends a process (the helper, on Ctrl+Break). */
const STATUS_CONTROL_C_EXIT = 0xc000013a;

/**
 * Presses Ctrl+C (or Ctrl+Break) in the console of process `pid` through interrupt.ts, run by
 * Windows Node, which libuv starts hidden with a console of its own (windowsHide, no inherited handle).
 */
async function sendCtrlEvent(pid: number, event: 'c' | 'break'): Promise<void> {
  const sent = await runNative(
    process.env,
    windowsNode,
    [await windowsScript(path.join(import.meta.dirname, 'interrupt.ts')), String(pid), event],
    30_000,
  );
  const ended = sent.code === 0 || (event === 'break' && sent.code === STATUS_CONTROL_C_EXIT);
  if (!ended || sent.stdout !== 'sent\n')
    throw new Error(`Ctrl+${event === 'c' ? 'C' : 'Break'} to process ${pid} failed (exit ${sent.code}): ${sent.stderr.trim()}`);
}

/** A path as Windows programs see it: on Windows, the path itself, made absolute. */
export function nativePath(file: string): string {
  return path.resolve(file);
}

/** Starts `program` (a name found on PATH, or a path to an .exe) without a shell. */
export function startNative(env: NodeJS.ProcessEnv, program: string, args: readonly string[], timeoutMs = 60_000): WineProcess {
  const programArgs = windowsNodeArgs(program, args, nativePath);
  // Every standard handle a pipe or ignored, and windowsHide: libuv adds CREATE_NO_WINDOW, so the
  // program has a hidden console of its own, which interrupt() presses Ctrl+C in (nothing else is in it).
  const child = spawn(program, programArgs, { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = new Promise<RunResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${program} ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      // Console programs write CRLF line ends; the tests compare LF, as test/wine/run.ts gives them.
      resolve({ code: status ?? (signal ? 128 : 1), stdout: stdout.replaceAll('\r\n', '\n'), stderr: stderr.replaceAll('\r\n', '\n') });
    });
  });
  return {
    stdout: () => stdout.replaceAll('\r\n', '\n'),
    // Not child.kill('SIGINT'): on Windows, libuv's kill is TerminateProcess for SIGINT as for SIGTERM and SIGKILL.
    interrupt: (event = 'c') => {
      if (child.pid === undefined) return Promise.reject(new Error(`${program} did not start`));
      return sendCtrlEvent(child.pid, event);
    },
    kill: () => child.kill('SIGKILL'),
    result,
  };
}

/** Runs `program` and waits for it. */
export function runNative(env: NodeJS.ProcessEnv, program: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return startNative(env, program, args, timeoutMs).result;
}
