import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileService, examplesOut } from '../../build/services.ts';
import {
  MSG_INFO_TEXT,
  SERVICE_FAILED,
  SERVICE_STARTED,
  SERVICE_STARTING,
  SERVICE_STOPPED,
  SERVICE_STOPPING,
} from '../../runtime/eventlog/host-messages.ts';
import { host, hostExe, net, prefixDir, regValue, sc, scQuery, startHost, windowsPath } from './wine.ts';
import { eventsOf, fails, waitForState } from './helpers.ts';
import { expectSecurity } from './security-descriptors.ts';
import { underWine } from '../platform.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\NodeService\\services';

const query = scQuery;

const EVENTLOG_ERROR_TYPE = 1;
const EVENTLOG_INFORMATION_TYPE = 4;
const EVENTLOG_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application';

describe('services under the SCM', () => {
  beforeAll(async () => {
    // The first test needs a prefix where /register has not run: say so, rather than trust that
    // every earlier file unregistered (nothing to do when nothing is registered).
    await host(['/unregister']);
    const dir = prefixDir('NodeService', 'services');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(dir, 'smallest-service.js'));
    await compileService(path.join(fixtures, 'pausable-service.ts'), path.join(dir, 'pausable-service.mjs'));
    await compileService(path.join(fixtures, 'failing-service.cts'), path.join(dir, 'failing-service.cjs'));
    await compileService(path.join(fixtures, 'not-a-service.ts'), path.join(dir, 'not-a-service.js'));
    await compileService(path.join(fixtures, 'nameless-service.ts'), path.join(dir, 'nameless-service.js'));
    fs.mkdirSync(prefixDir('elsewhere'), { recursive: true });
    fs.copyFileSync(path.join(dir, 'smallest-service.js'), prefixDir('elsewhere', 'smallest-service.js'));
  });

  // The last test removes the services and unregisters; when a test before it fails, this does, so
  // the next file finds the shared prefix unregistered, as this one did (issue 17).
  afterAll(async () => {
    for (const name of ['SmallestService', 'PausableTest', 'FailingTest', 'Outside']) await host(['remove', name]);
    await host(['/unregister']);
  });

  it('refuses to install before /register', async () => {
    await fails(['install', `${SERVICES_DIR}\\smallest-service.js`], /no registered host: run "host.exe \/register"/);
  });

  it('/register records the host and the services folder, and makes the folder admin-only', async () => {
    const sddl = 'O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;AU)';
    const result = await host(['/register', '--services-dir', SERVICES_DIR, '--force'], { wineDebug: 'trace+advapi,trace+security' });
    expect(result.code, result.stderr).toBe(0);
    if (underWine) {
      // Wine keeps no file ACLs (it derives them from Unix modes), so the call itself is observed.
      expect(result.stderr).toContain(`ConvertStringSecurityDescriptorToSecurityDescriptorW L"${sddl}"`);
      // OWNER | DACL | PROTECTED_DACL on the folder.
      expect(result.stderr).toContain('SetNamedSecurityInfoW L"C:\\\\NodeService\\\\services" 1 -2147483643');
    }
    const info = await host(['info', '--json']);
    const facts = JSON.parse(info.stdout) as { servicesDir: string; servicesDirSecurity: string };
    expect(facts.servicesDir).toBe(SERVICES_DIR);
    // As host.exe reads it back: under Wine, the Unix user's SID owns everything and the DACL
    // comes from the Unix mode; Windows keeps what /register set.
    if (underWine) expect(facts.servicesDirSecurity).toMatch(/^O:S-[\d-]+D:/);
    else expectSecurity(facts.servicesDirSecurity, sddl);
    expect(await regValue('HKLM\\SOFTWARE\\NodeService', 'HostPath')).toBe(windowsPath(hostExe));
    expect(await regValue('HKLM\\SOFTWARE\\NodeService', 'ServicesDir')).toBe(SERVICES_DIR);
    // host.exe is the event source "host", formatted with its own message table.
    expect(await regValue(`${EVENTLOG_KEY}\\host`, 'EventMessageFile')).toBe(windowsPath(hostExe));
    expect(await regValue(`${EVENTLOG_KEY}\\host`, 'TypesSupported')).toBe('0x7');
  });

  it('installs SmallestService with a quoted binPath and its module in Parameters', async () => {
    const result = await host(['install', `${SERVICES_DIR}\\smallest-service.js`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Installed SmallestService');
    const key = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\SmallestService';
    expect(await regValue(key, 'ImagePath')).toBe(`"${windowsPath(hostExe)}"`);
    expect(await regValue(key, 'DisplayName')).toBe('NodeService smallest sample');
    expect(await regValue(`${key}\\Parameters`, 'Module')).toBe(`${SERVICES_DIR}\\smallest-service.js`);
    expect(await regValue(`${EVENTLOG_KEY}\\SmallestService`, 'EventMessageFile')).toBe(windowsPath(hostExe));
    expect((await query('SmallestService')).state).toBe('STOPPED');
  });

  it('net start runs it, net stop stops it, and the Event Log tells the story', async () => {
    const started = await net(['start', 'SmallestService']);
    expect(started.code, started.stdout + started.stderr).toBe(0);
    // Wine's net start returns once StartServiceW has (at the first START_PENDING), not at RUNNING.
    await waitForState('SmallestService', 'RUNNING', { polls: 100 });

    const status = await host(['status', 'SmallestService', '--json']);
    const parsed = JSON.parse(status.stdout) as { stateName: string; processId: number };
    expect(parsed.stateName).toBe('RUNNING');
    expect(parsed.processId).toBeGreaterThan(0);

    const stopped = await net(['stop', 'SmallestService']);
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(0);
    expect(await query('SmallestService')).toMatchObject({ state: 'STOPPED', win32ExitCode: 0 });
    expect(eventsOf('SmallestService')).toEqual(
      [SERVICE_STARTING, SERVICE_STARTED, SERVICE_STOPPING, SERVICE_STOPPED].map((id) => ({
        source: 'SmallestService',
        type: EVENTLOG_INFORMATION_TYPE,
        id,
        // The second insert is empty, and Wine 10 does not trace an empty insert: the count says it was there.
        count: 2,
        strings: ['SmallestService'],
        category: 0,
        dataSize: 0,
        hasSid: false,
      })),
    );
  });

  it('pauses and continues a service with svcPause/svcContinue (an ESM module)', async () => {
    // No failure actions here and for FailingTest: both end with an error exit code on purpose, which
    // install's default (restart after 1 s, non-crash failures included) would have Windows' SCM restart.
    expect((await host(['install', `${SERVICES_DIR}\\pausable-service.mjs`, '--failure-actions', 'none'])).code).toBe(0);
    expect((await host(['start', 'PausableTest'])).stdout).toMatch(/^PausableTest {2}RUNNING {2}pid \d+/);
    expect((await host(['pause', 'PausableTest'])).stdout).toMatch(/^PausableTest {2}PAUSED/);
    expect((await query('PausableTest')).state).toBe('PAUSED');
    expect((await host(['continue', 'PausableTest'])).stdout).toMatch(/^PausableTest {2}RUNNING/);
    expect((await query('PausableTest')).state).toBe('RUNNING');
  });

  it('delivers user-defined controls (128-255) to svcOtherControl', async () => {
    const result = await host(['control', 'PausableTest', '200']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^PausableTest {2}RUNNING/);
    await vi.waitFor(() =>
      expect(eventsOf('PausableTest')).toContainEqual({
        source: 'PausableTest',
        type: EVENTLOG_INFORMATION_TYPE,
        id: MSG_INFO_TEXT,
        count: 1,
        strings: ['received control 200'],
        category: 0,
        dataSize: 0,
        hasSid: false,
      }),
    );
    const usage = await host(['control', 'PausableTest', '100']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('<code> must be a user-defined control code from 128 to 255');
  });

  it('refuses pause for a service without svcPause', async () => {
    expect((await net(['start', 'SmallestService'])).code).toBe(0);
    await fails(['pause', 'SmallestService'], /ControlService: .*\(1052\)/);
    expect((await query('SmallestService')).state).toBe('RUNNING');
  });

  it('reports STOP_PENDING with rising checkpoints while a service stops slowly', async () => {
    expect((await host(['stop', 'PausableTest'])).code).toBe(0);
    expect((await sc(['start', 'PausableTest', 'slow'])).code).toBe(0);
    await waitForState('PausableTest', 'RUNNING', { polls: 100 });
    const stopping = net(['stop', 'PausableTest']);
    const checkpoints: number[] = [];
    for (let i = 0; i < 60; i++) {
      const status = await query('PausableTest');
      if (status.state === 'STOPPED') break;
      if (status.state === 'STOP_PENDING') checkpoints.push(status.checkPoint);
      await sleep(50);
    }
    expect((await stopping).code).toBe(0);
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(Math.max(...checkpoints)).toBeGreaterThanOrEqual(2);
    expect(checkpoints).toEqual([...checkpoints].sort((a, b) => a - b));
  });

  it('gives up on a service that ignores a stop after its svcStopTimeout: STOPPED with exit code 3', async () => {
    expect((await sc(['start', 'PausableTest', 'stubborn'])).code).toBe(0);
    await waitForState('PausableTest', 'RUNNING', { polls: 100 });
    await net(['stop', 'PausableTest']);
    await waitForState('PausableTest', 'STOPPED', { polls: 100 });
    expect(await query('PausableTest')).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 3 });
    const failure = eventsOf('PausableTest').find((event) => event.id === SERVICE_FAILED);
    expect(failure).toMatchObject({
      type: EVENTLOG_ERROR_TYPE,
      strings: ['PausableTest', expect.stringContaining('svcDoRun did not return within 4000 ms of the stop request')],
    });
  });

  it('debug runs an installed service in the console until Ctrl+C', async () => {
    const debug = startHost(['debug', 'SmallestService']);
    await vi.waitFor(() => expect(debug.stdout()).toContain('has started.'), { timeout: 20_000, interval: 100 });
    await debug.interrupt();
    const result = await debug.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      [
        'Debugging service SmallestService - press Ctrl+C to stop.',
        'Info 0x40001001 - The SmallestService service is starting.',
        'Info 0x40001002 - The SmallestService service has started.',
        'Info 0x40001003 - The SmallestService service is stopping.',
        'Info 0x40001004 - The SmallestService service has stopped.',
        '',
      ].join('\n'),
    );
  });

  it('debug runs a module file and fails with the reason when svcDoRun throws', async () => {
    const result = await host(['debug', `${SERVICES_DIR}\\failing-service.cjs`]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout, result.stderr).toContain('Info 0x40001002 - The FailingTest service has started.');
    expect(result.stderr).toContain('Error 0xC0001006 - The FailingTest service failed: Error: the database is unreachable');
  });

  it('a service whose svcDoRun throws ends STOPPED with its exit code, and the log says why', async () => {
    expect((await host(['install', `${SERVICES_DIR}\\failing-service.cjs`, '--failure-actions', 'none'])).code).toBe(0);
    await net(['start', 'FailingTest']);
    await waitForState('FailingTest', 'STOPPED', { polls: 100 });
    expect(await query('FailingTest')).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 7 });
    const failure = eventsOf('FailingTest').find((event) => event.id === SERVICE_FAILED);
    expect(failure).toMatchObject({
      type: EVENTLOG_ERROR_TYPE,
      strings: ['FailingTest', expect.stringMatching(/^Error: the database is unreachable\n\s+at /)],
    });
  });

  it('refuses bad input with a clear message and leaves nothing behind', async () => {
    const missing = await host(['install', `${SERVICES_DIR}\\missing.js`]);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toMatch(
      /module not found: C:\\NodeService\\services\\missing\.js: name the service's module file, or its app folder/,
    );
    await fails(['install', `${SERVICES_DIR}\\not-a-service.js`], /exports no class extending ServiceFramework/);
    await fails(['install', `${SERVICES_DIR}\\smallest-service.js#Nope`], /has no export named 'Nope' \(its exports: default\)/);
    await fails(['install', `${SERVICES_DIR}\\nameless-service.js`], /NamelessService .* has no svcName/);
    await fails(['install', `${SERVICES_DIR}\\smallest-service.js`], /a service named 'SmallestService' already exists/);
    await fails(
      ['install', 'C:\\elsewhere\\smallest-service.js', '--name', 'Outside'],
      /outside the services folder C:\\NodeService\\services.*--allow-outside/,
    );
    await fails(['remove', 'NoSuchService'], /there is no service named 'NoSuchService'/);
    await fails(['stop', 'NoSuchService'], /\(1060\)/);
    for (const name of ['Outside', 'NamelessService', 'missing']) expect((await sc(['query', name])).code).not.toBe(0);

    const usage = await host(['install', 'x.js', '--startup', 'sometimes']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--startup must be one of manual, auto, delayed, disabled');
  });

  it('installs outside the services folder with --allow-outside', async () => {
    const taken = await host(['install', 'C:\\elsewhere\\smallest-service.js', '--name', 'Outside', '--allow-outside']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(
      "another service already has the display name 'NodeService smallest sample': choose another with --display-name",
    );
    expect((await sc(['query', 'Outside'])).code).not.toBe(0);

    const args = ['install', 'C:\\elsewhere\\smallest-service.js', '--name', 'Outside', '--display-name', 'Outside', '--allow-outside'];
    const result = await host(args);
    expect(result.code, result.stderr).toBe(0);
    expect((await query('Outside')).state).toBe('STOPPED');
  });

  it('update changes only what is given', async () => {
    const result = await host(['update', 'Outside', '--display-name', 'Outside sample', '--startup', 'disabled']);
    expect(result.code, result.stderr).toBe(0);
    const key = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Outside';
    expect(await regValue(key, 'DisplayName')).toBe('Outside sample');
    expect(await regValue(key, 'Start')).toBe('0x4');
    expect(await regValue(`${key}\\Parameters`, 'Module')).toBe('C:\\elsewhere\\smallest-service.js');
  });

  it('list shows the services of this host', async () => {
    const result = await host(['list']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^SmallestService {2}RUNNING {2}pid \d+ {2}C:\\NodeService\\services\\smallest-service\.js$/m);
    expect(result.stdout).toMatch(/^FailingTest {2}STOPPED {2}exit code 1066 {2}service exit code 7/m);
  });

  it('/unregister refuses while services use the host; remove stops and deletes them', async () => {
    await fails(['/unregister'], /service\(s\) still use this host: .*SmallestService/);
    for (const name of ['SmallestService', 'PausableTest', 'FailingTest', 'Outside']) {
      const removed = await host(['remove', name]);
      expect(removed.code, removed.stderr).toBe(0);
      expect((await sc(['query', name])).code).not.toBe(0);
      expect(await regValue(`${EVENTLOG_KEY}\\${name}`, 'EventMessageFile')).toBeUndefined();
    }
    const result = await host(['/unregister']);
    expect(result.code, result.stderr).toBe(0);
    expect(await regValue('HKLM\\SOFTWARE\\NodeService', 'HostPath')).toBeUndefined();
    expect(await regValue(`${EVENTLOG_KEY}\\host`, 'EventMessageFile')).toBeUndefined();
  });
});
