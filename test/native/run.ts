/**
 * The native process runner: on Windows the tests start Windows programs directly, no Wine and no
 * runner.exe (Windows Node writes to pipes there, and the exit code is the program's own). It has
 * test/wine/run.ts's shape, so test/process.ts can hand out one or the other by platform.
 * @module
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { windowsNodeArgs } from '../windows-node.ts';
import type { RunResult, WineProcess } from '../wine/run.ts';

/** A path as Windows programs see it: on Windows, the path itself, made absolute. */
export function nativePath(file: string): string {
  return path.resolve(file);
}

/** Starts `program` (a name found on PATH, or a path to an .exe) without a shell. */
export function startNative(env: NodeJS.ProcessEnv, program: string, args: readonly string[], timeoutMs = 60_000): WineProcess {
  const programArgs = windowsNodeArgs(program, args, nativePath);
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
  return { stdout: () => stdout.replaceAll('\r\n', '\n'), kill: (signal) => child.kill(signal), result };
}

/** Runs `program` and waits for it. */
export function runNative(env: NodeJS.ProcessEnv, program: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return startNative(env, program, args, timeoutMs).result;
}
