/**
 * The service thread's side of the output hand-over: what the service writes to process.stdout and
 * process.stderr travels to the main thread (which writes it to the log files, service-output.ts)
 * in as few messages as possible.
 *
 * A worker's stdout and stderr are Writables whose every `_writev` posts one message holding one
 * object per write (one per console.log line) and waits for the main thread to ask for more before
 * the next. Two changes make that hand-over cost per batch rather than per line, which is what
 * brought the capture near fs.createWriteStream's rate (`npm run bench`, issue 14):
 * - the writes gathered while a batch is on its way leave as one string (or one Buffer);
 * - the stream accepts up to HIGH_WATER_MARK bytes before `write()` says to wait for 'drain',
 *   rather than 16 KiB, so a service that waits for 'drain' waits once per large batch. That is
 *   also how much may wait in the thread while a batch is on its way (a stop waits for it, see
 *   flushOutput; a thread that is terminated loses it, as it lost up to 16 KiB before, and a
 *   service that ignores write()'s answer never had a limit).
 * The first uses the Writable contract (`_writev(chunks, callback)`), not Node's worker stdio
 * internals. The second sets the mark in the stream's state (`_writableState.highWaterMark`, where
 * Node has kept it for years, as libraries that tune streams rely on); should that move, only the
 * bigger batches between 'drain' events are lost, never output.
 * @module
 */
import type { Writable } from 'node:stream';

/** How much a service may write to stdout (or stderr) before write() returns false. */
export const HIGH_WATER_MARK = 256 * 1024;

interface Chunk {
  chunk: Buffer | string;
  encoding: BufferEncoding | 'buffer';
}

/** The chunks as one: one string when they are all utf8 strings, else one Buffer. */
export function joinChunks(chunks: readonly Chunk[]): Chunk {
  if (chunks.every((c) => typeof c.chunk === 'string' && (c.encoding === 'utf8' || c.encoding === 'utf-8'))) {
    return { chunk: chunks.map((c) => c.chunk as string).join(''), encoding: 'utf8' };
  }
  const buffers = chunks.map((c) => (typeof c.chunk === 'string' ? Buffer.from(c.chunk, c.encoding as BufferEncoding) : c.chunk));
  return { chunk: Buffer.concat(buffers), encoding: 'buffer' };
}

type WritevStream = Writable & { _writev?: (chunks: Chunk[], callback: (error?: Error | null) => void) => void };

/** Makes `stream` (a worker's stdout or stderr) hand over batches: see the top of this file. */
export function batchThreadOutput(stream: Writable): void {
  const writable = stream as WritevStream;
  const writev = writable._writev;
  if (typeof writev !== 'function') return;
  writable._writev = function writevJoined(chunks, callback) {
    writev.call(this, chunks.length > 1 ? [joinChunks(chunks)] : chunks, callback);
  };
  const state = (stream as unknown as { _writableState?: { highWaterMark?: number } })._writableState;
  if (state && typeof state.highWaterMark === 'number') state.highWaterMark = Math.max(state.highWaterMark, HIGH_WATER_MARK);
}
