/**
 * Reading captured output back for `host.exe logs`: the last N lines of a stream across its
 * current file and its rotated ones, read from the end in blocks so a large file costs only what
 * is shown. Lines are split at '\n' only (a '\r' before it is dropped) and decoded as UTF-8: binary
 * output shows as replacement characters, never as an error. A last line without a newline is a
 * line. One line longer than MAX_LINE_BYTES is cut to its end, so a service that wrote 1 GiB
 * without a newline cannot make `logs` read it all.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LogSettings } from '../layout/log-settings.ts';
import { STAMP_PATTERN } from './line-stamper.ts';
import { rotatedFiles } from './rotation.ts';

/** The most of one line `logs` shows (its end). */
export const MAX_LINE_BYTES = 1024 * 1024;
const BLOCK = 64 * 1024;

/** One line of output as `logs` prints it. */
export interface OutputLine {
  stream: 'out' | 'err' | 'event';
  text: string;
  /** From its `--log-timestamps` stamp (or an Event Log entry's time). */
  time?: Date;
}

/** Splits bytes into lines (no trailing empty line), each cut to MAX_LINE_BYTES from its end. */
export function splitLines(bytes: Buffer): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end === -1 ? bytes.length : end;
    let line = bytes.subarray(Math.max(start, stop - MAX_LINE_BYTES), stop);
    if (line.at(-1) === 0x0d) line = line.subarray(0, -1);
    lines.push(line.toString('utf8'));
    start = stop + 1;
  }
  return lines;
}

/** The last `count` lines of `file` before byte `end` (default: its end); fewer when it has fewer; [] when it does not exist. */
export function tailFile(file: string, count: number, end = Infinity): string[] {
  if (count <= 0) return [];
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = Math.min(fs.fstatSync(fd).size, end);
    let position = size;
    let newlines = 0;
    const blocks: Buffer[] = [];
    // One more newline than lines wanted: the first line read may be cut at the block edge.
    // The file's last byte being '\n' ends the last line rather than starting a new one.
    let read = 0;
    while (position > 0 && newlines <= count && read < (count + 1) * MAX_LINE_BYTES) {
      const length = Math.min(BLOCK, position);
      position -= length;
      const block = Buffer.alloc(length);
      fs.readSync(fd, block, 0, length, position);
      blocks.unshift(block);
      read += length;
      for (const byte of block) if (byte === 0x0a) newlines++;
      if (position + length === size && block.at(-1) === 0x0a) newlines--;
    }
    const lines = splitLines(Buffer.concat(blocks));
    return lines.slice(Math.max(0, lines.length - count));
  } finally {
    fs.closeSync(fd);
  }
}

/** A captured line as an OutputLine: its stamp, when it has one, becomes its time. */
export function toOutputLine(stream: 'out' | 'err', text: string): OutputLine {
  const match = STAMP_PATTERN.exec(text);
  return match ? { stream, text: text.slice(match[0].length), time: new Date(match[1]!) } : { stream, text };
}

/** A stream's files, oldest first: the rotated ones, then the current one. */
export function streamFiles(settings: Pick<LogSettings, 'dir' | 'base'>, stream: 'out' | 'err'): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(settings.dir);
  } catch {
    return [];
  }
  const current = `${settings.base}.${stream}.log`;
  const files = rotatedFiles(names, settings.base, stream);
  if (names.some((name) => name.toLowerCase() === current.toLowerCase())) files.push(current);
  return files.map((name) => path.join(settings.dir, name));
}

/**
 * The last `count` lines of `stream`, across rotations, newest last; lines older than `since` left
 * out; the current file read only up to byte `currentEnd` (where `--follow` takes over, so no line
 * written meanwhile is skipped or shown twice).
 */
export function tailStream(
  settings: Pick<LogSettings, 'dir' | 'base'>,
  stream: 'out' | 'err',
  count: number,
  since?: Date,
  currentEnd = Infinity,
): OutputLine[] {
  const current = path.join(settings.dir, `${settings.base}.${stream}.log`).toLowerCase();
  const result: OutputLine[] = [];
  for (const file of streamFiles(settings, stream).reverse()) {
    if (result.length >= count) break;
    // A file last written before `since` holds nothing newer, stamped or not.
    if (since && fs.statSync(file).mtime < since) break;
    const end = file.toLowerCase() === current ? currentEnd : Infinity;
    const lines = tailFile(file, count - result.length, end).map((line) => toOutputLine(stream, line));
    result.unshift(...lines.filter((line) => !since || !line.time || line.time >= since));
  }
  return result;
}

/**
 * Merges lists that are each in order into one by time; a line without a time keeps its place
 * after the line before it in its own list (output without `--log-timestamps` has no times).
 */
export function mergeByTime(...lists: OutputLine[][]): OutputLine[] {
  const keyed = lists.map((list) => {
    let last = -Infinity;
    return list.map((line) => {
      last = line.time?.getTime() ?? last;
      return { line, key: last };
    });
  });
  const merged: OutputLine[] = [];
  const heads = keyed.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < keyed.length; i++) {
      const head = keyed[i]![heads[i]!];
      if (head && (best === -1 || head.key < keyed[best]![heads[best]!]!.key)) best = i;
    }
    if (best === -1) return merged;
    merged.push(keyed[best]![heads[best]!++]!.line);
  }
}

const UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO date or time (`2026-12-02`, `2026-12-02T01:30:00Z`) or an age (`90s`, `10m`, `2h`, `1d`); throws an Error saying what is wrong. */
export function parseSince(text: string, now: Date = new Date()): Date {
  const age = /^(\d+)([smhd])$/.exec(text);
  if (age) return new Date(now.getTime() - Number(age[1]) * UNITS_MS[age[2]!]!);
  const time = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(time)) throw new Error(`takes an ISO time such as 2026-12-02T01:30:00Z or an age such as 10m, 2h, 1d (not '${text}')`);
  return new Date(time);
}
