import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileService, examplesOut } from '../../build/services.ts';
import { underWine } from '../platform.ts';
import { host, loggedEvents, prefixDir, reg, regValue, runWindowsProgram, scQuery } from './wine.ts';
import { fails, ok, statusJson } from './helpers.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\NodeService\\services';
const SERVICES_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';
const SMALLEST = `${SERVICES_DIR}\\smallest-service.js`;

interface StatusJson {
  name: string;
  typeName: string;
  serviceType: number;
  controlsAccepted: number;
  stateName: string;
  currentState: number;
  accepts: string[];
  processId: number;
  win32ExitCode: number;
  checkPoint: number;
  waitHint: number;
  config: Record<string, unknown> & { failure: Record<string, unknown> };
  nodeService?: { module: string; environment: string[]; secrets: string[]; arguments: string[] };
}

describe('controlling services and installing them with every option', () => {
  beforeAll(async () => {
    const dir = prefixDir('NodeService', 'services');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(dir, 'smallest-service.js'));
    await compileService(path.join(fixtures, 'pausable-service.ts'), path.join(dir, 'pausable-service.mjs'));
    await compileService(path.join(fixtures, 'env-service.ts'), path.join(dir, 'env-service.js'));
    await ok(['/register', '--services-dir', SERVICES_DIR, '--force']);
    await ok(['install', SMALLEST, '--name', 'DepBase', '--display-name', 'Dependency base']);
    await ok(['install', SMALLEST, '--name', 'DepChild', '--display-name', 'Dependent child', '--depends', 'DepBase']);
    await ok(['install', `${SERVICES_DIR}\\pausable-service.mjs`]);
  });

  afterAll(async () => {
    for (const name of ['DepBase', 'DepChild', 'PausableTest', 'EnvTest']) await host(['remove', name]);
    await ok(['/unregister']);
  });

  it('start waits for RUNNING and status gives the typed status', async () => {
    expect(await ok(['start', 'DepBase'])).toMatch(/^DepBase {2}RUNNING {2}pid \d+\n$/);
    const running = await statusJson<StatusJson>('DepBase');
    expect(running).toMatchObject({
      name: 'DepBase',
      serviceType: 0x10,
      typeName: 'WIN32_OWN_PROCESS',
      currentState: 4,
      stateName: 'RUNNING',
      accepts: ['STOP'],
      win32ExitCode: 0,
      checkPoint: 0,
    });
    expect(running.processId).toBeGreaterThan(0);
    expect(running).toMatchObject({ controlsAccepted: 0x1 });
    expect(await ok(['status', 'DepBase'])).toMatch(/^ {2}Accepts: STOP\n {2}Display name: Dependency base$/m);
    expect((await scQuery('DepBase')).state).toBe('RUNNING');
  });

  it('refuses a second start and a stop of a stopped service, naming the service and the Win32 code', async () => {
    await fails(['start', 'DepBase'], /the DepBase service is already running \(1056\)/);
    await fails(['stop', 'DepChild'], /the DepChild service is not running \(1062\)/);
    await fails(['stop', 'NoSuchService'], /there is no service named 'NoSuchService' \(1060\)/);
    await fails(['status', 'NoSuchService'], /there is no service named 'NoSuchService' \(1060\)/);
    await fails(['restart', 'NoSuchService'], /\(1060\)/);
  });

  it('restart stops and starts again, in a new process', async () => {
    const before = await statusJson<StatusJson>('DepBase');
    expect(await ok(['restart', 'DepBase'])).toMatch(/^DepBase {2}RUNNING/);
    const after = await statusJson<StatusJson>('DepBase');
    expect(after.stateName).toBe('RUNNING');
    expect(after.processId).not.toBe(before.processId);
  });

  it('stop --with-dependents stops the dependent service first, then the one it depends on', async () => {
    await ok(['start', 'DepChild']);
    // Wine's SCM neither lists dependents nor refuses to stop DepBase under a running DepChild
    // (Windows does both); the control API finds DepChild in the SCM's database here.
    if (!underWine) await fails(['stop', 'DepBase'], /\(1051\)/);
    const output = await ok(['stop', 'DepBase', '--with-dependents']);
    expect(output).toBe('DepChild  STOPPED\nDepBase  STOPPED\n');
    expect((await scQuery('DepChild')).state).toBe('STOPPED');
    expect((await scQuery('DepBase')).state).toBe('STOPPED');
  });

  it('gives up waiting after --timeout with ERROR_SERVICE_REQUEST_TIMEOUT, and the wait can be resumed', async () => {
    // Started "stubborn", PausableTest ignores the stop until its svcStopTimeout (4 s) ends it.
    await ok(['start', 'PausableTest', 'stubborn']);
    await fails(
      ['stop', 'PausableTest', '--timeout', '1'],
      /the PausableTest service is still STOP_PENDING \(after 1000 ms\), not STOPPED \(1053\)/,
    );
    // Two outcomes, on Wine and on Windows alike, by timing: still STOP_PENDING, the SCM refuses another
    // stop with ERROR_SERVICE_CANNOT_ACCEPT_CTRL ("cannot accept controls now (1061)": what Wine 8 gave
    // in a run here); once its 4 s svcStopTimeout has ended it, STOPPED gives ERROR_SERVICE_NOT_ACTIVE
    // ("not running (1062)").
    await fails(['stop', 'PausableTest'], /cannot accept controls now|not running|\(1061\)|\(1062\)/);
    for (let i = 0; i < 50 && (await scQuery('PausableTest')).state !== 'STOPPED'; i++)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await scQuery('PausableTest')).state).toBe('STOPPED');
  });

  it('pause and continue go through the API and wait for their states', async () => {
    await ok(['start', 'PausableTest']);
    expect((await statusJson<StatusJson>('PausableTest')).accepts).toEqual(['STOP', 'PAUSE_CONTINUE']);
    expect(await ok(['pause', 'PausableTest'])).toMatch(/^PausableTest {2}PAUSED/);
    expect(await ok(['continue', 'PausableTest'])).toMatch(/^PausableTest {2}RUNNING/);
    // DepBase is STOPPED here and accepts no PAUSE. Wine 8's SCM looks at the state before the accepted
    // controls and answers ERROR_SERVICE_NOT_ACTIVE (1062, seen in a run here); an SCM that checks the
    // accepted controls first answers ERROR_INVALID_SERVICE_CONTROL (1052): Windows not verified here.
    await fails(['pause', 'DepBase'], /\(1062\)|\(1052\)/);
    await ok(['stop', 'PausableTest']);
  });

  it("list shows this host's services; list --all every service of the machine (EnumServicesStatusEx)", async () => {
    const ours = JSON.parse(await ok(['list', '--json'])) as { name: string; stateName: string; module: string }[];
    expect(ours.map((service) => service.name).sort()).toEqual(['DepBase', 'DepChild', 'PausableTest']);
    expect(ours.find((service) => service.name === 'DepBase')).toMatchObject({ stateName: 'STOPPED', module: SMALLEST });
    const all = JSON.parse(await ok(['list', '--all', '--json'])) as { name: string; displayName: string }[];
    expect(all.length).toBeGreaterThan(ours.length);
    expect(all).toContainEqual(expect.objectContaining({ name: 'DepChild', displayName: 'Dependent child' }));
    const active = JSON.parse(await ok(['list', '--all', '--state', 'active', '--json'])) as { name: string; stateName: string }[];
    expect(active.some((service) => service.name === 'DepBase')).toBe(false);
    expect(active.every((service) => service.stateName !== 'STOPPED')).toBe(true);
    await fails(['list', '--state', 'sleepy'], /--state must be one of all, active, inactive/, 2);
  });

  it('install writes every option, and getConfig (status) reads each back', async () => {
    await ok([
      'install',
      `${SERVICES_DIR}\\env-service.js`,
      '--startup',
      'delayed',
      '--description',
      'Environment test',
      '--depends',
      'DepBase,+TestGroup',
      '--group',
      'EnvGroup',
      '--error-control',
      'severe',
      '--username',
      'LocalService',
      '--failure-actions',
      'restart/5000,run/1000,reboot/60000',
      '--failure-reset',
      '3600',
      '--failure-command',
      'C:\\notify.cmd',
      '--reboot-message',
      'EnvTest failed',
      '--failure-non-crash',
      '--preshutdown-timeout',
      '45000',
      '--privileges',
      'SeChangeNotifyPrivilege,SeImpersonatePrivilege',
      '--sid-type',
      'restricted',
      '--env',
      'GREETING=hello world',
      '--env',
      'SECOND=2',
      '--arg',
      'alpha',
      '--arg',
      'beta gamma',
    ]);
    const { config, nodeService } = await statusJson<StatusJson>('EnvTest');
    expect(config).toMatchObject({
      displayName: 'NodeService environment test service',
      description: 'Environment test',
      startup: 'delayed',
      errorControl: 'severe',
      loadOrderGroup: 'EnvGroup',
      dependencies: ['DepBase'],
      groupDependencies: ['TestGroup'],
      account: 'NT AUTHORITY\\LocalService',
      failure: {
        resetPeriod: 3600,
        actions: [
          { type: 'restart', delay: 5000 },
          { type: 'run', delay: 1000 },
          { type: 'reboot', delay: 60000 },
        ],
        command: 'C:\\notify.cmd',
        rebootMessage: 'EnvTest failed',
        onNonCrashFailures: true,
      },
      preshutdownTimeout: 45000,
      requiredPrivileges: ['SeChangeNotifyPrivilege', 'SeImpersonatePrivilege'],
      sidType: 'restricted',
    });
    expect(nodeService).toMatchObject({ environment: ['GREETING', 'SECOND'], arguments: ['alpha', 'beta gamma'] });

    // Where Wine's SCM keeps a setting itself, it is in its own value; where it lacks the level
    // (QueryServiceConfig2W answers ERROR_INVALID_LEVEL for delayed start, failure actions, the
    // non-crash flag, SID type and required privileges; QueryServiceConfigW leaves out
    // dependencies), the documented value of the SCM's database is what getConfig read above.
    const key = `${SERVICES_KEY}\\EnvTest`;
    expect(await regValue(key, 'Start')).toBe('0x2');
    expect(await regValue(key, 'ErrorControl')).toBe('0x2');
    expect(await regValue(key, 'Group')).toBe('EnvGroup');
    expect(await regValue(key, 'ObjectName')).toBe('NT AUTHORITY\\LocalService');
    expect(await regValue(key, 'DependOnService')).toBe('DepBase');
    expect(await regValue(key, 'DependOnGroup')).toBe('TestGroup');
    expect(await regValue(key, 'PreshutdownTimeout')).toBe('0xafc8');
    expect(await regValue(key, 'DelayedAutostart')).toBe('0x1');
    expect(await regValue(key, 'FailureActionsOnNonCrashFailures')).toBe('0x1');
    expect(await regValue(key, 'ServiceSidType')).toBe('0x3');
    expect(await regValue(key, 'RequiredPrivileges')).toBe('SeChangeNotifyPrivilege\\0SeImpersonatePrivilege');
    expect(await regValue(key, 'FailureActions')).toBe(
      '100E000000000000000000000300000000000000010000008813000003000000E80300000200000060EA0000',
    );
    expect(await regValue(key, 'FailureCommand')).toBe('C:\\notify.cmd');
    expect(await regValue(`${key}\\Parameters`, 'Environment')).toBe('GREETING=hello world\\0SECOND=2');
    expect(await regValue(`${key}\\Parameters`, 'Arguments')).toBe('alpha\\0beta gamma');
  });

  it('update changes only what it is given', async () => {
    const before = (await statusJson<StatusJson>('EnvTest')).config;
    await ok(['update', 'EnvTest', '--description', 'Changed', '--failure-reset', '60', '--env', 'SECOND=', '--env', 'THIRD=3']);
    const after = await statusJson<StatusJson>('EnvTest');
    expect(after.config).toEqual({ ...before, description: 'Changed', failure: { ...before.failure, resetPeriod: 60 } });
    expect(after.nodeService).toMatchObject({ environment: ['GREETING', 'THIRD'], secrets: [], arguments: ['alpha', 'beta gamma'] });
  });

  it('--secret-env seals a variable with DPAPI: its value is nowhere in the registry in clear', async () => {
    const secret = 'sekrit-api-key';
    await ok(['update', 'EnvTest', '--secret-env', 'API_KEY'], { env: { API_KEY: secret } });
    expect((await statusJson<StatusJson>('EnvTest')).nodeService).toMatchObject({
      environment: ['GREETING', 'THIRD'],
      secrets: ['API_KEY'],
    });
    const dump = (await reg(['query', `${SERVICES_KEY}\\EnvTest`, '/s'])).stdout;
    expect(dump).toMatch(/\\Parameters\\Secrets\n\s+API_KEY\s+REG_BINARY\s+[0-9A-F]{64,}/);
    expect(dump).not.toContain('ProtectedEnvironment');
    const hex = (text: string, encoding: BufferEncoding) => Buffer.from(text, encoding).toString('hex').toUpperCase();
    for (const form of [secret, hex(secret, 'utf16le'), hex(secret, 'utf8')]) expect(dump).not.toContain(form);
    // Without the variable and without a console, it says where the value comes from (exit code 2).
    await fails(
      ['update', 'EnvTest', '--secret-env', 'OTHER_KEY'],
      /--secret-env OTHER_KEY takes its value from the variable OTHER_KEY of this console/,
      2,
    );
  });

  it('the host sets the variables before loading the module and passes stored arguments before start arguments', async () => {
    await ok(['update', 'EnvTest', '--startup', 'manual', '--depends', '']);
    await ok(['start', 'EnvTest', 'delta']);
    await ok(['stop', 'EnvTest']);
    const texts = loggedEvents()
      .filter((event) => event.source === 'EnvTest')
      .flatMap((event) => event.strings);
    expect(texts).toContain('GREETING=hello world SECOND=undefined API_KEY length=14 args=["alpha","beta gamma","delta"]');
  });

  it('accounts: a user account must exist, gets "Log on as a service", and its password (from NODESERVICE_PASSWORD) is stored nowhere by NodeService', async () => {
    const password = 'Pa55-never-logged';
    const user = `.\\${(await runWindowsProgram('cmd', ['/c', 'echo %USERNAME%'])).stdout.trim()}`;
    // Wine's LsaAddAccountRights is a stub that says so on the fixme channel: the grant is seen there.
    // On Windows the grant itself is not read back yet (LsaEnumerateAccountRights; README, "The suite on Windows").
    const result = await host(['update', 'EnvTest', '--username', user], {
      env: { NODESERVICE_PASSWORD: password },
      wineDebug: 'fixme+advapi',
    });
    expect(result.code, result.stderr).toBe(0);
    if (underWine) expect(result.stderr).toMatch(/fixme:advapi:LsaAddAccountRights \(/);
    expect(result.stdout + result.stderr).not.toContain(password);
    expect((await statusJson<StatusJson>('EnvTest')).config.account).toBe(user);
    for (const key of [`${SERVICES_KEY}\\EnvTest`, 'HKLM\\SOFTWARE\\NodeService']) {
      const dump = await reg(['query', key, '/s']);
      expect(dump.stdout).not.toContain(password);
    }
    const unknown = await host(['update', 'EnvTest', '--username', '.\\nosuchuser'], { env: { NODESERVICE_PASSWORD: password } });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("there is no account named '.\\nosuchuser' on this machine or its domain");
    expect((await statusJson<StatusJson>('EnvTest')).config.account).toBe(user);
    // Without a password and without a console, it says how to give one (exit code 2).
    const missing = await host(['update', 'EnvTest', '--username', user]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `${user} needs a password: set NODESERVICE_PASSWORD, pass --password, or run from a console to be asked`,
    );
  });

  it("accounts: a virtual account is NT SERVICE\\<the service's name>, with the service's own SID", async () => {
    await ok(['update', 'EnvTest', '--username', 'NT SERVICE\\EnvTest', '--sid-type', 'unrestricted']);
    const { config } = await statusJson<StatusJson>('EnvTest');
    expect(config).toMatchObject({ account: 'NT SERVICE\\EnvTest', sidType: 'unrestricted' });
    await fails(
      ['update', 'EnvTest', '--username', 'NT SERVICE\\Other'],
      /a virtual account is the service's own: use "NT SERVICE\\EnvTest"/,
    );
    await fails(['update', 'EnvTest', '--username', 'bob'], /'bob' is not an account form NodeService knows/, 2);
    await ok(['update', 'EnvTest', '--username', 'LocalSystem']);
    expect((await statusJson<StatusJson>('EnvTest')).config.account).toBe('LocalSystem');
  });
});
