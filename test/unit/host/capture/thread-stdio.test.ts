import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { batchThreadOutput, HIGH_WATER_MARK, joinChunks } from '../../../../host/capture/thread-stdio.ts';

describe('joinChunks', () => {
  it('joins utf8 strings into one string, unicode intact', () => {
    const joined = joinChunks([
      { chunk: 'a\n', encoding: 'utf8' },
      { chunk: 'é😀\n', encoding: 'utf8' },
    ]);
    expect(joined).toEqual({ chunk: 'a\né😀\n', encoding: 'utf8' });
  });

  it('joins Buffers and strings of other encodings into one Buffer, bytes in order', () => {
    const joined = joinChunks([
      { chunk: Buffer.from([0xff, 0x00]), encoding: 'buffer' },
      { chunk: 'caf\u00e9', encoding: 'latin1' },
      { chunk: 'ok', encoding: 'utf8' },
    ]);
    expect(joined.encoding).toBe('buffer');
    expect([...(joined.chunk as Buffer)]).toEqual([0xff, 0x00, 0x63, 0x61, 0x66, 0xe9, 0x6f, 0x6b]);
  });
});

describe('batchThreadOutput', () => {
  /** A stream like a worker's stdout: each _writev is one message, answered later. */
  function fakeStdio() {
    const batches: Array<Array<{ chunk: unknown; encoding: string }>> = [];
    const pending: Array<() => void> = [];
    const stream = new Writable({
      decodeStrings: false,
      writev(chunks, callback) {
        batches.push(chunks.map(({ chunk, encoding }) => ({ chunk, encoding })));
        pending.push(() => callback());
      },
    });
    return {
      stream,
      batches,
      answer: () => {
        for (const done of pending.splice(0)) done();
      },
    };
  }

  it('hands over what gathered during a batch as one chunk, in order, and raises the mark', () => {
    const { stream, batches, answer } = fakeStdio();
    batchThreadOutput(stream);
    expect(stream.writableHighWaterMark).toBe(HIGH_WATER_MARK);
    stream.write('first\n');
    for (let i = 0; i < 1000; i++) stream.write(`line ${i}\n`);
    expect(batches).toHaveLength(1);
    answer();
    expect(batches).toHaveLength(2);
    expect(batches[1]).toHaveLength(1);
    expect(batches[1]![0]!.chunk).toBe(Array.from({ length: 1000 }, (_, i) => `line ${i}\n`).join(''));
  });

  it('write() asks to wait only once the mark is passed', () => {
    const { stream } = fakeStdio();
    batchThreadOutput(stream);
    const line = `${'x'.repeat(1023)}\n`;
    let accepted = 0;
    while (stream.write(line)) accepted++;
    expect((accepted + 1) * line.length).toBeGreaterThanOrEqual(HIGH_WATER_MARK);
  });
});
