/**
 * Supervision end to end: whatever a service's code does (throws from a timer, rejects unhandled,
 * calls process.exit, spins for ever, never finishes loading, starts processes), the SCM sees the
 * truth, SERVICE_FAILED says why, and no process of the service is left. Each case runs in a
 * process of its own under Wine's SCM and in a shared group (under `debug --shared-group`, as Wine's
 * SCM does not share processes). Wine 8's SCM did not notice a dead process (Wine 10's does: STOPPED
 * with 1067), and Wine's SCM stops answering after repeated controls to a hung service, so these
 * tests look at the processes themselves and send each service one control at most.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { compileService } from '../../build/services.ts';
import { SERVICE_FAILED, SERVICE_START_FAILED } from '../../runtime/eventlog/host-messages.ts';
import { host, loggedEvents, prefixDir, prefixProcesses, scQuery, startHost } from './wine.ts';
import { waitForState } from './helpers.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\Supervision\\services';
const GROUP = 'sup';

/** Each way to misbehave, its ping count (marks its processes), and the service exit code it must end with. */
const CRASHES = [
  { mode: 'timer', code: 1, text: /^Error: thrown from a timer\n\s+at / },
  { mode: 'rejection', code: 1, text: /^Error: rejected and never handled\n\s+at / },
  { mode: 'exit0', code: 4, text: /^Error: process\.exit\(0\) was called\n\s+at / },
  { mode: 'exit5', code: 5, text: /^Error: process\.exit\(5\) was called\n\s+at / },
] as const;

const installed: string[] = [];

/**
 * Installs with no failure actions: these services fail on purpose, and install's default (restart
 * after 1 s, also on a non-crash failure) would have Windows' SCM start them again, so a test would
 * see RUNNING after STOPPED, a second report and processes that come back (Wine runs none).
 */
async function install(file: string, name: string, ...options: string[]): Promise<void> {
  const result = await host([
    'install',
    `${SERVICES_DIR}\\${file}`,
    '--name',
    name,
    '--display-name',
    `Supervision ${name}`,
    '--failure-actions',
    'none',
    ...options,
  ]);
  expect(result.code, result.stderr).toBe(0);
  installed.push(name);
}

/** The prefix's processes whose command line matches. */
function processesMatching(pattern: RegExp): string[] {
  return prefixProcesses().filter((line) => pattern.test(line));
}

/** Own-process host.exe processes (the shared group's carry --shared-group). */
function ownHostProcesses(): string[] {
  return processesMatching(/(^|[\\/"\s])host\.exe/i).filter(
    (line) => !/--shared-group|\s(install|remove|status|stop|start|debug|update)\b/.test(line),
  );
}

function pingPattern(count: string): RegExp {
  return new RegExp(`ping(\\.exe)?"? -n ${count} 127\\.0\\.0\\.1`, 'i');
}

function failedEvent(name: string) {
  return loggedEvents().find((event) => event.source === name && event.id === SERVICE_FAILED);
}

function reportsOf(name: string): string[] {
  const dir = prefixDir('ProgramData', 'NodeService', 'logs', name);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((file) => /^report-.*\.json$/.test(file)) : [];
}

describe('supervision: a service in a process of its own', () => {
  beforeAll(async () => {
    const dir = prefixDir('Supervision', 'services');
    fs.mkdirSync(dir, { recursive: true });
    await compileService(path.join(fixtures, 'misbehaving-service.ts'), path.join(dir, 'misbehaving-service.js'));
    await compileService(path.join(fixtures, 'hanging-module.ts'), path.join(dir, 'hanging-module.mjs'));
    await compileService(path.join(fixtures, 'misbehaving-service.ts'), path.join(dir, 'replaced-later.mjs'));
    expect((await host(['/register', '--services-dir', SERVICES_DIR, '--force'])).code).toBe(0);
  });

  afterAll(async () => {
    for (const name of installed.splice(0)) await host(['remove', name]);
    await host(['/unregister']);
  });

  for (const crash of CRASHES) {
    it(`${crash.mode}: STOPPED with 1066/${crash.code}, SERVICE_FAILED with the stack, a report, and the process gone`, async () => {
      const name = `Own-${crash.mode}`;
      await install('misbehaving-service.js', name, '--arg', crash.mode);
      expect((await host(['start', name])).code).toBe(0);
      await waitForState(name, 'STOPPED');
      expect(await scQuery(name)).toMatchObject({ win32ExitCode: 1066, serviceExitCode: crash.code });
      expect(failedEvent(name)?.strings[1]).toMatch(crash.text);
      expect(reportsOf(name)).toHaveLength(1);
      await vi.waitFor(() => expect(ownHostProcesses()).toEqual([]), { timeout: 10_000, interval: 100 });
    });
  }

  it('a busy loop: the stop is answered at once with moving checkpoints, then STOPPED 1066/3 after svcStopTimeout', async () => {
    const name = 'Own-busy';
    await install('misbehaving-service.js', name, '--arg', 'busy', '--arg', 'own', '--env', 'MISBEHAVING_STOP_TIMEOUT=6000');
    expect((await host(['start', name])).code).toBe(0);
    // The loop starts 300 ms after RUNNING; it writes this file first (the service runs in its module's folder).
    await vi.waitFor(() => expect(fs.existsSync(prefixDir('Supervision', 'services', 'busy-own.txt'))).toBe(true), {
      timeout: 10_000,
      interval: 100,
    });
    const stop = host(['stop', name, '--timeout', '20']);
    const checkpoints = new Set<number>();
    for (let i = 0; i < 80; i++) {
      const status = await scQuery(name);
      if (status.state === 'STOPPED') break;
      if (status.state === 'STOP_PENDING') checkpoints.add(status.checkPoint);
      await sleep(100);
    }
    await stop;
    await waitForState(name, 'STOPPED');
    expect(checkpoints.size, `checkpoints seen: ${[...checkpoints]}`).toBeGreaterThan(1);
    expect(await scQuery(name)).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 3 });
    const failed = failedEvent(name)?.strings[1] ?? '';
    expect(failed).toMatch(
      /^svcDoRun did not return within 6000 ms of the stop request \(static svcStopTimeout\); its code was ended\nDiagnostic report: C:\\ProgramData\\NodeService\\logs\\Own-busy\\report-\d+T\d+-\d+-\d+\.json/,
    );
    expect(reportsOf(name)).toHaveLength(1);
    await vi.waitFor(() => expect(ownHostProcesses()).toEqual([]), { timeout: 10_000, interval: 100 });
  });

  for (const [mode, count] of [
    ['child', '1001'],
    ['grandchild', '1002'],
  ] as const) {
    it(`a ${mode} started by the service ends when the service stops`, async () => {
      const name = `Own-${mode}`;
      await install('misbehaving-service.js', name, '--arg', mode, '--arg', count);
      expect((await host(['start', name])).code).toBe(0);
      await vi.waitFor(() => expect(processesMatching(pingPattern(count))).not.toEqual([]), { timeout: 10_000, interval: 100 });
      expect((await host(['stop', name])).code).toBe(0);
      expect(await scQuery(name)).toMatchObject({ state: 'STOPPED', win32ExitCode: 0 });
      await vi.waitFor(() => expect(processesMatching(pingPattern(count))).toEqual([]), { timeout: 10_000, interval: 100 });
      await vi.waitFor(() => expect(ownHostProcesses()).toEqual([]), { timeout: 10_000, interval: 100 });
    });
  }

  it('a module that never finishes loading: install and debug fail within the load timeout, never exit 0', async () => {
    const started = Date.now();
    const installing = await host(['install', `${SERVICES_DIR}\\hanging-module.mjs`, '--load-timeout', '3']);
    expect(installing.code).toBe(1);
    expect(installing.stderr).toMatch(/hanging-module\.mjs did not finish loading within 3000 ms/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await host(['status', 'Hanging'])).code).not.toBe(0);
    const debugging = await host(['debug', `${SERVICES_DIR}\\hanging-module.mjs`, '--load-timeout', '3']);
    expect(debugging.code).toBe(1);
    expect(debugging.stderr).toMatch(/Error 0xC0001005 - .*hanging-module\.mjs did not finish loading within 3000 ms/);
  });

  it('a module that never finishes loading under the SCM: START_PENDING with moving checkpoints, then STOPPED 1066/2', async () => {
    const dir = prefixDir('Supervision', 'services');
    await install('replaced-later.mjs', 'Own-hanging', '--load-timeout', '4');
    // The module that was installed is replaced by one that never finishes loading.
    fs.copyFileSync(path.join(dir, 'hanging-module.mjs'), path.join(dir, 'replaced-later.mjs'));

    const start = host(['start', 'Own-hanging', '--timeout', '30']);
    const checkpoints = new Set<number>();
    const seen: string[] = [];
    for (let i = 0; i < 60; i++) {
      const status = await scQuery('Own-hanging');
      seen.push(`${status.state}/${status.checkPoint}`);
      if (status.state === 'STOPPED' && checkpoints.size > 0) break;
      if (status.state === 'START_PENDING') checkpoints.add(status.checkPoint);
      await sleep(100);
    }
    onTestFailed(() => console.log(`sc query saw: ${seen.join(' ')}`));
    expect((await start).code).toBe(1);
    await waitForState('Own-hanging', 'STOPPED');
    expect(checkpoints.size, `checkpoints seen: ${[...checkpoints]}`).toBeGreaterThan(1);
    expect(await scQuery('Own-hanging')).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 2 });
    const startFailed = loggedEvents().find((event) => event.source === 'Own-hanging' && event.id === SERVICE_START_FAILED);
    expect(startFailed?.strings[1]).toMatch(/^C:\\Supervision\\services\\replaced-later\.mjs did not finish loading within 4000 ms/);
    await vi.waitFor(() => expect(ownHostProcesses()).toEqual([]), { timeout: 10_000, interval: 100 });
  });

  it("a stop while the module loads ends it at once (debug: Ctrl+C; Wine's SCM holds controls until a start settles)", async () => {
    const debug = startHost(['debug', `${SERVICES_DIR}\\hanging-module.mjs`]);
    await vi.waitFor(() => expect(debug.stdout()).toContain('Debugging service'), { timeout: 20_000, interval: 100 });
    await sleep(1000);
    await debug.interrupt();
    const asked = Date.now();
    const result = await debug.result;
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - asked).toBeLessThan(10_000);
    expect(result.stdout).toContain('Info 0x40001004 - The hanging-module.mjs service has stopped.');
  });

  it('refuses a nonsense svcStopTimeout at install, and a bad --load-timeout', async () => {
    const dir = prefixDir('Supervision', 'services');
    fs.writeFileSync(
      path.join(dir, 'bad-timeout.js'),
      "const { ServiceFramework } = require('nodeservice');\n" +
        "module.exports = class BadTimeout extends ServiceFramework { static svcName = 'BadTimeout'; static svcStopTimeout = -1; svcDoRun() {} };\n",
    );
    const bad = await host(['install', `${SERVICES_DIR}\\bad-timeout.js`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'static svcStopTimeout of BadTimeout must be a positive number of milliseconds, or Infinity for no limit (not -1)',
    );
    for (const value of ['0', 'soon', '1e9', '0.0001', '5000000']) {
      const result = await host(['install', `${SERVICES_DIR}\\misbehaving-service.js`, '--load-timeout', value]);
      expect(result.code, value).toBe(2);
      expect(result.stderr).toContain('--load-timeout must be a positive number of seconds');
    }
  });
});

describe('supervision: services sharing one process', () => {
  const members = [
    ...CRASHES.map((crash) => ({ name: `Shr-${crash.mode}`, args: [crash.mode], code: crash.code })),
    { name: 'Shr-busy', args: ['busy'], code: 3 },
    { name: 'Shr-child', args: ['child', '1011'], code: 0 },
    { name: 'Shr-grandchild-exit', args: ['grandchild-exit', '1012'], code: 6 },
    { name: 'Shr-grandchild-return', args: ['grandchild-return', '1013'], code: 0 },
    { name: 'Shr-calm', args: ['calm'], code: 0 },
  ];

  beforeAll(async () => {
    expect((await host(['/register', '--services-dir', SERVICES_DIR, '--force'])).code).toBe(0);
    await compileService(
      path.join(fixtures, 'misbehaving-service.ts'),
      path.join(prefixDir('Supervision', 'services'), 'misbehaving-service.js'),
    );
    for (const member of members)
      await install('misbehaving-service.js', member.name, '--shared-group', GROUP, ...member.args.flatMap((arg) => ['--arg', arg]));
  });

  afterAll(async () => {
    for (const name of installed.splice(0)) await host(['remove', name]);
    await host(['/unregister']);
  });

  it('each misbehaving service ends alone, with its exit code and its children; its neighbours run on', async () => {
    const debug = startHost(['debug', '--shared-group', GROUP]);
    const lines = () => debug.stdout().split('\n');
    const stoppedLine = (name: string) => lines().find((line) => line.startsWith(`${name}: STOPPED`));
    onTestFailed(() => console.log(`debug --shared-group printed:\n${debug.stdout()}`));

    // The crashes end their own services only.
    for (const crash of CRASHES) {
      await vi.waitFor(
        () => expect(stoppedLine(`Shr-${crash.mode}`)).toBe(`Shr-${crash.mode}: STOPPED (exit code 1066, service code ${crash.code})`),
        {
          timeout: 30_000,
          interval: 200,
        },
      );
    }
    // Shr-grandchild-exit ends (process.exit(6)) 2.5 s after it started its grandchild: that ping
    // goes with it, its neighbour Shr-child's ping stays.
    await vi.waitFor(
      () => expect(stoppedLine('Shr-grandchild-exit')).toBe('Shr-grandchild-exit: STOPPED (exit code 1066, service code 6)'),
      { timeout: 30_000, interval: 200 },
    );
    await vi.waitFor(() => expect(processesMatching(pingPattern('1012'))).toEqual([]), { timeout: 10_000, interval: 100 });
    // Shr-grandchild-return stops cleanly 2.5 s after starting its grandchild: that ping goes with it too.
    await vi.waitFor(() => expect(stoppedLine('Shr-grandchild-return')).toBe('Shr-grandchild-return: STOPPED'), {
      timeout: 30_000,
      interval: 200,
    });
    await vi.waitFor(() => expect(processesMatching(pingPattern('1013'))).toEqual([]), { timeout: 10_000, interval: 100 });
    // The group's process still runs, and so does its neighbour's child.
    expect(processesMatching(pingPattern('1011'))).not.toEqual([]);
    for (const name of ['Shr-busy', 'Shr-child', 'Shr-calm']) expect(stoppedLine(name), name).toBeUndefined();

    await debug.interrupt();
    const result = await debug.result;
    expect(result.code).toBe(1);
    for (const member of members) {
      const exit = member.code ? ` (exit code 1066, service code ${member.code})` : '';
      expect(result.stdout, member.name).toContain(`${member.name}: STOPPED${exit}\n`);
    }
    expect(result.stderr).toMatch(/The Shr-busy service failed: svcDoRun did not return within 3000 ms of the stop request/);
    expect(result.stderr).toMatch(/The Shr-timer service failed: Error: thrown from a timer\n\s+at /);
    expect(processesMatching(pingPattern('1011'))).toEqual([]);
  });
});
