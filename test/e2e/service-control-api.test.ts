import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForWindows } from '../../build/bundle.ts';
import { windowsNode } from '../../build/paths.ts';
import { compileService } from '../../build/services.ts';
import { host, loggedEvents, prefixDir, reg, regValue, runWindowsProgram, windowsPath } from './wine.ts';
import { fails, scKnows, succeeds } from './helpers.ts';
import { securityParts } from './security-descriptors.ts';
import { underWine } from '../platform.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\NodeService\\services';
const SERVICES_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';
const ENV_MODULE = `${SERVICES_DIR}\\env-service.js`;
const apiDir = prefixDir('NodeService', 'control-api');
const apiScript = path.join(apiDir, 'control-api.cjs');
/** Wine's trace of SDDL conversions (+security) and of its service security stubs (fixme+service). */
const SECURITY_TRACE = '-all,+security,fixme+service';

interface ApiAnswer {
  ok: boolean;
  result?: unknown;
  error?: string;
  code?: number;
}

let taskCount = 0;

/** Runs one task of fixtures/control-api.ts with Windows Node in the prefix. */
async function api(task: Record<string, unknown>): Promise<ApiAnswer> {
  const file = path.join(apiDir, `task-${taskCount++}.json`);
  fs.writeFileSync(file, JSON.stringify(task));
  const result = await runWindowsProgram(windowsNode, [windowsPath(apiScript), windowsPath(file)]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as ApiAnswer;
}

/** The SDDL strings Wine's +security trace shows handed to ConvertStringSecurityDescriptorToSecurityDescriptorW. */
function convertedSddl(trace: string): string[] {
  return [...trace.matchAll(/ConvertStringSecurityDescriptorToSecurityDescriptorW L"([^"]*)"/g)].map((match) => match[1]!);
}

/** The SECURITY_INFORMATION flags each SetServiceObjectSecurity call got (Wine's stub prints them on fixme). */
function setSecurityCalls(trace: string): number[] {
  return [...trace.matchAll(/fixme:service:SetServiceObjectSecurity \S+ (\d+) /g)].map((match) => Number(match[1]));
}

const CONTROL_ACE = (sid: string) => `(A;;LCRPWPDTLORC;;;${sid})`;
/** An ACE as securityParts spells it, whatever spelling Windows reads back (BU for S-1-5-32-545, rights in any order). */
const aceOf = (ace: string) => securityParts(`D:${ace}`).aces[0]!;

/**
 * On Windows, a service's owner and DACL as the SCM keeps them (`security --json`), in securityParts'
 * spelling: Wine keeps no service security (QueryServiceObjectSecurity answers `D:`), so there the
 * tests read the SDDL host.exe converts on the +security trace and its SetServiceObjectSecurity calls on fixme.
 */
async function serviceSecurity(name: string): Promise<ReturnType<typeof securityParts>> {
  const json = JSON.parse((await succeeds(['security', name, '--json'])).stdout) as { sddl: string; kept: boolean };
  expect(json.kept, json.sddl).toBe(true);
  return securityParts(json.sddl);
}
const WINDOWS_DEFAULT_DACL =
  'D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)';

describe('the control API creates, changes and deletes any service', () => {
  beforeAll(async () => {
    fs.mkdirSync(apiDir, { recursive: true });
    await bundleForWindows(path.join(fixtures, 'control-api.ts'), apiScript);
  });

  const definition = {
    name: 'ApiCreated',
    displayName: 'Created through the API',
    binaryPath: '"C:\\NodeService\\nothing here.exe" --flag',
    serviceType: 'WIN32_SHARE_PROCESS',
    startup: 'delayed',
    errorControl: 'severe',
    loadOrderGroup: 'ApiGroup',
    dependencies: ['ApiBase', '+ApiDeps'],
    account: 'NT AUTHORITY\\LocalService',
    password: '',
    description: 'made by the control API test',
    failure: {
      actions: [
        { type: 'restart', delay: 1000 },
        { type: 'run', delay: 2000 },
      ],
      resetPeriod: 3600,
      command: 'C:\\fix.cmd',
      rebootMessage: 'going down',
      onNonCrashFailures: true,
    },
    preshutdownTimeout: 120_000,
    requiredPrivileges: ['SeChangeNotifyPrivilege', 'SeCreateGlobalPrivilege'],
    sidType: 'restricted',
    triggers: [
      {
        action: 'start',
        type: 'firewallPortOpen',
        port: 5001,
        protocol: 'udp',
        executable: '%ProgramFiles%\\App\\app.exe',
        user: 'ApiCreated',
      },
      {
        action: 'stop',
        type: 'custom',
        provider: '{0063715B-EEDA-4007-9429-AD526F62696E}',
        data: [
          { type: 'level', value: 4 },
          { type: 'keywordAny', value: '0x8000000000000010' },
          { type: 'binary', value: '0aff' },
        ],
      },
    ],
  };

  it("create sets every CreateServiceW field and ChangeServiceConfig2W level, and the handle is the caller's to close", async () => {
    const answer = await api({ op: 'create', definition });
    expect(answer.ok, answer.error).toBe(true);
    const { config, afterClose } = answer.result as { config: Record<string, unknown>; afterClose: string };
    // What comes back is the definition, as the SCM keeps it: the type as its code and name, the
    // dependencies split into services and groups, the trigger's provider GUID in lower case without braces.
    const { password: _, dependencies: __, triggers, ...asGiven } = definition;
    expect(config).toEqual({
      ...asGiven,
      serviceType: 0x20,
      typeName: 'WIN32_SHARE_PROCESS',
      dependencies: ['ApiBase'],
      groupDependencies: ['ApiDeps'],
      triggers: [triggers[0], { ...triggers[1], provider: '0063715b-eeda-4007-9429-ad526f62696e' }],
    });
    expect(afterClose).toBe('the handle to the ApiCreated service is closed');
    // Wine 8 lacks most levels: they are in the SCM's database, where Windows keeps them too.
    expect(await regValue(`${SERVICES_KEY}\\ApiCreated`, 'ServiceSidType')).toBe('0x3');
    expect(await scKnows('ApiCreated')).toBe(true);
    // A second create of the name is refused by the SCM, and the first service is left as it was.
    const again = await api({ op: 'create', definition: { name: 'ApiCreated', binaryPath: 'C:\\other.exe', description: 'not this' } });
    expect(again).toMatchObject({ ok: false, code: 1073, error: "CreateServiceW: a service named 'ApiCreated' already exists (1073)" });
    expect((await api({ op: 'config', name: 'ApiCreated' })).result).toMatchObject({
      description: 'made by the control API test',
      binaryPath: definition.binaryPath,
    });
  });

  it('list --group keeps the services of one load-order group, as the SCM filters them', async () => {
    const inGroup = await host(['list', '--all', '--group', 'ApiGroup', '--json']);
    expect(inGroup.code, inGroup.stderr).toBe(0);
    expect((JSON.parse(inGroup.stdout) as { name: string }[]).map((service) => service.name)).toEqual(['ApiCreated']);
    const none = await host(['list', '--all', '--group', 'NoSuchGroup']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain('No services match.');
    // '' is the SCM's "in no group": never ApiCreated. (Windows lists the services without a group;
    // Wine 8 answers 1060 unless some service has an empty group, which list takes for none.)
    const ungrouped = await host(['list', '--all', '--group', '', '--json']);
    expect(ungrouped.code, ungrouped.stderr).toBe(0);
    expect((JSON.parse(ungrouped.stdout) as { name: string }[]).map((service) => service.name)).not.toContain('ApiCreated');
  });

  it('changeConfig changes every field given and nothing else', async () => {
    const change = {
      displayName: 'Changed through the API',
      binaryPath: 'C:\\NodeService\\other.exe',
      serviceType: 'WIN32_OWN_PROCESS',
      startup: 'disabled',
      errorControl: 'ignore',
      loadOrderGroup: 'OtherGroup',
      dependencies: ['OtherBase'],
      account: 'LocalSystem',
      password: '',
      description: 'changed',
      failure: { actions: [{ type: 'reboot', delay: 60_000 }], rebootMessage: 'again', onNonCrashFailures: false },
      preshutdownTimeout: 5000,
      requiredPrivileges: [],
      sidType: 'none',
      triggers: [{ action: 'start', type: 'groupPolicy', scope: 'machine' }],
    };
    const answer = await api({ op: 'change', name: 'ApiCreated', change });
    expect(answer.ok, answer.error).toBe(true);
    expect(answer.result).toEqual({
      name: 'ApiCreated',
      displayName: 'Changed through the API',
      description: 'changed',
      serviceType: 0x10,
      typeName: 'WIN32_OWN_PROCESS',
      startup: 'disabled',
      errorControl: 'ignore',
      binaryPath: 'C:\\NodeService\\other.exe',
      loadOrderGroup: 'OtherGroup',
      dependencies: ['OtherBase'],
      groupDependencies: [],
      account: 'LocalSystem',
      // The failure change is merged: the reset period and command stay.
      failure: {
        resetPeriod: 3600,
        actions: [{ type: 'reboot', delay: 60_000 }],
        command: 'C:\\fix.cmd',
        rebootMessage: 'again',
        onNonCrashFailures: false,
      },
      preshutdownTimeout: 5000,
      requiredPrivileges: [],
      sidType: 'none',
      triggers: [{ action: 'start', type: 'groupPolicy', scope: 'machine' }],
    });
    // A change of one level only leaves ChangeServiceConfigW uncalled: the rest stays.
    const only = await api({ op: 'change', name: 'ApiCreated', change: { startup: 'auto', description: 'once more' } });
    expect(only.ok, only.error).toBe(true);
    expect(only.result).toMatchObject({
      startup: 'auto',
      description: 'once more',
      displayName: 'Changed through the API',
      dependencies: ['OtherBase'],
      loadOrderGroup: 'OtherGroup',
      triggers: [{ type: 'groupPolicy' }],
    });
  });

  it('refuses a bad value before it changes anything', async () => {
    const answer = await api({ op: 'change', name: 'ApiCreated', change: { description: 'must not be set', startup: 'sometimes' } });
    expect(answer).toMatchObject({
      ok: false,
      error: expect.stringMatching(/startup must be one of boot, system, auto, manual, disabled/),
    });
    const badTrigger = await api({
      op: 'change',
      name: 'ApiCreated',
      change: { description: 'must not be set', triggers: [{ action: 'start', type: 'deviceInterfaceArrival', interfaceClass: 'disk' }] },
    });
    expect(badTrigger).toMatchObject({
      ok: false,
      error: 'triggers[0].interfaceClass must be a GUID like {4f27f2de-14e2-430b-a549-7cd48cbc8245} (not "disk")',
    });
    expect((await api({ op: 'config', name: 'ApiCreated' })).result).toMatchObject({ description: 'once more' });
  });

  it('delete removes it, and names a service that is not there', async () => {
    expect(await api({ op: 'delete', name: 'ApiCreated' })).toEqual({ ok: true, result: false });
    expect(await scKnows('ApiCreated')).toBe(false);
    expect(await api({ op: 'delete', name: 'ApiCreated' })).toMatchObject({
      ok: false,
      code: 1060,
      error: "OpenServiceW: there is no service named 'ApiCreated' (1060)",
    });
  });

  it('a create whose later step fails deletes the half-made service', async () => {
    // The SDDL parses (ZZ has the shape of a SID alias) but names no SID: the conversion fails after CreateServiceW.
    const answer = await api({
      op: 'create',
      definition: { name: 'ApiHalfMade', binaryPath: 'C:\\x.exe', description: 'set before the failure', security: 'D:(A;;RPWP;;;ZZ)' },
    });
    expect(answer).toMatchObject({
      ok: false,
      code: 1336,
      error: expect.stringMatching(/ConvertStringSecurityDescriptorToSecurityDescriptorW/),
    });
    expect(await api({ op: 'exists', name: 'ApiHalfMade' })).toEqual({ ok: true, result: false });
    expect(await scKnows('ApiHalfMade')).toBe(false);
    expect(await regValue(`${SERVICES_KEY}\\ApiHalfMade`, 'Description')).toBeUndefined();
  });
});

describe('restart, security and --allow-control through host.exe', () => {
  beforeAll(async () => {
    const dir = prefixDir('NodeService', 'services');
    fs.mkdirSync(dir, { recursive: true });
    await compileService(path.join(fixtures, 'env-service.ts'), path.join(dir, 'env-service.js'));
    await succeeds(['/register', '--services-dir', SERVICES_DIR, '--force']);
  });

  afterAll(async () => {
    for (const name of ['ApiEnv', 'ApiOps', 'ApiRefused', 'ApiOneConnection']) await host(['remove', name]);
    await host(['/unregister']);
  });

  it('restart passes its arguments to the service', async () => {
    await succeeds(['install', ENV_MODULE, '--name', 'ApiEnv', '--display-name', 'API restart test', '--arg', 'stored']);
    await succeeds(['start', 'ApiEnv']);
    expect((await succeeds(['restart', 'ApiEnv', 'first', 'second one'])).stdout).toMatch(/^ApiEnv {2}RUNNING {2}pid \d+\n$/);
    await succeeds(['stop', 'ApiEnv']);
    const texts = loggedEvents()
      .filter((event) => event.source === 'ApiEnv')
      .flatMap((event) => event.strings);
    expect(texts).toContain('GREETING=undefined SECOND=undefined API_KEY length=undefined args=["stored"]');
    expect(texts).toContain('GREETING=undefined SECOND=undefined API_KEY length=undefined args=["stored","first","second one"]');
  });

  it('install --allow-control resolves the group and sets a DACL adding it (Wine keeps none: seen on its trace)', async () => {
    const { stderr } = await succeeds(
      [
        'install',
        ENV_MODULE,
        '--name',
        'ApiOps',
        '--display-name',
        'API operators test',
        '--allow-control',
        'Users',
        '--allow-control',
        'S-1-5-21-7-8-9-1001',
      ],
      { wineDebug: SECURITY_TRACE },
    );
    if (underWine) {
      // Wine's SCM answered "D:" (no owner): the ACEs go on the DACL Windows gives a new service.
      expect(convertedSddl(stderr)).toContain(`${WINDOWS_DEFAULT_DACL}${CONTROL_ACE('S-1-5-32-545')}${CONTROL_ACE('S-1-5-21-7-8-9-1001')}`);
      expect(setSecurityCalls(stderr)).toEqual([4]);
    } else {
      const { aces } = await serviceSecurity('ApiOps');
      expect(aces).toEqual(expect.arrayContaining([aceOf(CONTROL_ACE('S-1-5-32-545')), aceOf(CONTROL_ACE('S-1-5-21-7-8-9-1001'))]));
    }
    expect(await scKnows('ApiOps')).toBe(true);
  });

  it('update --allow-control adds a group the same way; security shows what the SCM reports and says Wine keeps nothing', async () => {
    const { stderr } = await succeeds(['update', 'ApiOps', '--allow-control', 'Everyone'], { wineDebug: SECURITY_TRACE });
    if (underWine) {
      expect(convertedSddl(stderr)).toContain(`${WINDOWS_DEFAULT_DACL}${CONTROL_ACE('S-1-1-0')}`);
      expect(setSecurityCalls(stderr)).toEqual([4]);
    }
    const withEveryone = underWine ? undefined : await serviceSecurity('ApiOps');
    if (withEveryone) expect(withEveryone.aces).toContain(aceOf(CONTROL_ACE('S-1-1-0')));
    // Administrators (BA) have those rights already: no ACE is added for them.
    const again = await succeeds(['update', 'ApiOps', '--allow-control', 'Administrators'], { wineDebug: SECURITY_TRACE });
    if (underWine) {
      expect(convertedSddl(again.stderr)).toContain(WINDOWS_DEFAULT_DACL);
      expect(convertedSddl(again.stderr).join()).not.toContain('S-1-5-32-544');
      const shown = (await succeeds(['security', 'ApiOps'])).stdout;
      expect(shown).toContain('ApiOps  D:');
      expect(shown).toContain('it keeps no service security');
      const json = JSON.parse((await succeeds(['security', 'ApiOps', '--json'])).stdout) as {
        sddl: string;
        kept: boolean;
        aces: unknown[];
      };
      expect(json).toEqual({ name: 'ApiOps', sddl: 'D:', kept: false, aces: [] });
    } else {
      expect(await serviceSecurity('ApiOps')).toEqual(withEveryone);
    }
  });

  it('security --sddl sets the parts given; --allow-control adds to them', async () => {
    const sddl = 'O:BAD:(A;;GA;;;BA)(A;;LCRPWP;;;BU)';
    const set = await succeeds(['security', 'ApiOps', '--sddl', sddl], { wineDebug: SECURITY_TRACE });
    if (underWine) {
      expect(convertedSddl(set.stderr)).toContain(sddl);
      // OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION.
      expect(setSecurityCalls(set.stderr)).toEqual([5]);
    } else {
      // The SCM maps GA to the service rights it stands for, so only the owner and the BU ACE are compared.
      const kept = await serviceSecurity('ApiOps');
      expect(kept.owner).toBe('S-1-5-32-544');
      expect(kept.aces).toContain(aceOf('(A;;LCRPWP;;;BU)'));
    }
    const forced = await succeeds(['security', 'ApiOps', '--sddl', 'D:(A;;LCRPWP;;;BU)', '--force'], { wineDebug: SECURITY_TRACE });
    if (underWine) expect(setSecurityCalls(forced.stderr)).toEqual([4]);
    else expect((await serviceSecurity('ApiOps')).aces).toEqual([aceOf('(A;;LCRPWP;;;BU)')]);
    const allowed = await succeeds(['security', 'ApiOps', '--allow-control', 'S-1-5-32-545'], { wineDebug: SECURITY_TRACE });
    if (underWine) expect(convertedSddl(allowed.stderr)).toContain(`${WINDOWS_DEFAULT_DACL}${CONTROL_ACE('S-1-5-32-545')}`);
    else expect((await serviceSecurity('ApiOps')).aces).toEqual([aceOf('(A;;LCRPWP;;;BU)'), aceOf(CONTROL_ACE('S-1-5-32-545'))].sort());
  });

  it('refuses a malformed SID, an unknown name or SDDL before anything is set or created', async () => {
    // Nothing set: on Wine's fixme trace no SetServiceObjectSecurity call; on Windows the same DACL after.
    const before = underWine ? undefined : await serviceSecurity('ApiOps');
    let stderr = await fails(
      ['install', ENV_MODULE, '--name', 'ApiRefused', '--display-name', 'API refused', '--allow-control', 'S-1-5-32-'],
      /--allow-control 'S-1-5-32-' is not a well-formed SID/,
      2,
      { wineDebug: SECURITY_TRACE },
    );
    expect(setSecurityCalls(stderr)).toEqual([]);
    stderr = await fails(
      ['install', ENV_MODULE, '--name', 'ApiRefused', '--display-name', 'API refused', '--allow-control', 'NoSuchOperators'],
      /there is no account or group named 'NoSuchOperators'/,
      1,
      { wineDebug: SECURITY_TRACE },
    );
    expect(setSecurityCalls(stderr)).toEqual([]);
    expect(await scKnows('ApiRefused')).toBe(false);
    expect((await reg(['query', `${SERVICES_KEY}\\ApiRefused`])).code).not.toBe(0);
    stderr = await fails(
      ['update', 'ApiOps', '--allow-control', 'NoSuchOperators', '--description', 'not this'],
      /there is no account or group named 'NoSuchOperators'/,
      1,
      { wineDebug: SECURITY_TRACE },
    );
    expect(setSecurityCalls(stderr)).toEqual([]);
    expect(await regValue(`${SERVICES_KEY}\\ApiOps`, 'Description')).not.toBe('not this');
    stderr = await fails(['security', 'ApiOps', '--sddl', 'D:(A;;GA;;;BA'], /--sddl: the DACL \(D:\) has a '\(' with no '\)'/, 2, {
      wineDebug: SECURITY_TRACE,
    });
    expect(setSecurityCalls(stderr)).toEqual([]);
    await fails(['security', 'ApiOps', '--sddl', 'D:(A;;GA;;;BA)S:(AU;FA;GA;;;WD)'], /SACL/, 2);
    stderr = await fails(['security', 'ApiOps', '--sddl', 'D:(A;;LCRPWP;;;BU)'], /would leave Administrators unable to change it back/, 2, {
      wineDebug: SECURITY_TRACE,
    });
    expect(setSecurityCalls(stderr)).toEqual([]);
    await fails(['security', 'NoSuchService'], /there is no service named 'NoSuchService'/, 1);
    if (before) expect(await serviceSecurity('ApiOps')).toEqual(before);
  });

  // Wine's trace channels are what count the connections; Windows has none.
  it.skipIf(!underWine)("install, update and remove each open one SCM connection (Wine's +service trace)", async () => {
    const connections = (trace: string) => trace.split('\n').filter((line) => line.includes('trace:service:OpenSCManagerW')).length;
    const install = await succeeds(['install', ENV_MODULE, '--name', 'ApiOneConnection', '--display-name', 'API one connection'], {
      wineDebug: '-all,+service',
    });
    expect(connections(install.stderr)).toBe(1);
    const update = await succeeds(['update', 'ApiOneConnection', '--description', 'one connection', '--startup', 'auto'], {
      wineDebug: '-all,+service',
    });
    expect(connections(update.stderr)).toBe(1);
    await succeeds(['start', 'ApiOneConnection']);
    const remove = await succeeds(['remove', 'ApiOneConnection'], { wineDebug: '-all,+service' });
    expect(connections(remove.stderr)).toBe(1);
    expect(await scKnows('ApiOneConnection')).toBe(false);
  });
});
