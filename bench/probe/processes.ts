/**
 * The memory of programs the probe starts itself: each one's output goes to a file, and once
 * every file together shows `ready` the expected number of times, the working sets of the
 * processes are read and summed, and the processes are ended.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processMemory } from './measure.ts';

/** A program to start. */
export interface Command {
  file: string;
  args: string[];
}

/** How long the programs may take to show they are ready. */
const READY_TIMEOUT_MS = 120_000;

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Starts `commands`, waits for `count` lines containing `ready` in their output, and sums their working sets. */
export async function processesMemory(commands: Command[], ready: string, count: number): Promise<{ pids: number[]; workingSet: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-out-'));
  const children: ChildProcess[] = [];
  const outputs: string[] = [];
  try {
    for (const [index, command] of commands.entries()) {
      const output = path.join(dir, `${index}.txt`);
      const fd = fs.openSync(output, 'w');
      children.push(spawn(command.file, command.args, { stdio: ['ignore', fd, fd] }));
      fs.closeSync(fd);
      outputs.push(output);
    }
    const deadline = performance.now() + READY_TIMEOUT_MS;
    while (outputs.reduce((sum, file) => sum + occurrences(fs.readFileSync(file, 'utf8'), ready), 0) < count) {
      if (performance.now() > deadline)
        throw new Error(`the programs did not print '${ready}' ${count} times within ${READY_TIMEOUT_MS} ms`);
      await sleep(50);
    }
    const pids = children.map((child) => child.pid!);
    return { pids, workingSet: pids.reduce((sum, pid) => sum + processMemory(pid).workingSetSize, 0) };
  } finally {
    for (const child of children) child.kill();
    await Promise.all(
      children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)),
    );
    // A killed process's output file can stay open a moment under Wine: ENOTEMPTY, retried.
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
}
