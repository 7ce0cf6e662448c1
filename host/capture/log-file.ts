/**
 * One stream's log file, rotated by size, by day and on request, written synchronously on the main
 * thread. Synchronously on purpose: the service's code runs in its own thread, so a write here
 * never blocks its event loop, and a write that has returned is in the file, so nothing is lost
 * when the host ends at once (terminateCurrentProcess, service-main.ts) right after the service stopped, nor when a
 * crash follows a burst. A write that fails (a full disk, a folder that vanished or forbids
 * writing) is reported once through `warn` and the chunk is dropped; the next write after
 * RETRY_AFTER_MS tries again, so the service never stops for its logs.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LogSettings } from '../layout/log-settings.ts';
import { filesBeyondKeep, rotatedName, rotationDue, type RotationReason } from './rotation.ts';

/** After a failed write, how long the file is left alone before it is tried again. */
export const RETRY_AFTER_MS = 5000;

export type LogStream = 'out' | 'err';

/** A rotating, append-only log file. */
export class LogFile {
  readonly file: string;
  readonly #settings: LogSettings;
  readonly #stream: LogStream;
  readonly #warn: (file: string, reason: string) => void;
  readonly #now: () => Date;
  #fd = -1;
  #size = 0;
  #openedAt = new Date(0);
  #failedAt = -Infinity;
  #failing = false;
  /** Bytes dropped since the last successful write (said in the file once it works again). */
  #dropped = 0;

  constructor(settings: LogSettings, stream: LogStream, warn: (file: string, reason: string) => void, now: () => Date = () => new Date()) {
    this.#settings = settings;
    this.#stream = stream;
    this.file = path.join(settings.dir, `${settings.base}.${stream}.log`);
    this.#warn = warn;
    this.#now = now;
  }

  /**
   * Appends `chunk`, rotating where it is due: a chunk that would pass the size limit is cut after
   * its last whole line that fits, so a file passes the limit only by one line longer than the limit.
   */
  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const now = this.#now();
    if (!this.#ready(now)) {
      this.#dropped += chunk.length;
      return;
    }
    let rest = chunk;
    try {
      if (rotationDue({ size: this.#size, openedAt: this.#openedAt }, 0, now, Infinity, this.#settings.roll)) this.#rotate(now);
      if (this.#dropped > 0) {
        const note = Buffer.from(`\n[NodeService: ${this.#dropped} bytes of output were lost while this file could not be written]\n`);
        this.#dropped = 0;
        this.#writeAll(note);
      }
      while (rest.length > 0) {
        const part = rest.subarray(0, this.#fitting(rest));
        if (part.length === 0) {
          this.#rotate(now);
          continue;
        }
        this.#writeAll(part);
        rest = rest.subarray(part.length);
      }
    } catch (error) {
      this.#dropped += rest.length;
      this.#fail(now, error);
    }
  }

  /** How much of `chunk` goes into the current file: all that fits up to a line's end; 0: rotate first. */
  #fitting(chunk: Buffer): number {
    const room = this.#settings.maxSize - this.#size;
    if (chunk.length <= room) return chunk.length;
    const cut = room > 0 ? chunk.lastIndexOf(0x0a, room - 1) + 1 : 0;
    if (cut > 0 || this.#size > 0) return cut;
    // An empty file and a first line longer than the limit: that line goes whole, never split.
    const newline = chunk.indexOf(0x0a);
    return newline === -1 ? chunk.length : newline + 1;
  }

  /** Starts a new file now (`logs --rotate`, or the daily check on an idle file); false when it could not. */
  rotate(reason: RotationReason = 'request'): boolean {
    const now = this.#now();
    if (reason === 'day' && !rotationDue({ size: this.#size, openedAt: this.#openedAt }, 0, now, Infinity, this.#settings.roll))
      return true;
    if (!this.#ready(now)) return false;
    try {
      if (this.#size > 0) this.#rotate(now);
      return true;
    } catch (error) {
      this.#fail(now, error);
      return false;
    }
  }

  /** Closes the file; everything written is in it already. */
  close(): void {
    if (this.#fd === -1) return;
    try {
      fs.closeSync(this.#fd);
    } catch {
      // Closing cannot lose data here: every write was synchronous.
    }
    this.#fd = -1;
  }

  /** Opens the file when needed; false while failing and not yet due for a retry. */
  #ready(now: Date): boolean {
    if (this.#fd !== -1) return true;
    if (this.#failing && now.getTime() - this.#failedAt < RETRY_AFTER_MS) return false;
    try {
      this.#open(now);
      if (this.#failing) this.#failing = false;
      return true;
    } catch (error) {
      this.#fail(now, error);
      return false;
    }
  }

  #open(now: Date): void {
    fs.mkdirSync(this.#settings.dir, { recursive: true });
    const fd = fs.openSync(this.file, 'a');
    const stat = fs.fstatSync(fd);
    this.#fd = fd;
    this.#size = stat.size;
    // A file carried over from an earlier run belongs to the day it was last written.
    this.#openedAt = stat.size > 0 ? stat.mtime : now;
  }

  #writeAll(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) offset += fs.writeSync(this.#fd, chunk, offset, chunk.length - offset);
    this.#size += chunk.length;
  }

  /** Closes, renames the file to its old name, deletes what is beyond keep, opens a new one. */
  #rotate(now: Date): void {
    this.close();
    const dir = this.#settings.dir;
    const old = rotatedName(this.#settings.base, this.#stream, now, fs.readdirSync(dir));
    fs.renameSync(this.file, path.join(dir, old));
    const all = fs.readdirSync(dir);
    for (const name of filesBeyondKeep(all, this.#settings.base, this.#stream, this.#settings.keep)) {
      try {
        fs.unlinkSync(path.join(dir, name));
      } catch {
        // Someone reads it right now (`logs --follow` keeps it open): it goes at the next rotation.
      }
    }
    this.#open(now);
  }

  #fail(now: Date, error: unknown): void {
    this.close();
    this.#failedAt = now.getTime();
    if (this.#failing) return;
    this.#failing = true;
    this.#warn(this.file, error instanceof Error ? error.message : String(error));
  }
}
