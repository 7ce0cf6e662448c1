/**
 * `--log-timestamps`: puts an ISO time and a space before every line of a stream. It works on bytes
 * and splits at '\n' only, so binary output and any encoding pass through unchanged; it keeps whether
 * the last chunk ended mid-line, since a write need not end with a newline (process.stdout.write('a')).
 * @module
 */

const NEWLINE = 0x0a;

/** One stream's stamping state. */
export class LineStamper {
  #atLineStart = true;

  /** `chunk` with `stamp + ' '` before each line that starts in it. */
  stamp(chunk: Buffer, stamp: string): Buffer {
    if (chunk.length === 0) return chunk;
    const prefix = Buffer.from(`${stamp} `);
    const parts: Buffer[] = [];
    let start = 0;
    while (start < chunk.length) {
      if (this.#atLineStart) parts.push(prefix);
      const end = chunk.indexOf(NEWLINE, start);
      const stop = end === -1 ? chunk.length : end + 1;
      parts.push(chunk.subarray(start, stop));
      this.#atLineStart = end !== -1;
      start = stop;
    }
    return Buffer.concat(parts);
  }
}

/** Matches the stamp at the start of a captured line: what `logs --since` and the merge by time read. */
export const STAMP_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) /;
