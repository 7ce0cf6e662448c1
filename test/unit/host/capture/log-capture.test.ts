/**
 * The output capture's pure logic and its file handling on the local file system: sizes and
 * counts as the options take them, rotation decisions, line stamping, the rotating file (nothing
 * lost, N kept, a folder that cannot be written), reading tails back, merging by time and following.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatSize,
  parseKeep,
  parseSize,
  resolveLogSettings,
  safeFileName,
  type LogSettings,
} from '../../../../host/layout/log-settings.ts';
import { mergeLogOptions } from '../../../../installer/install.ts';
import { logFolderSddl } from '../../../../host/layout/log-folder.ts';
import { sidToString } from '../../../../runtime/eventlog/record.ts';
import { FileFollower } from '../../../../host/capture/follow.ts';
import { LineStamper } from '../../../../host/capture/line-stamper.ts';
import { LogFile } from '../../../../host/capture/log-file.ts';
import { filesBeyondKeep, rotatedFiles, rotatedName, rotationDue } from '../../../../host/capture/rotation.ts';
import { ServiceOutput } from '../../../../host/capture/service-output.ts';
import { mergeByTime, MAX_LINE_BYTES, parseSince, splitLines, tailFile, tailStream } from '../../../../host/capture/tail.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-logs-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function settings(dir: string, overrides: Partial<LogSettings> = {}): LogSettings {
  return { ...resolveLogSettings('Svc', {}, dir), ...overrides };
}

describe('log options', () => {
  it('parses sizes with binary units and refuses nonsense, too small and too large', () => {
    expect(parseSize('10M')).toBe(10 * 1024 * 1024);
    expect(parseSize('512k')).toBe(512 * 1024);
    expect(parseSize('1.5K')).toBe(1536);
    expect(parseSize('1GiB')).toBe(1024 ** 3);
    expect(parseSize('65536')).toBe(65536);
    for (const bad of ['', 'M', '10X', '-1M', '1e6', '100', '4G', '10 MB extra']) expect(() => parseSize(bad), bad).toThrow(/size|between/);
  });

  it('formats sizes back as written', () => {
    expect(formatSize(10 * 1024 * 1024)).toBe('10M');
    expect(formatSize(1536)).toBe('1.5K');
    expect(formatSize(700)).toBe('700');
  });

  it('takes 0..1000 old files to keep', () => {
    expect(parseKeep('0')).toBe(0);
    expect(parseKeep('5')).toBe(5);
    for (const bad of ['-1', '1.5', 'five', '1001', '']) expect(() => parseKeep(bad), bad).toThrow(/whole number/);
  });

  it('has defaults of 10 MiB, daily, 5 kept, no stamps, and a safe base name', () => {
    expect(resolveLogSettings('A:b', {}, 'C:\\logs\\A')).toEqual({
      enabled: true,
      dir: 'C:\\logs\\A',
      base: 'A_b',
      maxSize: 10 * 1024 * 1024,
      roll: 'daily',
      keep: 5,
      timestamps: false,
    });
    expect(resolveLogSettings('A', { none: true, dir: 'D:\\x', keep: 0 }, 'C:\\logs\\A')).toMatchObject({
      enabled: false,
      dir: 'D:\\x',
      keep: 0,
    });
    expect(safeFileName('..')).toBe('_');
    expect(safeFileName('a/b\\c\u0001')).toBe('a_b_c_');
  });

  it('merges an update over what is stored: given fields replace, "" and false go back to defaults', () => {
    expect(mergeLogOptions({ maxSize: 2048, dir: 'D:\\l', timestamps: true }, { keep: 0, dir: '', timestamps: false })).toEqual({
      maxSize: 2048,
      keep: 0,
    });
    expect(mergeLogOptions({ none: true }, { none: false })).toEqual({});
  });

  it('grants a non-LocalSystem account modify rights on the folder, and converts binary SIDs', () => {
    expect(logFolderSddl()).toBe('O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)');
    expect(logFolderSddl('S-1-5-19')).toBe('O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;S-1-5-19)');
    const sid = Buffer.from([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0]);
    expect(sidToString(sid)).toBe('S-1-5-32-544');
  });
});

describe('rotation decisions', () => {
  const day1 = new Date(2026, 11, 2, 23, 59, 59);
  const day2 = new Date(2026, 11, 3, 0, 0, 1);

  it('rotates before a chunk that would pass the size, never an empty file (a huge line goes whole)', () => {
    expect(rotationDue({ size: 900, openedAt: day1 }, 100, day1, 1000, 'never')).toBeUndefined();
    expect(rotationDue({ size: 901, openedAt: day1 }, 100, day1, 1000, 'never')).toBe('size');
    expect(rotationDue({ size: 0, openedAt: day1 }, 5000, day1, 1000, 'never')).toBeUndefined();
  });

  it('rotates at a new local day when daily, not when never, and not an empty file', () => {
    expect(rotationDue({ size: 10, openedAt: day1 }, 1, day2, 1000, 'daily')).toBe('day');
    expect(rotationDue({ size: 10, openedAt: day1 }, 1, day2, 1000, 'never')).toBeUndefined();
    expect(rotationDue({ size: 0, openedAt: day1 }, 1, day2, 1000, 'daily')).toBeUndefined();
  });

  it('names old files by time, avoids taken names, sorts them and keeps the newest N', () => {
    const now = new Date(2026, 11, 2, 1, 2, 3, 4);
    expect(rotatedName('Svc', 'out', now, [])).toBe('Svc.out.20261202T010203004.log');
    expect(rotatedName('Svc', 'out', now, ['Svc.out.20261202T010203004.log', 'svc.OUT.20261202T010203004-1.log'])).toBe(
      'Svc.out.20261202T010203004-2.log',
    );
    // The plain name and -1 were deleted by "keep": the next is still above -2, never the freed plain name.
    expect(rotatedName('Svc', 'out', now, ['Svc.out.20261202T010203004-2.log', 'Svc.err.20261202T010203004-7.log'])).toBe(
      'Svc.out.20261202T010203004-3.log',
    );
    const names = [
      'Svc.out.20261202T010203004-10.log',
      'Svc.out.20261202T010203004-9.log',
      'Svc.out.20261101T000000000.log',
      'Svc.err.20261202T000000000.log',
      'Svc.out.log',
      'Other.out.20260101T000000000.log',
      'Svc.out.2026.log',
    ];
    expect(rotatedFiles(names, 'Svc', 'out')).toEqual([
      'Svc.out.20261101T000000000.log',
      'Svc.out.20261202T010203004-9.log',
      'Svc.out.20261202T010203004-10.log',
    ]);
    expect(filesBeyondKeep(names, 'Svc', 'out', 1)).toEqual(['Svc.out.20261101T000000000.log', 'Svc.out.20261202T010203004-9.log']);
    expect(filesBeyondKeep(names, 'Svc', 'out', 0)).toHaveLength(3);
    expect(rotatedFiles(['S.v.out.20261101T000000000.log'], 'S', 'out')).toEqual([]);
  });
});

describe('LineStamper', () => {
  it('stamps each line start, across chunks, and passes bytes through untouched', () => {
    const stamper = new LineStamper();
    expect(stamper.stamp(Buffer.from('a\nb'), 'T1').toString()).toBe('T1 a\nT1 b');
    expect(stamper.stamp(Buffer.from('c\n\n'), 'T2').toString()).toBe('c\nT2 \n');
    const binary = Buffer.from([0xff, 0x00, 0xfe, 0x0a, 0x80]);
    expect(stamper.stamp(binary, 'T3')).toEqual(
      Buffer.concat([Buffer.from('T3 '), Buffer.from([0xff, 0x00, 0xfe, 0x0a]), Buffer.from('T3 '), Buffer.from([0x80])]),
    );
  });
});

describe('LogFile', () => {
  it('appends across instances (restarts), rotates by size keeping N, and loses nothing', () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const config = settings(dir, { maxSize: 1024, keep: 2 });
    let clock = Date.UTC(2026, 0, 1);
    const now = () => {
      clock += 1;
      return new Date(clock);
    };
    const first = new LogFile(config, 'out', (_f, reason) => warnings.push(reason), now);
    first.write(Buffer.from('before restart\n'));
    first.close();
    const file = new LogFile(config, 'out', (_f, reason) => warnings.push(reason), now);
    const written: string[] = [];
    for (let i = 0; i < 200; i++) {
      const line = `line ${i} ${'x'.repeat(40)}\n`;
      written.push(line);
      file.write(Buffer.from(line));
    }
    file.close();
    expect(warnings).toEqual([]);
    const names = fs.readdirSync(dir).sort();
    expect(names.filter((name) => /^Svc\.out\.\d{8}T\d{9}(-\d+)?\.log$/.test(name))).toHaveLength(2);
    for (const name of names) expect(fs.statSync(path.join(dir, name)).size).toBeLessThanOrEqual(1024);
    const kept = rotatedFiles(names, 'Svc', 'out')
      .concat('Svc.out.log')
      .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
      .join('');
    // What is kept is exactly the newest part of what was written, in order.
    expect(`before restart\n${written.join('')}`.endsWith(kept)).toBe(true);
    expect(kept.length).toBeGreaterThan(2048);
  });

  it('keeps the newest N in order when one batch rotates many times in one millisecond', () => {
    const dir = tempDir();
    const file = new LogFile(
      settings(dir, { maxSize: 1024, keep: 3 }),
      'out',
      () => {},
      () => new Date(2026, 0, 1),
    );
    const lines = Array.from({ length: 2000 }, (_, i) => `numbered ${i}\n`);
    file.write(Buffer.from(lines.join('')));
    file.close();
    const kept = rotatedFiles(fs.readdirSync(dir), 'Svc', 'out').concat('Svc.out.log');
    expect(kept).toHaveLength(4);
    const text = kept.map((name) => fs.readFileSync(path.join(dir, name), 'utf8')).join('');
    expect(lines.join('').endsWith(text)).toBe(true);
  });

  it('cuts one large batch of lines at line ends so no file passes the limit', () => {
    const dir = tempDir();
    const file = new LogFile(settings(dir, { maxSize: 1024, keep: 100 }), 'out', () => {});
    const text = Array.from({ length: 500 }, (_, i) => `batched line ${i}\n`).join('');
    file.write(Buffer.from(text));
    file.close();
    const names = fs.readdirSync(dir);
    const files = rotatedFiles(names, 'Svc', 'out')
      .concat('Svc.out.log')
      .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
    expect(files.length).toBeGreaterThan(5);
    for (const content of files) {
      expect(content.length).toBeLessThanOrEqual(1024);
      expect(content.endsWith('\n')).toBe(true);
    }
    expect(files.join('')).toBe(text);
  });

  it('writes a line larger than the size limit whole, into a file of its own', () => {
    const dir = tempDir();
    const file = new LogFile(settings(dir, { maxSize: 1024 }), 'err', () => {});
    file.write(Buffer.from('small\n'));
    const huge = Buffer.alloc(10_000, 'h');
    file.write(huge);
    file.close();
    expect(fs.readFileSync(path.join(dir, 'Svc.err.log'))).toEqual(huge);
  });

  it('warns once when the folder cannot be written, drops meanwhile, and says how much was lost when it works again', () => {
    // A file where the folder should be: creating the folder fails for root too (permission bits
    // stop no root) and on Windows (where chmod sets no ACL), so the test is real everywhere.
    const dir = tempDir();
    const logs = path.join(dir, 'logs');
    fs.writeFileSync(logs, 'in the way');
    const warnings: string[] = [];
    let clock = 0;
    const file = new LogFile(
      settings(logs),
      'out',
      (_f, reason) => warnings.push(reason),
      () => new Date(clock),
    );
    file.write(Buffer.from('lost 1\n'));
    file.write(Buffer.from('lost 2\n'));
    expect(warnings).toHaveLength(1);
    fs.rmSync(logs);
    file.write(Buffer.from('dropped: not yet retried\n'));
    clock += 10_000;
    file.write(Buffer.from('back\n'));
    file.close();
    expect(fs.readFileSync(path.join(logs, 'Svc.out.log'), 'utf8')).toBe(
      '\n[NodeService: 39 bytes of output were lost while this file could not be written]\nback\n',
    );
  });

  it('rotates on request only when the file has something, and daily at a new day', () => {
    const dir = tempDir();
    let clock = new Date(2026, 0, 1, 23, 0).getTime();
    const file = new LogFile(
      settings(dir),
      'out',
      () => {},
      () => new Date(clock),
    );
    expect(file.rotate()).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['Svc.out.log']);
    file.write(Buffer.from('a\n'));
    file.rotate('day');
    expect(fs.readdirSync(dir)).toHaveLength(1);
    clock += 2 * 3_600_000;
    file.rotate('day');
    expect(fs.readdirSync(dir).sort()).toEqual(['Svc.out.20260102T010000000.log', 'Svc.out.log']);
    file.close();
  });
});

describe('ServiceOutput', () => {
  it('keeps the streams apart, stamps lines, and puts the crash text on lines of its own in the err file', () => {
    const dir = tempDir();
    const output = new ServiceOutput(
      settings(dir, { timestamps: true }),
      () => {},
      () => new Date(Date.UTC(2026, 0, 1)),
    );
    output.write('out', 'to stdout\n');
    output.write('err', 'no newline');
    output.failure('Error: boom\n    at x');
    output.close();
    expect(fs.readFileSync(path.join(dir, 'Svc.out.log'), 'utf8')).toBe('2026-01-01T00:00:00.000Z to stdout\n');
    expect(fs.readFileSync(path.join(dir, 'Svc.err.log'), 'utf8')).toBe(
      '2026-01-01T00:00:00.000Z no newline\n2026-01-01T00:00:00.000Z Error: boom\n2026-01-01T00:00:00.000Z     at x\n',
    );
  });
});

describe('ServiceOutput batching', () => {
  it('gathers the writes of one turn and writes them at the next, or at close', async () => {
    const dir = tempDir();
    const output = new ServiceOutput(settings(dir), () => {});
    output.write('out', 'a\n');
    output.write('out', 'b\n');
    expect(fs.existsSync(path.join(dir, 'Svc.out.log'))).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fs.readFileSync(path.join(dir, 'Svc.out.log'), 'utf8')).toBe('a\nb\n');
    output.write('out', 'c\n');
    output.close();
    expect(fs.readFileSync(path.join(dir, 'Svc.out.log'), 'utf8')).toBe('a\nb\nc\n');
  });
});

describe('ServiceOutput with real worker threads in one process (a shared group)', () => {
  it("keeps each worker's stdout and stderr in its own files while they write at once", async () => {
    const dir = tempDir();
    const code = (label: string) => `
      for (let i = 0; i < 2000; i++) { console.log('${label} out ' + i); if (i % 10 === 0) console.error('${label} err ' + i); }
      process.stdout.write('${label} no newline');`;
    const outputs = ['A', 'B'].map((label) => new ServiceOutput({ ...settings(path.join(dir, label)), base: label }, () => {}));
    const workers = ['A', 'B'].map((label) => new Worker(code(label), { eval: true, stdout: true, stderr: true }));
    for (const [i, worker] of workers.entries()) outputs[i]!.attach(worker.stdout, worker.stderr);
    await Promise.all(workers.map((worker) => once(worker, 'exit')));
    for (const output of outputs) output.close();
    for (const label of ['A', 'B']) {
      const out = fs.readFileSync(path.join(dir, label, `${label}.out.log`), 'utf8');
      const err = fs.readFileSync(path.join(dir, label, `${label}.err.log`), 'utf8');
      expect(out).toBe(`${Array.from({ length: 2000 }, (_, i) => `${label} out ${i}\n`).join('')}${label} no newline`);
      expect(err).toBe(Array.from({ length: 200 }, (_, i) => `${label} err ${i * 10}\n`).join(''));
    }
  });
});

describe('ServiceOutput without stamps', () => {
  it('ends a half-written line before the crash text', () => {
    const dir = tempDir();
    const output = new ServiceOutput(settings(dir), () => {});
    output.write('err', 'half');
    output.failure('Error: boom\n');
    output.close();
    expect(fs.readFileSync(path.join(dir, 'Svc.err.log'), 'utf8')).toBe('half\nError: boom\n');
  });
});

describe('reading logs back', () => {
  it('splits lines: CRLF, no newline at the end, binary, unicode, and cuts an endless line to its end', () => {
    expect(splitLines(Buffer.from('a\r\nb\n\nc'))).toEqual(['a', 'b', '', 'c']);
    expect(splitLines(Buffer.from('héllo ✓ 😀\n'))).toEqual(['héllo ✓ 😀']);
    expect(splitLines(Buffer.from([0xff, 0xfe, 0x0a]))).toEqual(['\ufffd\ufffd']);
    const long = splitLines(Buffer.concat([Buffer.alloc(MAX_LINE_BYTES + 10, 'a'), Buffer.from('END')]));
    expect(long[0]).toHaveLength(MAX_LINE_BYTES);
    expect(long[0]!.endsWith('END')).toBe(true);
  });

  it('tails the last N lines of a large file, with or without a final newline', () => {
    const dir = tempDir();
    const file = path.join(dir, 'f.log');
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    expect(tailFile(file, 3)).toEqual(['line 19997', 'line 19998', 'line 19999']);
    fs.writeFileSync(file, lines.join('\n'));
    expect(tailFile(file, 2)).toEqual(['line 19998', 'line 19999']);
    expect(tailFile(file, 0)).toEqual([]);
    expect(tailFile(file, 2, Buffer.byteLength('line 0\nline 1\nline 2\n'))).toEqual(['line 1', 'line 2']);
    expect(tailFile(path.join(dir, 'none.log'), 5)).toEqual([]);
  });

  it('tails a stream across its rotated files, and leaves out stamped lines before --since', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Svc.out.20260101T000000000.log'), '2026-01-01T00:00:00.000Z old 1\n2026-01-01T00:00:01.000Z old 2\n');
    fs.writeFileSync(path.join(dir, 'Svc.out.20260102T000000000.log'), '2026-01-02T00:00:00.000Z mid\n');
    fs.writeFileSync(path.join(dir, 'Svc.out.log'), '2026-01-03T00:00:00.000Z new\n');
    const lines = tailStream(settings(dir), 'out', 3);
    expect(lines.map((line) => line.text)).toEqual(['old 2', 'mid', 'new']);
    expect(lines[2]!.time).toEqual(new Date('2026-01-03T00:00:00.000Z'));
    expect(tailStream(settings(dir), 'out', 10, new Date('2026-01-01T12:00:00Z')).map((line) => line.text)).toEqual(['mid', 'new']);
  });

  it('merges streams by time; untimed lines keep their place', () => {
    const t = (s: number) => new Date(s * 1000);
    const out = [
      { stream: 'out' as const, text: 'o1', time: t(1) },
      { stream: 'out' as const, text: 'o3', time: t(3) },
      { stream: 'out' as const, text: 'o3b' },
    ];
    const err = [
      { stream: 'err' as const, text: 'e2', time: t(2) },
      { stream: 'err' as const, text: 'e4', time: t(4) },
    ];
    expect(mergeByTime(out, err).map((line) => line.text)).toEqual(['o1', 'e2', 'o3', 'o3b', 'e4']);
  });

  it('parses --since as an ISO time or an age, and refuses anything else', () => {
    const now = new Date('2026-12-02T10:00:00Z');
    expect(parseSince('10m', now)).toEqual(new Date('2026-12-02T09:50:00Z'));
    expect(parseSince('1d', now)).toEqual(new Date('2026-12-01T10:00:00Z'));
    expect(parseSince('2026-12-02T01:30:00Z', now)).toEqual(new Date('2026-12-02T01:30:00Z'));
    for (const bad of ['yesterday', '10', '5w', '2026-13-45', '']) expect(() => parseSince(bad, now), bad).toThrow(/ISO time/);
  });

  it('follows a file across a rotation without losing or repeating a line', () => {
    const dir = tempDir();
    const file = path.join(dir, 'Svc.out.log');
    fs.writeFileSync(file, 'already there\n');
    const seen: string[] = [];
    const follower = new FileFollower(file, (line) => seen.push(line));
    fs.appendFileSync(file, 'one\ntw');
    follower.poll();
    fs.appendFileSync(file, 'o\nlast of old\n');
    fs.renameSync(file, path.join(dir, 'Svc.out.20260101T000000000.log'));
    fs.writeFileSync(file, 'first of new\n');
    follower.poll();
    fs.appendFileSync(file, 'tail without newline');
    follower.poll();
    follower.close();
    expect(seen).toEqual(['one', 'two', 'last of old', 'first of new', 'tail without newline']);
  });
});
