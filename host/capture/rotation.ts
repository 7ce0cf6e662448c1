/**
 * When a log file rotates and which old files go: pure decisions, so they are unit-tested with
 * made-up sizes and clocks, apart from the file handling (log-file.ts) that carries them out.
 *
 * Old files are named `<base>.<stream>.<yyyyMMddTHHmmssSSS>.log` (local time: what the admin reads
 * beside the clock): they sort by name in the order they were written, so "keep N" deletes the
 * names after the N greatest, and `logs` reads them back in order.
 * @module
 */
import type { LogRoll } from '../layout/log-settings.ts';

/** Why a file rotates. */
export type RotationReason = 'size' | 'day' | 'request';

/** What a rotation decision needs of the current file. */
export interface OpenFileState {
  /** Bytes in it now. */
  size: number;
  /** When it was opened (or created): its day is the one it belongs to. */
  openedAt: Date;
}

/** Whether writing `incoming` bytes now must go to a new file first; undefined: write on. */
export function rotationDue(file: OpenFileState, incoming: number, now: Date, maxSize: number, roll: LogRoll): RotationReason | undefined {
  // An empty file takes any chunk, even one larger than maxSize: a huge line is never split or lost.
  if (file.size > 0 && file.size + incoming > maxSize) return 'size';
  if (roll === 'daily' && file.size > 0 && localDay(file.openedAt) !== localDay(now)) return 'day';
  return undefined;
}

function localDay(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

function two(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The stamp in an old file's name: local time to the millisecond, sortable. */
export function rotationStamp(date: Date): string {
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}T${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}${two(date.getMilliseconds(), 3)}`;
}

/**
 * The name an old file of `<base>.<stream>.log` takes, given the names in the folder: several
 * rotations in one millisecond (a burst against a small size) get `-1`, `-2`… after the stamp,
 * always above the highest one there, so a name freed by "keep N" is never reused for a newer file
 * (it would sort as the oldest and be deleted next).
 */
export function rotatedName(base: string, stream: string, now: Date, existing: readonly string[]): string {
  const stamp = rotationStamp(now);
  const plain = `${base}.${stream}.${stamp}`.toLowerCase();
  let highest = -1;
  for (const name of existing) {
    const lower = name.toLowerCase();
    if (lower === `${plain}.log`) highest = Math.max(highest, 0);
    const match = lower.startsWith(`${plain}-`) ? /^-(\d+)\.log$/.exec(lower.slice(plain.length)) : null;
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest === -1 ? `${base}.${stream}.${stamp}.log` : `${base}.${stream}.${stamp}-${highest + 1}.log`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The old files of `<base>.<stream>` among `names`, oldest first. */
export function rotatedFiles(names: readonly string[], base: string, stream: string): string[] {
  const pattern = new RegExp(`^${escapeRegExp(base)}\\.${stream}\\.\\d{8}T\\d{9}(-\\d+)?\\.log$`, 'i');
  return names.filter((name) => pattern.test(name)).sort(compareRotated);
}

/** By stamp, then by the collision counter as a number (`-10` after `-9`). */
function compareRotated(a: string, b: string): number {
  const key = (name: string) => {
    const match = /\.(\d{8}T\d{9})(?:-(\d+))?\.log$/i.exec(name)!;
    return [match[1]!, Number(match[2] ?? 0)] as const;
  };
  const [stampA, nA] = key(a);
  const [stampB, nB] = key(b);
  return stampA < stampB ? -1 : stampA > stampB ? 1 : nA - nB;
}

/** The old files to delete so that `keep` remain. */
export function filesBeyondKeep(names: readonly string[], base: string, stream: string, keep: number): string[] {
  const old = rotatedFiles(names, base, stream);
  return old.slice(0, Math.max(0, old.length - keep));
}
