/**
 * Runs Windows programs under Wine with their output captured through files: Windows Node cannot
 * write to a pipe under Wine. A program run to its end goes through runner.exe (runner.c), which
 * records its true Windows exit code: Wine's loader now and then crashes after a program has done
 * its work (exit status 127, "Inconsistency detected by ld.so"), and `wine sc` now and then fails
 * to launch sc.exe ("ShellExecuteEx failed"); neither is the program's failure.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { windowsNodeArgs } from '../windows-node.ts';
import { wineCommand } from './bed.ts';

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
  /**
   * Presses Ctrl+C (or Ctrl+Break) in its console, as a user stops `debug`, `watch` or a `--follow`;
   * settles once the event is sent. Under Wine a Linux SIGINT to the wine process reaches the program
   * as CTRL_C_EVENT; Wine has no Ctrl+Break for it (its CTRL_BREAK_EVENT is a SIGQUIT that aborts a
   * thread without calling the program's handlers), so `break` is refused here. On Windows:
   * test/native/run.ts.
   */
  interrupt(event?: 'c' | 'break'): Promise<void>;
  /** Ends it at once (SIGKILL; on Windows, TerminateProcess). */
  kill(): void;
  /** Settles when it has ended (rejects if it outlives the timeout, after killing it). */
  readonly result: Promise<RunResult>;
}

const runnerSource = path.join(import.meta.dirname, 'runner.c');
const runnerBinary = path.join(import.meta.dirname, '..', '..', '.cache', 'test', 'runner.exe');

/** runner.exe, built with mingw when missing or older than its source. */
export function runnerExe(): string {
  const built = fs.existsSync(runnerBinary) && fs.statSync(runnerBinary).mtimeMs >= fs.statSync(runnerSource).mtimeMs;
  if (!built) {
    fs.mkdirSync(path.dirname(runnerBinary), { recursive: true });
    const temporary = `${runnerBinary}.${process.pid}.tmp`;
    const result = spawnSync('x86_64-w64-mingw32-gcc', ['-O2', '-s', '-municode', '-o', temporary, runnerSource], { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`building runner.exe failed (run .ci/setup.sh for mingw): ${result.error?.message ?? result.stderr}`);
    fs.renameSync(temporary, runnerBinary);
  }
  return runnerBinary;
}

/** How a program is named on runner.exe's command line: Windows names as they are, a Linux path as Z:\…. */
function windowsProgram(program: string): string {
  return path.isAbsolute(program) ? windowsPath(program) : program;
}

/** Starts `program` (a Windows program name or a Linux path to an .exe) under Wine. */
export function startWine(env: NodeJS.ProcessEnv, program: string, args: readonly string[], timeoutMs = 60_000): WineProcess {
  return startProcess(env, program, args, timeoutMs, false);
}

function startProcess(
  env: NodeJS.ProcessEnv,
  program: string,
  args: readonly string[],
  timeoutMs: number,
  viaRunner: boolean,
): WineProcess {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-out-'));
  const stdoutFile = path.join(dir, 'stdout');
  const stderrFile = path.join(dir, 'stderr');
  const codeFile = path.join(dir, 'code');
  const out = fs.openSync(stdoutFile, 'w');
  const err = fs.openSync(stderrFile, 'w');
  const programArgs = windowsNodeArgs(program, args, windowsPath);
  const command = viaRunner ? [runnerExe(), windowsProgram(program), ...programArgs] : [program, ...programArgs];
  const childEnv = viaRunner ? { ...env, NODESERVICE_RUNNER_EXIT_FILE: windowsPath(codeFile) } : env;
  const wine = wineCommand('wine', command);
  const child = spawn(wine.command, wine.args, { env: childEnv, stdio: ['ignore', out, err] });
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
    .then((code) => (ended = { code: viaRunner ? recordedCode(codeFile, code) : code, stdout: read(stdoutFile), stderr: read(stderrFile) }))
    .finally(() => {
      fs.closeSync(out);
      fs.closeSync(err);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  return {
    stdout: () => ended?.stdout ?? read(stdoutFile),
    interrupt: async (event = 'c') => {
      if (event === 'break') throw new Error('Wine cannot deliver Ctrl+Break to a program (its CTRL_BREAK_EVENT aborts a thread)');
      if (!child.kill('SIGINT')) throw new Error(`wine ${program}: SIGINT not delivered (has it ended?)`);
    },
    kill: () => child.kill('SIGKILL'),
    result,
  };
}

/** Runs `program` under Wine and waits for it; `code` is its Windows exit code, whatever Wine's loader did after it. */
export function runWine(env: NodeJS.ProcessEnv, program: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return startProcess(env, program, args, timeoutMs, true).result;
}

/** The exit code runner.exe recorded, else (it did not get that far) what Wine returned. */
function recordedCode(codeFile: string, wineCode: number): number {
  try {
    const text = fs.readFileSync(codeFile, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : wineCode;
  } catch {
    return wineCode;
  }
}

function read(file: string): string {
  // Wine's console programs write CRLF line ends.
  return fs.readFileSync(file, 'utf8').replaceAll('\r\n', '\n');
}
