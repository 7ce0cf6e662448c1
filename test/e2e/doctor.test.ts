import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileService, examplesOut } from '../../build/services.ts';
import { underWine } from '../platform.ts';
import { host, hostExePattern, prefixDir, reg } from './wine.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\Doctor\\services';

interface Report {
  healthy: boolean;
  counts: Record<string, number>;
  findings: { subject: string; status: string; message: string; fix?: string }[];
}

async function doctorJson(): Promise<{ code: number; report: Report }> {
  const result = await host(['doctor', '--json']);
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

describe('doctor: what is wrong with this machine, and what to do', () => {
  const dir = () => prefixDir('Doctor', 'services');

  beforeAll(async () => {
    fs.mkdirSync(dir(), { recursive: true });
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(dir(), 'smallest-service.js'));
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(dir(), 'doomed.js'));
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(dir(), 'replaced.js'));
    await compileService(path.join(fixtures, 'not-a-service.ts'), path.join(dir(), 'not-a-service.js'));
    expect((await host(['/register', '--services-dir', SERVICES_DIR, '--force'])).code).toBe(0);
    for (const [file, name] of [
      ['smallest-service.js', 'DocA'],
      ['doomed.js', 'DocDoomed'],
      ['replaced.js', 'DocReplaced'],
    ]) {
      const result = await host(['install', `${SERVICES_DIR}\\${file}`, '--name', name!, '--display-name', name!]);
      expect(result.code, result.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    await host(['/register', '--services-dir', SERVICES_DIR, '--force']);
    for (const name of ['DocA', 'DocDoomed', 'DocReplaced']) await host(['remove', name]);
    await host(['/unregister']);
  });

  it('a healthy machine: exit 0, each check ok, and what Wine cannot show said as such', async () => {
    const result = await host(['doctor']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^\\[ok\\] +registration: host ${hostExePattern}, services folder C:\\\\Doctor\\\\services$`, 'm'),
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `^\\[ok\\] +event source host: ${hostExePattern} formats the host's messages \\("The host service has started\\."\\)$`,
        'm',
      ),
    );
    expect(result.stdout).toMatch(/^\[ok\] +native addon: .*koffi\.node/m);
    if (underWine) {
      expect(result.stdout).toMatch(/^\[not shown\] +services folder: C:\\Doctor\\services: Wine keeps no file ACLs/m);
      expect(result.stdout).toMatch(/^\[not shown\] +failure actions: Wine's SCM runs no failure actions/m);
    } else {
      expect(result.stdout).toMatch(/^\[ok\] +services folder: C:\\Doctor\\services: only SYSTEM and administrators can change it$/m);
      expect(result.stdout).not.toMatch(/^\[not shown\]/m);
    }
    expect(result.stdout).toMatch(
      /^\[ok\] +service DocA: C:\\Doctor\\services\\smallest-service\.js loads and its export 'default' is the ServiceFramework class \w+$/m,
    );
    expect(result.stdout).toMatch(/^\[ok\] +service DocA: options consistent \(WIN32_OWN_PROCESS, runs as LocalSystem/m);
    expect(result.stdout).toMatch(/^\[ok\] +service DocA: its log folder .*DocA is writable$/m);
    expect(result.stdout).toMatch(/\nhealthy: 0 error\(s\), 0 warning\(s\), \d+ ok, \d+ not shown here\n?$/);
    const { code, report } = await doctorJson();
    expect(code).toBe(0);
    expect(report.healthy).toBe(true);
    expect(report.counts.error).toBe(0);
    expect(report.findings.filter((finding) => finding.subject === 'service DocReplaced').map((finding) => finding.status)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
  });

  it('--selftest installs services of its own, proves start, pause, continue, stop and a shared group, and removes everything (also what a killed run left)', async () => {
    // What a selftest killed halfway would have left: one of its services and its folder.
    fs.mkdirSync(path.join(dir(), '.NodeServiceSelftest-dead'), { recursive: true });
    fs.copyFileSync(path.join(dir(), 'smallest-service.js'), path.join(dir(), '.NodeServiceSelftest-dead', 'left.js'));
    expect(
      (
        await host([
          'install',
          `${SERVICES_DIR}\\.NodeServiceSelftest-dead\\left.js`,
          '--name',
          'NodeServiceSelftest-dead',
          '--display-name',
          'left over',
        ])
      ).code,
    ).toBe(0);
    const result = await host(['doctor', '--selftest'], { timeoutMs: 180_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\[WARNING\] +selftest: removed what an earlier selftest left: NodeServiceSelftest-dead$/m);
    expect(result.stdout).toMatch(
      /^\[ok\] +selftest install: installed (NodeServiceSelftest-[0-9a-f]{8}) \(own process\), \1-a and \1-b \(shared group selftest-[0-9a-f]{8}\)$/m,
    );
    for (const [step, state] of [
      ['start', 'RUNNING'],
      ['pause', 'PAUSED'],
      ['continue', 'RUNNING'],
      ['stop', 'STOPPED'],
    ]) {
      // A warning ("late"): the host reports a pause's or continue's pending state only once the service's thread has the control.
      expect(result.stdout).toMatch(
        new RegExp(
          `^(\\[ok\\] +selftest ${step}: ${step} NodeServiceSelftest-[0-9a-f]{8}: ${state}|\\[WARNING\\] +selftest ${step}: ${step} NodeServiceSelftest-[0-9a-f]{8}: ${state}, late: .*)$`,
          'm',
        ),
      );
    }
    expect(result.stdout).toMatch(
      underWine
        ? /^\[not shown\] +selftest shared group: NodeServiceSelftest-\w+-a and NodeServiceSelftest-\w+-b run, in processes \d+ and \d+: Wine's SCM starts each shared service in a process of its own$/m
        : /^\[ok\] +selftest shared group: NodeServiceSelftest-\w+-a and NodeServiceSelftest-\w+-b run in one process \(\d+\)$/m,
    );
    if (underWine) {
      expect(result.stdout).toMatch(
        /^\[not shown\] +selftest Event Log: NodeServiceSelftest-[0-9a-f]{8} logged its start: Wine stores no Event Log entries to read back$/m,
      );
      expect(result.stdout).toMatch(
        /^\[not shown\] +selftest counters: \\NodeService selftest [0-9a-f]{8}\\Proof: Wine's lodctr and PDH know no counter set but their own$/m,
      );
      expect(result.stdout).toMatch(/^\[not shown\] +selftest failure actions: Wine's SCM runs no failure actions/m);
    } else {
      expect(result.stdout).toMatch(
        /^\[ok\] +selftest Event Log: record \d+ of NodeServiceSelftest-[0-9a-f]{8} reads ".*NodeService selftest [0-9a-f]{8}: the Event Log entry of its start.*"$/m,
      );
      expect(result.stdout).toMatch(/^\[ok\] +selftest counters: \\NodeService selftest [0-9a-f]{8}\\Proof = 42, read through PDH$/m);
      expect(result.stdout).toMatch(/^\[ok\] +selftest failure actions: NodeServiceSelftest-[0-9a-f]{8}-crash crashed at its first start/m);
    }
    expect(result.stdout).toMatch(
      new RegExp(
        `^\\[ok\\] +selftest cleanup: removed ${underWine ? 3 : 4} service\\(s\\) and C:\\\\Doctor\\\\services\\\\\\.NodeServiceSelftest-[0-9a-f]{8}$`,
        'm',
      ),
    );
    expect(fs.readdirSync(dir()).filter((entry) => entry.startsWith('.NodeServiceSelftest'))).toEqual([]);
    const list = JSON.parse((await host(['list', '--json'])).stdout) as { name: string }[];
    expect(list.map((service) => service.name).sort()).toEqual(['DocA', 'DocDoomed', 'DocReplaced']);
  });

  it('a broken machine: a module deleted, a module replaced by one with no service, a log folder gone', async () => {
    fs.rmSync(path.join(dir(), 'doomed.js'));
    fs.copyFileSync(path.join(dir(), 'not-a-service.js'), path.join(dir(), 'replaced.js'));
    fs.rmSync(prefixDir('ProgramData', 'NodeService', 'logs', 'DocA'), { recursive: true, force: true });
    expect((await host(['update', 'DocA', '--depends', 'DocGone'])).code).toBe(0);
    const result = await host(['doctor']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^\[ERROR\] +service DocDoomed: its module C:\\Doctor\\services\\doomed\.js does not exist: the service cannot start\n +fix: put it back, or point the service at its new place: host\.exe update DocDoomed --module/m,
    );
    expect(result.stdout).toMatch(
      /^\[ERROR\] +service DocReplaced: C:\\Doctor\\services\\replaced\.js does not load as a service: .*replaced\.js has no export named 'default' \(its exports: Helper\)/m,
    );
    expect(result.stdout).toMatch(
      /^\[ERROR\] +service DocA: its log folder .*DocA does not exist: the service starts without capture\n +fix: host\.exe update DocA --log-dir/m,
    );
    expect(result.stdout).toMatch(/^\[ok\] +service DocA: C:\\Doctor\\services\\smallest-service\.js loads/m);
    expect(result.stdout).toMatch(
      /^\[ERROR\] +service DocA: it depends on DocGone, which is not installed: its start fails with 1075\n +fix: install DocGone, or change the dependencies/m,
    );
    expect(result.stdout).toMatch(/\nproblems found: 4 error\(s\)/);
    // The fix it names works: the folder is made again.
    const logs = /fix: (host\.exe update DocA --log-dir "(.*)") \(/.exec(result.stdout)!;
    expect((await host(['update', 'DocA', '--log-dir', logs[2]!, '--depends', ''])).code).toBe(0);
    const { report } = await doctorJson();
    expect(report.findings.filter((finding) => finding.status === 'error').map((finding) => finding.subject)).toEqual([
      'service DocDoomed',
      'service DocReplaced',
    ]);
  });

  it('a machine whose registration is missing: an error with the fix, and its services still checked', async () => {
    expect((await reg(['delete', 'HKLM\\SOFTWARE\\NodeService', '/f'])).code).toBe(0);
    const result = await host(['doctor']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^\[ERROR\] +registration: this machine has no registered host .*: no service can start\n +fix: run "host\.exe \/register" \(as administrator\)/m,
    );
    expect(result.stdout).toMatch(/^\[ERROR\] +service DocA: this machine has no registered host, so the DocA service cannot start/m);
  });
});
