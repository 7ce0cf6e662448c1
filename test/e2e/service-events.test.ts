/**
 * Issue 16, the service side, as far as Wine's SCM can show it: the controls a client can send
 * (ControlService takes PARAMCHANGE and the four NETBIND codes besides stop/pause/user codes;
 * Wine's services.exe refuses them with ERROR_INVALID_SERVICE_CONTROL unless the service accepts
 * them, as Windows does) reach the svc* methods, in order; isService/isDebugging in both modes;
 * the start reason is unknown under Wine (no QueryServiceDynamicInformation); a stop with a
 * plain Win32 exit code as `sc query` shows it. Session, power, device and time events are never
 * sent by Wine: the unit tests decode them from buffers built to the documented layouts.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileService, examplesOut } from '../../build/services.ts';
import { SERVICE_CONTROL_FAILED, SERVICE_START_FAILED, SERVICE_STARTED } from '../../runtime/eventlog/host-messages.ts';
import { underWine } from '../platform.ts';
import { host, loggedEvents, prefixDir, scQuery } from './wine.ts';
import { ok, waitForState } from './helpers.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\NodeService\\services';
const MODULE = `${SERVICES_DIR}\\events-service.js`;
const EVENTS_FILE = 'C:\\NodeService\\events.jsonl';
const DEBUG_EVENTS_FILE = 'C:\\NodeService\\debug-events.jsonl';

/** The lines the service recorded, parsed. */
function recorded(file = EVENTS_FILE): Record<string, unknown>[] {
  const local = prefixDir(...file.slice(3).split('\\'));
  if (!fs.existsSync(local)) return [];
  return fs
    .readFileSync(local, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('service events, run mode and Win32 exit codes under the SCM', () => {
  beforeAll(async () => {
    const dir = prefixDir('NodeService', 'services');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(dir, 'smallest-service.js'));
    await compileService(path.join(fixtures, 'events-service.ts'), path.join(dir, 'events-service.js'));
    for (const file of [EVENTS_FILE, DEBUG_EVENTS_FILE]) fs.rmSync(prefixDir(...file.slice(3).split('\\')), { force: true });
    await ok(['/register', '--services-dir', SERVICES_DIR, '--force']);
    // No failure actions: a test stops it with exit code 1231, which Windows' SCM would answer with
    // install's default restart (non-crash failures included) a second later.
    await ok(['install', MODULE, '--env', `EVENTS_FILE=${EVENTS_FILE}`, '--failure-actions', 'none']);
    await ok(['install', `${SERVICES_DIR}\\smallest-service.js`, '--name', 'EventsPlain']);
    // A class whose device interface declaration is not GUIDs: installed (install reads only the
    // names), refused at start with the reason.
    fs.writeFileSync(
      path.join(dir, 'bad-devices-service.js'),
      "const { ServiceFramework } = require('nodeservice');\nmodule.exports = class BadDevices extends ServiceFramework {\n  static svcName = 'EventsBadDevices';\n  static svcDeviceInterfaces = ['usb'];\n  async svcDoRun() {}\n};\n",
    );
    await ok(['install', `${SERVICES_DIR}\\bad-devices-service.js`]);
  });

  afterAll(async () => {
    for (const name of ['EventsTest', 'EventsPlain']) await host(['stop', name]);
    for (const name of ['EventsTest', 'EventsPlain', 'EventsBadDevices']) await host(['remove', name]);
    // The next file finds the shared prefix unregistered, as this one did (issue 17).
    await host(['/unregister']);
  });

  it('tells the service it runs as a service, from its top level on; the start reason (unknown under Wine)', async () => {
    expect(await ok(['start', 'EventsTest'])).toMatch(/^EventsTest {2}RUNNING/);
    await vi.waitFor(() => expect(recorded().map((line) => line.at)).toEqual(['load', 'run']), { timeout: 10_000, interval: 100 });
    const [load, run] = recorded();
    expect(load).toEqual({ at: 'load', isService: true, isDebugging: false });
    // Wine's advapi32 (8 and 10) has no QueryServiceDynamicInformation (GetProcAddress gives NULL): the reason stays unknown.
    // Windows answers it: `host start` is StartServiceW, SERVICE_START_REASON_DEMAND.
    const startReason = underWine ? null : ['demand'];
    expect(run).toEqual({ at: 'run', isService: true, isDebugging: false, startReason, args: [] });
  });

  it('accepts the controls its methods call for, and registers its device interface class without complaint', async () => {
    const status = JSON.parse(await ok(['status', 'EventsTest', '--json'])) as { accepts: string[] };
    expect(status.accepts.sort()).toEqual(['NETBINDCHANGE', 'PARAMCHANGE', 'POWEREVENT', 'SESSIONCHANGE', 'STOP', 'TIMECHANGE'].sort());
    const entries = loggedEvents().filter((event) => event.source === 'EventsTest');
    expect(entries.map((event) => event.id)).toContain(SERVICE_STARTED);
    // RegisterDeviceNotificationW(DEVICE_NOTIFY_SERVICE_HANDLE) on the status handle did not fail
    // (a run with WINEDEBUG=trace+service shows it reach sechost's I_ScRegisterDeviceNotification).
    expect(entries.filter((event) => event.id === SERVICE_CONTROL_FAILED)).toEqual([]);
  });

  it('delivers paramchange and the four netbind controls to their methods, in order', async () => {
    for (const control of ['paramchange', 'netbindadd', 'netbindremove', 'netbindenable', 'netbinddisable']) {
      expect(await ok(['control', 'EventsTest', control])).toMatch(/^EventsTest {2}RUNNING/);
    }
    await vi.waitFor(() => expect(recorded().length).toBe(7), { timeout: 10_000, interval: 100 });
    expect(
      recorded()
        .slice(2)
        .map((line) => line.at),
    ).toEqual(['svcParamChange', 'svcNetBindAdd', 'svcNetBindRemove', 'svcNetBindEnable', 'svcNetBindDisable']);
  });

  it('has the SCM refuse paramchange to a service without svcParamChange (it does not accept it)', async () => {
    expect(await ok(['start', 'EventsPlain'])).toMatch(/RUNNING/);
    const refused = await host(['control', 'EventsPlain', 'paramchange']);
    expect(refused.code, refused.stdout).toBe(1);
    // ERROR_INVALID_SERVICE_CONTROL
    expect(refused.stderr).toMatch(/ControlService: .*\(1052\)/);
    const usage = await host(['control', 'EventsPlain', 'timechange']);
    expect(usage.code).toBe(2);
  });

  it('stops with a plain Win32 exit code that sc query shows as such', async () => {
    await ok(['control', 'EventsTest', '201']);
    await waitForState('EventsTest', 'STOPPED', { polls: 100 });
    expect(await scQuery('EventsTest')).toMatchObject({ state: 'STOPPED', win32ExitCode: 1231, serviceExitCode: 0 });
    const status = JSON.parse(await ok(['status', 'EventsTest', '--json'])) as { win32ExitCode: number; serviceSpecificExitCode: number };
    expect(status).toMatchObject({ win32ExitCode: 1231, serviceSpecificExitCode: 0 });
    expect(await ok(['status', 'EventsTest'])).toMatch(/^EventsTest {2}STOPPED {2}exit code 1231$/m);
  });

  it('fails the start of a service whose svcDeviceInterfaces are not GUIDs, naming the mistake', async () => {
    const started = await host(['start', 'EventsBadDevices']);
    expect(started.code).toBe(1);
    await waitForState('EventsBadDevices', 'STOPPED', { polls: 100 });
    expect(await scQuery('EventsBadDevices')).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 2 });
    const failed = loggedEvents().filter((event) => event.source === 'EventsBadDevices' && event.id === SERVICE_START_FAILED);
    expect(failed.map((event) => event.strings)).toEqual([
      ['EventsBadDevices', 'static svcDeviceInterfaces of BadDevices: "usb" is not a GUID like \'{A5DCBF10-6530-11D2-901F-00C04FB951ED}\''],
    ]);
  });

  it('tells the service it is debugged under host.exe debug, and not a service', async () => {
    const result = await host(['debug', MODULE, '--', 'once'], { env: { EVENTS_FILE: DEBUG_EVENTS_FILE } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(recorded(DEBUG_EVENTS_FILE)).toEqual([
      { at: 'load', isService: false, isDebugging: true },
      { at: 'run', isService: false, isDebugging: true, startReason: null, args: ['once'] },
    ]);
  });
});
