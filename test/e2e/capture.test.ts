/**
 * Output capture end to end under Wine's SCM: each service's stdout and stderr in files of its
 * own (own process and share-process services; Wine 8 runs each of the latter in a process of its
 * own too), the crash text in the err file, appending across restarts, rotation by size keeping N,
 * rotation on request while the service writes, `logs` (tail, streams, JSON, follow until Ctrl+C),
 * bad options, and a log folder that cannot be written (the service keeps running, the Event
 * Log says why).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileService } from '../../build/services.ts';
import { SERVICE_OUTPUT_NOT_WRITTEN } from '../../runtime/eventlog/host-messages.ts';
import { rotatedFiles } from '../../host/capture/rotation.ts';
import { serviceSid } from '../../host/layout/service-sid.ts';
import { host, loggedEvents, prefixDir, regValue, scQuery, startHost } from './wine.ts';
import { ok, waitForState } from './helpers.ts';
import { expectSecurity, fileSecurity } from './security-descriptors.ts';
import { underWine } from '../platform.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\Capture\\services';
const installed: string[] = [];

function logsDir(name: string): string {
  return prefixDir('ProgramData', 'NodeService', 'logs', name);
}

function read(name: string, stream: 'out' | 'err'): string {
  const file = path.join(logsDir(name), `${name}.${stream}.log`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** The old files of a stream, oldest first (several rotations in one millisecond get -1, -2… after the stamp). */
function rotated(name: string, stream: 'out' | 'err'): string[] {
  return rotatedFiles(fs.readdirSync(logsDir(name)), name, stream);
}

async function install(name: string, ...options: string[]): Promise<void> {
  await ok(['install', `${SERVICES_DIR}\\output-service.js`, '--name', name, ...options]);
  installed.push(name);
}

/** `seq N` numbers in `text`, in order. */
function sequence(text: string): number[] {
  return [...text.matchAll(/^seq (\d+)$/gm)].map((match) => Number(match[1]));
}

function isContiguous(numbers: number[]): boolean {
  return numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1);
}

/** Where `numbers` skip or repeat, for the failure message. */
function gaps(numbers: number[]): string {
  return numbers.flatMap((n, i) => (i > 0 && n !== numbers[i - 1]! + 1 ? [`${numbers[i - 1]}→${n} at ${i}`] : [])).join(', ');
}

describe('output capture', () => {
  beforeAll(async () => {
    const dir = prefixDir('Capture', 'services');
    fs.mkdirSync(dir, { recursive: true });
    await compileService(path.join(fixtures, 'output-service.ts'), path.join(dir, 'output-service.js'));
    expect((await host(['/register', '--services-dir', SERVICES_DIR, '--force'])).code).toBe(0);
  });

  afterAll(async () => {
    for (const name of installed.splice(0)) await host(['remove', name]);
    await host(['/unregister']);
  });

  it('own process: stdout and stderr in their own files, unicode intact, the last line on stop flushed, appended across restarts', async () => {
    const name = 'CapOwn';
    await install(name, '--arg', 'hello', '--env', 'MARK=one');
    await ok(['start', name]);
    await vi.waitFor(() => expect(read(name, 'err')).toContain('a warning'), { timeout: 10_000, interval: 100 });
    await ok(['stop', name]);
    const out = read(name, 'out');
    expect(out).toBe('hello from stdout one\nünïcødé ✓ 😀\nno newline yetstopping hello\n');
    expect(read(name, 'err')).toBe('hello from stderr\na warning, as a library would print it\n');
    await ok(['update', name, '--env', 'MARK=two']);
    await ok(['start', name]);
    await ok(['stop', name]);
    expect(read(name, 'out')).toBe(`${out}hello from stdout two\nünïcødé ✓ 😀\nno newline yetstopping hello\n`);
    expect(await ok(['status', name])).toContain(
      `Output: C:\\ProgramData\\NodeService\\logs\\${name}\\${name}.out.log and C:\\ProgramData\\NodeService\\logs\\${name}\\${name}.err.log (rotated at 10M and daily, 5 kept)`,
    );
  });

  it('a crash: what it wrote, then the uncaught error and its stack in the err file', async () => {
    const name = 'CapCrash';
    await install(name, '--arg', 'crash', '--arg', '3000');
    await ok(['start', name]);
    await waitForState(name, 'STOPPED');
    expect(read(name, 'out')).toBe('about to crash\n');
    const err = read(name, 'err');
    const words = [...err.matchAll(/^last words (\d+)$/gm)].map((match) => Number(match[1]));
    expect(words).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(err).toMatch(/^last words 2999\n\[NodeService\] The service failed: Error: thrown from a timer\n\s+at .*output-service\.js/m);
  });

  it('share-process services: each to its own files, never mixed', async () => {
    await install('CapShareA', '--shared-group', 'cap', '--arg', 'hello', '--env', 'MARK=A');
    await install('CapShareB', '--shared-group', 'cap', '--arg', 'hello', '--env', 'MARK=B', '--log-timestamps');
    await ok(['start', 'CapShareA']);
    await ok(['start', 'CapShareB']);
    await vi.waitFor(() => expect(read('CapShareB', 'err')).toContain('a warning'), { timeout: 10_000, interval: 100 });
    await ok(['stop', 'CapShareA']);
    await ok(['stop', 'CapShareB']);
    expect(read('CapShareA', 'out')).toBe('hello from stdout A\nünïcødé ✓ 😀\nno newline yetstopping hello\n');
    const b = read('CapShareB', 'out');
    expect(b).not.toContain('stdout A');
    expect(b).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z hello from stdout B\n\d{4}-\d\d-\d\dT[\d:.]+Z ünïcødé ✓ 😀\n/);
  });

  it('rotates by size and keeps N old files, nothing lost from those kept, under a burst', async () => {
    const name = 'CapSize';
    await install(name, '--arg', 'burst', '--arg', '2000', '--log-max-size', '16K', '--log-keep', '3', '--log-roll', 'never');
    await ok(['start', name]);
    await vi.waitFor(() => expect(read(name, 'out')).toContain('burst 001999'), { timeout: 20_000, interval: 200 });
    await ok(['stop', name]);
    const old = rotated(name, 'out');
    expect(old).toHaveLength(3);
    const text = [...old.map((file) => fs.readFileSync(path.join(logsDir(name), file), 'utf8')), read(name, 'out')].join('');
    for (const file of old) expect(fs.statSync(path.join(logsDir(name), file)).size).toBeLessThanOrEqual(16 * 1024);
    // burst 0…1999 while running, final 0…1999 as it stops: 0…3999 in a row, the oldest rotated away.
    const numbers = [...text.matchAll(/^(burst|final) (\d+) [xy]+$/gm)].map(
      (match) => Number(match[2]) + (match[1] === 'final' ? 2000 : 0),
    );
    expect(isContiguous(numbers), gaps(numbers)).toBe(true);
    expect(text).toMatch(/final 001999 y+\nstopping burst\n$/);
  });

  it('rotates on request while the service writes, losing no line; logs tails, filters and follows until Ctrl+C', async () => {
    const name = 'CapStream';
    await install(name, '--arg', 'stream');
    await ok(['start', name]);
    await vi.waitFor(() => expect(sequence(read(name, 'out')).length).toBeGreaterThan(20), { timeout: 10_000, interval: 100 });
    expect(await ok(['logs', name, '--rotate'])).toContain(`Rotated the logs of ${name}`);
    expect(rotated(name, 'out')).toHaveLength(1);

    const tail = await ok(['logs', name, '--lines', '3', '--stdout']);
    expect(tail.trimEnd().split('\n')).toHaveLength(3);
    expect(isContiguous(sequence(tail)), tail).toBe(true);
    const json = (await ok(['logs', name, '--lines', '2', '--json']))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(json).toHaveLength(2);
    expect(json[0]).toMatchObject({ stream: 'out', text: expect.stringMatching(/^seq \d+$/) });

    const follow = startHost(['logs', name, '--follow', '--lines', '1', '--stdout']);
    await vi.waitFor(() => expect(sequence(follow.stdout()).length).toBeGreaterThan(10), { timeout: 20_000, interval: 100 });
    // A rotation while following: the lines go on without a gap.
    await ok(['logs', name, '--rotate']);
    const before = sequence(follow.stdout()).length;
    await vi.waitFor(() => expect(sequence(follow.stdout()).length).toBeGreaterThan(before + 10), { timeout: 20_000, interval: 100 });
    await follow.interrupt();
    const followed = await follow.result;
    expect(followed.code, followed.stderr).toBe(0);
    expect(isContiguous(sequence(followed.stdout)), gaps(sequence(followed.stdout))).toBe(true);

    await ok(['stop', name]);
    const all = [...rotated(name, 'out').map((file) => fs.readFileSync(path.join(logsDir(name), file), 'utf8')), read(name, 'out')].join(
      '',
    );
    const numbers = sequence(all);
    expect(numbers[0]).toBe(0);
    expect(isContiguous(numbers), gaps(numbers)).toBe(true);
    expect(all.endsWith('stopping stream\n')).toBe(true);
  });

  it('--log none captures nothing; logs says so', async () => {
    const name = 'CapNone';
    await install(name, '--arg', 'hello', '--log', 'none');
    await ok(['start', name]);
    await sleep(1000);
    await ok(['stop', name]);
    expect(read(name, 'out')).toBe('');
    const logs = await host(['logs', name]);
    expect(logs.code).toBe(1);
    expect(logs.stderr).toMatch(/does not capture its output \(installed with --log none\)/);
  });

  it('a log folder that cannot be written: the service runs on, the Event Log says why', async () => {
    const name = 'CapBlocked';
    const blocked = prefixDir('Capture', 'blocked');
    fs.rmSync(blocked, { recursive: true, force: true });
    await install(name, '--arg', 'hello', '--log-dir', 'C:\\Capture\\blocked');
    // A file where the folder was: nothing can be created in it.
    fs.rmSync(blocked, { recursive: true, force: true });
    fs.writeFileSync(blocked, 'planted');
    await ok(['start', name]);
    await sleep(1000);
    expect((await scQuery(name)).state).toBe('RUNNING');
    await vi.waitFor(
      () => expect(loggedEvents().find((event) => event.source === name && event.id === SERVICE_OUTPUT_NOT_WRITTEN)).toBeDefined(),
      { timeout: 10_000, interval: 200 },
    );
    await ok(['stop', name]);
    expect(fs.readFileSync(blocked, 'utf8')).toBe('planted');
  });

  it('an account other than LocalSystem may write its log folder (and nobody else but SYSTEM and Administrators)', async () => {
    const base = 'O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)';
    const trace = { wineDebug: 'trace+advapi,trace+security' };
    const folder = 'C:\\ProgramData\\NodeService\\logs\\CapAccount';
    // Wine keeps no ACLs: there the SDDL host.exe converts is seen on its trace; Windows keeps the folder's DACL.
    const expectFolder = async (stderr: string, sddl: string) => {
      if (underWine) expect(stderr).toContain(`ConvertStringSecurityDescriptorToSecurityDescriptorW L"${sddl}"`);
      else expectSecurity(await fileSecurity(folder), sddl);
    };
    const installing = await host(
      ['install', `${SERVICES_DIR}\\output-service.js`, '--name', 'CapAccount', '--username', 'LocalService'],
      trace,
    );
    expect(installing.code, installing.stderr.slice(-2000)).toBe(0);
    installed.push('CapAccount');
    await expectFolder(installing.stderr, `${base}(A;OICI;0x1301bf;;;S-1-5-19)`);
    if (underWine) expect(installing.stderr).toMatch(/SetNamedSecurityInfoW L"C:\\\\ProgramData\\\\NodeService\\\\logs\\\\CapAccount"/);
    expect(await regValue('HKLM\\SYSTEM\\CurrentControlSet\\Services\\CapAccount\\Parameters', 'LogAccountSid')).toBe('S-1-5-19');
    const updating = await host(['update', 'CapAccount', '--username', 'NT SERVICE\\CapAccount'], trace);
    expect(updating.code, updating.stderr.slice(-2000)).toBe(0);
    await expectFolder(updating.stderr, `${base}(A;OICI;0x1301bf;;;${serviceSid('CapAccount')})`);
    const back = await host(['update', 'CapAccount', '--username', 'LocalSystem'], trace);
    expect(back.code).toBe(0);
    await expectFolder(back.stderr, base);
    expect(await regValue('HKLM\\SYSTEM\\CurrentControlSet\\Services\\CapAccount\\Parameters', 'LogAccountSid')).toBeUndefined();
  });

  it('bad options: exit code 2, one line, nothing installed', async () => {
    for (const [option, value, message] of [
      ['--log-max-size', '10X', /--log-max-size takes a size such as 10M/],
      ['--log-max-size', '5G', /--log-max-size must be between 1K and 4G - 1/],
      ['--log-keep', '-1', /--log-keep takes a whole number/],
      ['--log-roll', 'weekly', /--log-roll must be one of daily, never/],
      ['--log', 'maybe', /--log must be one of files, none/],
      ['--log-dir', `${SERVICES_DIR}\\output-service.js`, /--log-dir .* is a file/],
    ] as const) {
      const result = await host(['install', `${SERVICES_DIR}\\output-service.js`, '--name', 'CapBad', `${option}=${value}`]);
      expect(result.code, `${option} ${value}`).toBe(2);
      expect(result.stderr.split('\n')[0]).toMatch(message);
    }
    expect((await host(['status', 'CapBad'])).code).not.toBe(0);
    for (const [args, message] of [
      [['--lines', 'ten'], /--lines takes a whole number/],
      [['--since', 'yesterday'], /--since takes an ISO time/],
      [['--stdout', '--stderr'], /--stdout and --stderr/],
      [['--rotate', '--follow'], /--rotate takes no other option/],
    ] as const) {
      const result = await host(['logs', 'CapOwn', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.split('\n')[0]).toMatch(message);
    }
  });
});
