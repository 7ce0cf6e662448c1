/**
 * `logs --follow`: prints what a stream's current file gains, polling (Windows has no inotify, and
 * fs.watch under Wine reports nothing for another process's writes), across rotations: the host
 * renames the file it writes and opens a new one, and the open handle here still reads the renamed
 * file (Node opens with FILE_SHARE_DELETE, so holding it does not stop the rename), so its last
 * bytes are read before the new file is taken up from its start. Nothing is lost or repeated.
 * @module
 */
import fs from 'node:fs';
import { splitLines } from './tail.ts';

/** Follows one file from `start` (a byte offset; default: its end). */
export class FileFollower {
  readonly #file: string;
  readonly #onLine: (line: string) => void;
  #fd = -1;
  #position = 0;
  #partial = Buffer.alloc(0);

  constructor(file: string, onLine: (line: string) => void, start?: number) {
    this.#file = file;
    this.#onLine = onLine;
    this.#open(start);
  }

  /** Reads what was added since the last poll, and moves to a new file after a rotation. */
  poll(): void {
    if (this.#fd === -1) {
      this.#open(0);
      if (this.#fd === -1) return;
    }
    this.#drain();
    if (this.#replaced()) {
      this.#drain();
      fs.closeSync(this.#fd);
      this.#fd = -1;
      this.#open(0);
      if (this.#fd !== -1) this.#drain();
    }
  }

  /** Prints a last line that has no newline yet, and closes the file. */
  close(): void {
    if (this.#partial.length > 0) this.#onLine(splitLines(this.#partial)[0] ?? '');
    this.#partial = Buffer.alloc(0);
    if (this.#fd !== -1) fs.closeSync(this.#fd);
    this.#fd = -1;
  }

  #open(start: number | undefined): void {
    try {
      this.#fd = fs.openSync(this.#file, 'r');
      this.#position = start ?? fs.fstatSync(this.#fd).size;
    } catch {
      this.#fd = -1;
    }
  }

  /** The name now names another file (or none): the one held was rotated away. */
  #replaced(): boolean {
    let current: fs.Stats;
    try {
      current = fs.statSync(this.#file);
    } catch {
      return false; // renamed, the new one not made yet: keep reading the old until it appears
    }
    const held = fs.fstatSync(this.#fd);
    // Not the birth time: Wine fills a file's creation time from its ctime, which every write
    // changes, so a write between the two stats made the same file look replaced (and re-read).
    return current.ino !== held.ino || current.size < this.#position;
  }

  #drain(): void {
    const block = Buffer.alloc(64 * 1024);
    for (;;) {
      const read = fs.readSync(this.#fd, block, 0, block.length, this.#position);
      if (read === 0) return;
      this.#position += read;
      const bytes = Buffer.concat([this.#partial, block.subarray(0, read)]);
      const last = bytes.lastIndexOf(0x0a);
      this.#partial = Buffer.from(bytes.subarray(last + 1));
      if (last >= 0) for (const line of splitLines(bytes.subarray(0, last + 1))) this.#onLine(line);
    }
  }
}
