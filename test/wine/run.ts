/**
 * Runs Windows programs under Wine with their output captured through files: Windows Node cannot
 * write to a pipe under Wine.
 * @module
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a finished Windows process left behind. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A Linux path as Windows programs see it (Wine maps / to Z:). */
export function windowsPath(linuxPath: string): string {
  return `Z:${path.resolve(linuxPath).replaceAll('/', '\\')}`;
}

/** A Windows process started under Wine, still running or finished. */
export interface WineProcess {
  /** What it has written to stdout so far. */
  stdout(): string;
  /** Sends a signal; SIGINT reaches a console program as Ctrl+C. */
  kill(signal: NodeJS.Signals): void;
  /** Settles when it has ended (rejects if it outlives the timeout, after killing it). */
  readonly result: Promise<RunResult>;
}

/** Starts `program` (a Windows program name or a Linux path to an .exe) under Wine. */
export function startWine(env: NodeJS.ProcessEnv, program: string, args: readonly string[], timeoutMs = 60_000): WineProcess {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-out-'));
  const stdoutFile = path.join(dir, 'stdout');
  const stderrFile = path.join(dir, 'stderr');
  const out = fs.openSync(stdoutFile, 'w');
  const err = fs.openSync(stderrFile, 'w');
  const child = spawn('wine', [program, ...args], { env, stdio: ['ignore', out, err] });
  const exited = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wine ${program} ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      resolve(status ?? (signal ? 128 : 1));
    });
  });
  let ended: RunResult | undefined;
  const result = exited
    .then((code) => (ended = { code, stdout: read(stdoutFile), stderr: read(stderrFile) }))
    .finally(() => {
      fs.closeSync(out);
      fs.closeSync(err);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  return { stdout: () => ended?.stdout ?? read(stdoutFile), kill: (signal) => child.kill(signal), result };
}

/** Runs `program` under Wine and waits for it. */
export function runWine(env: NodeJS.ProcessEnv, program: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return startWine(env, program, args, timeoutMs).result;
}

function read(file: string): string {
  // Wine's console programs write CRLF line ends.
  return fs.readFileSync(file, 'utf8').replaceAll('\r\n', '\n');
}
