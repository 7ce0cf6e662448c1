/**
 * Where one service's stdout and stderr go under the SCM (issue 14): its worker thread is created
 * with `stdout: true, stderr: true` (supervisor.ts), so what the service writes (console.log,
 * process.stdout.write, a library's warnings) arrives on the main thread as two streams, and this
 * writes each to its own file. One ServiceOutput per service, also in a shared group, so the
 * services' output never mixes. The text of a fatal crash (the uncaught error's stack, or where
 * `process.exit()` was called), which the supervisor gets from the thread's 'error' event or message
 * rather than from stderr, is added to the err file by `failure()`.
 *
 * Rotation on request (`host.exe logs <service> --rotate`) arrives as a file, ROTATE_REQUEST_FILE,
 * in the log folder: a user-defined control code would take one of the codes 128–255 that belong
 * to the service's svcOtherControl, and the folder is writable by administrators (and the service's
 * account) only, so nobody else can ask. The same once-a-second check starts a new file at
 * midnight for a service that writes nothing.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { LogSettings } from '../layout/log-settings.ts';
import { LineStamper } from './line-stamper.ts';
import { LogFile, type LogStream } from './log-file.ts';

/** The file `logs --rotate` creates in the log folder; the host deletes it once it rotated. */
export const ROTATE_REQUEST_FILE = 'rotate.request';
/** Pending output written at once, without waiting for the next turn of the event loop. */
export const FLUSH_BYTES = 256 * 1024;
/** How often the host looks for a request and for a new day. */
export const ROTATE_CHECK_MS = 1000;

/** One service's captured output. */
export class ServiceOutput {
  readonly settings: LogSettings;
  readonly #files: Record<LogStream, LogFile>;
  readonly #stampers: Record<LogStream, LineStamper> = { out: new LineStamper(), err: new LineStamper() };
  /** Whether each stream's last write ended mid-line. */
  readonly #midLine: Record<LogStream, boolean> = { out: false, err: false };
  readonly #timer: NodeJS.Timeout;
  readonly #now: () => Date;
  #closed = false;
  /** What arrived since the last write to the files, per stream (see write()). */
  readonly #pending: Record<LogStream, Buffer[]> = { out: [], err: [] };
  #pendingBytes = 0;
  #flushScheduled = false;

  constructor(settings: LogSettings, warn: (file: string, reason: string) => void, now: () => Date = () => new Date()) {
    this.settings = settings;
    this.#now = now;
    this.#files = { out: new LogFile(settings, 'out', warn, now), err: new LogFile(settings, 'err', warn, now) };
    this.#timer = setInterval(() => this.#check(), ROTATE_CHECK_MS);
    this.#timer.unref();
  }

  /** Writes what arrives on the thread's `stdout` and `stderr` to their files. */
  attach(stdout: Readable, stderr: Readable): void {
    stdout.on('data', (chunk: Buffer) => this.write('out', chunk));
    stderr.on('data', (chunk: Buffer) => this.write('err', chunk));
  }

  /**
   * Appends `chunk` to `stream`'s file, stamped when `--log-timestamps` is on. What arrives in one
   * turn of the event loop is written together, at the next setImmediate or once FLUSH_BYTES have
   * gathered: a worker's stdout delivers each write() of the service as a chunk of its own, and one
   * system call per console.log made the capture a third as fast as fs.createWriteStream under
   * Wine (`npm run bench`). Whatever is pending is written by flush(), rotate() and close().
   */
  write(stream: LogStream, chunk: Buffer | string): void {
    if (this.#closed) return;
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.length === 0) return;
    if (this.settings.timestamps) bytes = this.#stampers[stream].stamp(bytes, this.#now().toISOString());
    this.#midLine[stream] = bytes.at(-1) !== 0x0a;
    this.#pending[stream].push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= FLUSH_BYTES) this.flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes what is pending to the files now. */
  flush(): void {
    this.#flushScheduled = false;
    this.#pendingBytes = 0;
    for (const stream of ['out', 'err'] as const) {
      const chunks = this.#pending[stream];
      if (chunks.length === 0) continue;
      this.#pending[stream] = [];
      this.#files[stream].write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    }
  }

  /** The text of a fatal crash, on lines of its own at the end of the err file. */
  failure(text: string): void {
    const lead = this.#midLine.err ? '\n' : '';
    this.write('err', `${lead}${text.replace(/\n?$/, '\n')}`);
  }

  /** Starts new files for both streams now; false when one could not be rotated. */
  rotate(): boolean {
    this.flush();
    const out = this.#files.out.rotate();
    const err = this.#files.err.rotate();
    return out && err;
  }

  /** Stops the checks and closes both files (every write is already in them). */
  close(): void {
    this.flush();
    this.#closed = true;
    clearInterval(this.#timer);
    this.#files.out.close();
    this.#files.err.close();
  }

  #check(): void {
    this.flush();
    this.#files.out.rotate('day');
    this.#files.err.rotate('day');
    const request = path.join(this.settings.dir, ROTATE_REQUEST_FILE);
    if (!fs.existsSync(request)) return;
    this.rotate();
    try {
      fs.unlinkSync(request);
    } catch {
      // Deleted by the asker already (it gave up waiting): nothing to answer.
    }
  }
}
