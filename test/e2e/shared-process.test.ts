import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileService, examplesOut } from '../../build/services.ts';
import { SERVICE_FAILED } from '../../runtime/eventlog/host-messages.ts';
import { underWine } from '../platform.ts';
import { host, hostExePattern, loggedEvents, net, prefixDir, prefixProcesses, reg, startHost } from './wine.ts';
import { statusJson } from './helpers.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\SharedGroup\\services';
const GROUP = ['SharedA', 'SharedB', 'ThrowingService', 'BriefService', 'EnvA', 'EnvB', 'CountersTest'];

interface Status {
  state: string;
  pid: number;
  win32ExitCode: number;
  serviceExitCode: number;
}

async function status(name: string): Promise<Status> {
  const json = await statusJson<{ stateName: string; processId: number; win32ExitCode: number; serviceSpecificExitCode: number }>(name);
  return { state: json.stateName, pid: json.processId, win32ExitCode: json.win32ExitCode, serviceExitCode: json.serviceSpecificExitCode };
}

/** The prefix's host.exe processes started for the shared group. */
function groupProcesses(): string[] {
  return prefixProcesses().filter((line) => /host\.exe" --shared-group shared|host\.exe --shared-group shared/i.test(line));
}

describe('services sharing one host process (--shared)', () => {
  beforeAll(async () => {
    const dir = prefixDir('SharedGroup', 'services');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(dir, 'smallest-service.js'));
    await compileService(path.join(fixtures, 'throwing-service.ts'), path.join(dir, 'throwing-service.js'));
    await compileService(path.join(fixtures, 'brief-service.ts'), path.join(dir, 'brief-service.js'));
    await compileService(path.join(fixtures, 'env-service.ts'), path.join(dir, 'env-service.js'));
    await compileService(path.join(fixtures, 'counters-service.ts'), path.join(dir, 'counters-service.js'));
    expect((await host(['/register', '--services-dir', SERVICES_DIR, '--force'])).code).toBe(0);
    for (const args of [
      ['smallest-service.js', '--name', 'SharedA', '--display-name', 'Shared A'],
      ['smallest-service.js', '--name', 'SharedB', '--display-name', 'Shared B'],
      ['throwing-service.js'],
      ['brief-service.js'],
      ['env-service.js', '--name', 'EnvA', '--display-name', 'Env A', '--env', 'GREETING=hello'],
      ['env-service.js', '--name', 'EnvB', '--display-name', 'Env B', '--env', 'GREETING=bonjour', '--arg', 'b'],
      ['counters-service.js'],
    ]) {
      const [file, ...options] = args;
      // No failure actions: ThrowingService fails on purpose, and Windows' SCM would start it again
      // into the group's process with install's default (restart after 1 s; Wine runs none).
      const result = await host(['install', `${SERVICES_DIR}\\${file}`, '--shared', '--failure-actions', 'none', ...options]);
      expect(result.code, result.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    for (const name of GROUP) await host(['remove', name]);
    await host(['/unregister']);
  });

  it('install --shared makes share-process services with one binPath for the group', async () => {
    const key = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\SharedA';
    const result = await reg(['query', key]);
    expect(result.stdout).toMatch(/Type\s+REG_DWORD\s+0x20\b/);
    expect(result.stdout).toMatch(new RegExp(`ImagePath\\s+REG_SZ\\s+"${hostExePattern}" --shared-group shared`));
    const bad = await host(['install', `${SERVICES_DIR}\\brief-service.js`, '--name', 'X', '--shared-group', 'a b']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--shared-group takes letters, digits, '_', '.' and '-' (not 'a b')");
    // What the SCM runs, run by hand: not a service process, so it says how to start the services.
    // update moves a service to a process of its own and back.
    expect((await host(['update', 'SharedB', '--own-process'])).code).toBe(0);
    const own = await reg(['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\SharedB']);
    expect(own.stdout).toMatch(/Type\s+REG_DWORD\s+0x10\b/);
    expect(own.stdout).toMatch(new RegExp(`ImagePath\\s+REG_SZ\\s+"${hostExePattern}"\\s*$`, 'm'));
    expect((await host(['update', 'SharedB', '--shared'])).code).toBe(0);
    expect((await reg(['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\SharedB'])).stdout).toMatch(
      new RegExp(`ImagePath\\s+REG_SZ\\s+"${hostExePattern}" --shared-group shared`),
    );
    const byHand = await host(['--shared-group', 'shared']);
    expect(byHand.code).toBe(2);
    expect(byHand.stderr).toContain(
      '--shared-group <name> is how the Service Control Manager starts a group of shared services: start them with "net start <service>"',
    );
  });

  it('under the SCM: a service that throws stops alone, stopping one leaves the other running, the process ends with its last service', async () => {
    expect((await net(['start', 'SharedA'])).code).toBe(0);
    expect((await net(['start', 'SharedB'])).code).toBe(0);
    // Windows would start SharedB in SharedA's process. Wine 8 shares processes between drivers
    // only, so here each runs in a `--shared-group shared` process of its own, in a worker all the same.
    const [a, b] = [await status('SharedA'), await status('SharedB')];
    expect([a.state, b.state]).toEqual(['RUNNING', 'RUNNING']);
    if (underWine) expect(b.pid).not.toBe(a.pid);
    else expect(b.pid).toBe(a.pid);
    expect(groupProcesses().length).toBeGreaterThan(0);

    expect((await net(['start', 'ThrowingService'])).code).toBe(0);
    await vi.waitFor(async () => expect((await status('ThrowingService')).state).toBe('STOPPED'), { timeout: 20_000, interval: 200 });
    expect(await status('ThrowingService')).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 1 });
    const failure = loggedEvents().find((event) => event.source === 'ThrowingService' && event.id === SERVICE_FAILED);
    expect(failure?.strings[1]).toContain('Error: thrown from a timer');
    expect(await status('SharedA')).toMatchObject({ state: 'RUNNING', pid: a.pid });

    expect((await net(['stop', 'SharedA'])).code).toBe(0);
    expect(await status('SharedB')).toMatchObject({ state: 'RUNNING', pid: b.pid });
    expect((await net(['stop', 'SharedB'])).code).toBe(0);
    await vi.waitFor(() => expect(groupProcesses()).toEqual([]), { timeout: 10_000, interval: 200 });
  });

  it('debug --shared-group runs the whole group in one process: one that throws or stops leaves the others running, each has its own variables and counters', async () => {
    const debug = startHost(['debug', '--shared-group', 'shared']);
    const lines = () => debug.stdout().split('\n');
    await vi.waitFor(
      () => {
        expect(lines()).toContain('ThrowingService: STOPPED (exit code 1066, service code 1)');
        expect(lines()).toContain('BriefService: STOPPED');
        expect(lines()).toEqual(expect.arrayContaining(['SharedA: RUNNING', 'SharedB: RUNNING', 'EnvA: RUNNING', 'EnvB: RUNNING']));
        expect(lines().filter((line) => line.includes('GREETING='))).toHaveLength(2);
        expect(lines().some((line) => line.includes('counters own '))).toBe(true);
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(lines()).not.toContain('SharedA: STOP_PENDING');
    expect(lines()).not.toContain('SharedB: STOP_PENDING');
    const [, listed] = /^Debugging group shared \((.*)\) in process \d+ - press Ctrl\+C to stop\.$/.exec(lines()[0]!) ?? [];
    expect(listed?.split(', ').sort()).toEqual([...GROUP].sort());
    // Each worker has its own process.env, set from its own service's --env before its module loaded.
    expect(lines()).toEqual(
      expect.arrayContaining([
        'Info 0x400000FF - GREETING=hello SECOND=undefined API_KEY length=undefined args=[]',
        'Info 0x400000FF - GREETING=bonjour SECOND=undefined API_KEY length=undefined args=["b"]',
      ]),
    );
    // A worker publishes its service's counters through its own PerfLib provider in the shared process.
    const published = lines().find((line) => line.includes('counters set '));
    expect(published).toMatch(/"published":true/);
    const own = /counters own (\[.*\])$/.exec(lines().find((line) => line.includes('counters own ')) ?? '')?.[1];
    const [written, readThroughProvider] = JSON.parse(own ?? '[]') as [Record<string, number>, Record<string, number>];
    expect(written).toMatchObject({ connections: 3, open: 5 });
    expect(readThroughProvider).toEqual(written);
    await debug.interrupt();
    const result = await debug.result;
    // It ends by itself once the last service has stopped; 1 because one of them failed.
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('SharedA: STOPPED\n');
    expect(result.stdout).toContain('SharedB: STOPPED\n');
    expect(result.stderr).toContain('Error 0xC0001006 - The ThrowingService service failed: Error: thrown from a timer');
  });
});
