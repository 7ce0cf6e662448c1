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

/** Runs `program` (a Windows program name or a Linux path to an .exe) under Wine and waits for it. */
export async function runWine(env: NodeJS.ProcessEnv, program: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-out-'));
  const stdoutFile = path.join(dir, 'stdout');
  const stderrFile = path.join(dir, 'stderr');
  const out = fs.openSync(stdoutFile, 'w');
  const err = fs.openSync(stderrFile, 'w');
  try {
    const child = spawn('wine', [program, ...args], { env, stdio: ['ignore', out, err] });
    const code = await new Promise<number>((resolve, reject) => {
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
    return { code, stdout: read(stdoutFile), stderr: read(stderrFile) };
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function read(file: string): string {
  // Wine's console programs write CRLF line ends.
  return fs.readFileSync(file, 'utf8').replaceAll('\r\n', '\n');
}
