/**
 * The host MSI (build/msi.ts) under Wine's msiexec, in a Wine prefix of its own: installing the
 * package registers the machine, which would change the registration the other test files share.
 * In order: a broken package; install, a service, a refused uninstall, the uninstall that leaves
 * nothing behind; then install again, a services folder chosen by hand with a service in it, an
 * upgrade that keeps both, a refused downgrade, and the uninstall after it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msiVersion, productCode } from '../../build/msi.ts';
import { packageHost, writeHostMsi } from '../../build/package.ts';
import { examplesOut } from '../../build/services.ts';
import { underWine } from '../platform.ts';
import { createMachine, runProgram, windowsPath, type RunResult, type TestMachine } from '../process.ts';
import { hostExe } from './wine.ts';
import { expectSucceeded, MsiExit } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const version = msiVersion((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
/** The next release: one minor version up. */
const nextVersion = version.replace(/^(\d+)\.(\d+)\.\d+$/, (_, major: string, minor: string) => `${major}.${Number(minor) + 1}.0`);

const INSTALLED_HOST = 'C:\\Program Files\\NodeService\\host.exe';
const SERVICES_DIR = 'C:\\Program Files\\NodeService\\services';
const NODESERVICE_KEY = 'HKLM\\SOFTWARE\\NodeService';
const UNINSTALL_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall';
const SOURCE_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\host';
const SERVICE = 'SmallestService';
const FLEET_DIR = 'C:\\Fleet\\services';
const { ERROR_INSTALL_FAILURE, ERROR_INSTALL_PACKAGE_INVALID, ERROR_FUNCTION_FAILED, ERROR_SUCCESS_REBOOT_REQUIRED } = MsiExit;

let machine: TestMachine;
let work: string;
let packages: { current: string; next: string; truncated: string };
/** The next release's host.exe: dist/host.exe with bytes appended after its image, so its hash differs and an upgrade must replace it. */
let nextExe: string;

function run(program: string, args: readonly string[], wineDebug?: string): Promise<RunResult> {
  return runProgram({ ...machine.env, ...(wineDebug ? { WINEDEBUG: wineDebug } : {}) }, program, args, 120_000);
}

/**
 * msiexec with a verbose log; the log's end is in the result for failure messages. `wineDebug`
 * traces msiexec and the custom actions it starts (their standard error is msiexec's).
 */
async function msiexec(action: '/i' | '/x', msi: string, wineDebug?: string): Promise<RunResult & { log: string }> {
  const log = path.join(work, `msiexec-${Date.now()}.log`);
  const result = await run('msiexec', [action, windowsPath(msi), '/qn', '/l*v', windowsPath(log)], wineDebug);
  const text = fs.existsSync(log) ? fs.readFileSync(log, 'latin1') : '(no log)';
  return { ...result, log: text.split('\n').slice(-40).join('\n') };
}

/** The installed host.exe, started by its Windows path (as the SCM does), not by a Z:\ path to the same file. */
async function installedHost(args: readonly string[]): Promise<RunResult> {
  return run(INSTALLED_HOST, args);
}

async function ok(args: readonly string[]): Promise<string> {
  const result = await installedHost(args);
  expectSucceeded(result, `host.exe ${args.join(' ')}`);
  return result.stdout;
}

/** The Linux path of a C:\ path in this file's prefix. */
function inPrefix(windows: string): string {
  return machine.cDrive(windows);
}

async function regValue(key: string, value: string): Promise<string | undefined> {
  const result = await run('reg', ['query', key, '/v', value]);
  if (result.code !== 0) return undefined;
  return new RegExp(`${value}\\s+REG_\\w+\\s+(.*)$`, 'm').exec(result.stdout)?.[1]?.trim();
}

async function keyExists(key: string): Promise<boolean> {
  return (await run('reg', ['query', key])).code === 0;
}

/** The products Programs and Features lists under the name NodeService, with their versions. */
async function installedProducts(): Promise<Record<string, string>> {
  const result = await run('reg', ['query', UNINSTALL_KEY, '/s']);
  const products: Record<string, string> = {};
  for (const block of result.stdout.split(/\n(?=HKEY_)/)) {
    const code = /Uninstall\\(\{[0-9A-F-]+\})/i.exec(block)?.[1];
    if (code && /DisplayName\s+REG_SZ\s+NodeService\s*$/m.test(block))
      products[code] = /DisplayVersion\s+REG_SZ\s+(\S+)/.exec(block)?.[1] ?? '';
  }
  return products;
}

/** What is left in a C:\ folder of the prefix, recursively ([] when it is gone). */
function leftovers(windows: string): string[] {
  const dir = inPrefix(windows);
  return fs.existsSync(dir) ? ['.', ...fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })].sort() : [];
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

// The host MSI is built by wixl (npm run package), a Linux tool: on Windows there is nothing to build it with.
describe.skipIf(!underWine)('the host MSI under Wine msiexec', () => {
  beforeAll(async () => {
    machine = createMachine();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-msi-'));
    packages = {
      // What `npm run package` makes: dist/NodeService-<package.json's version>-x64.msi.
      current: await packageHost(),
      next: path.join(work, `NodeService-${nextVersion}-x64.msi`),
      truncated: path.join(work, 'truncated.msi'),
    };
    expect(path.basename(packages.current)).toBe(`NodeService-${version}-x64.msi`);
    nextExe = path.join(work, 'next', 'host.exe');
    fs.mkdirSync(path.dirname(nextExe));
    fs.writeFileSync(nextExe, Buffer.concat([fs.readFileSync(hostExe), Buffer.from(`NodeService ${nextVersion} test release\n`)]));
    writeHostMsi({ hostExe: nextExe, version: nextVersion, out: packages.next });
    const whole = fs.readFileSync(packages.current);
    fs.writeFileSync(packages.truncated, whole.subarray(0, Math.floor(whole.length / 2)));
  });

  afterAll(() => {
    machine?.dispose();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('refuses a truncated package with an error code and installs nothing', async () => {
    const result = await msiexec('/i', packages.truncated);
    expect([ERROR_INSTALL_PACKAGE_INVALID, ERROR_FUNCTION_FAILED], result.log).toContain(result.code);
    expect(fs.existsSync(inPrefix(INSTALLED_HOST))).toBe(false);
    expect(await keyExists(NODESERVICE_KEY)).toBe(false);
    expect(await installedProducts()).toEqual({});
  });

  it('installs host.exe into Program Files\\NodeService silently and registers it', async () => {
    const result = await msiexec('/i', packages.current);
    expect(result.code, `${result.stdout}${result.stderr}\n${result.log}`).toBe(0);
    expect(sha256(inPrefix(INSTALLED_HOST))).toBe(sha256(hostExe));
    expect(await regValue(NODESERVICE_KEY, 'HostPath')).toBe(INSTALLED_HOST);
    expect(await regValue(NODESERVICE_KEY, 'ServicesDir')).toBe(SERVICES_DIR);
    expect(fs.existsSync(path.join(inPrefix(SERVICES_DIR), '.nodeservice-services'))).toBe(true);
    expect(await regValue(SOURCE_KEY, 'EventMessageFile')).toBe(INSTALLED_HOST);
    expect(await installedProducts()).toEqual({ [`{${productCode(version)}}`]: version });
    expect((await ok(['--version'])).split('\n')[0]).toBe(version);
  });

  it('runs a service installed with the installed host', async () => {
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(inPrefix(SERVICES_DIR), 'smallest-service.js'));
    await ok(['install', `${SERVICES_DIR}\\smallest-service.js`]);
    expect(await regValue(`HKLM\\SYSTEM\\CurrentControlSet\\Services\\${SERVICE}`, 'ImagePath')).toMatch(
      /^"C:\\Program Files\\NodeService\\host\.exe"/,
    );
    expect(await ok(['start', SERVICE])).toMatch(new RegExp(`^${SERVICE} {2}RUNNING`));
    expect(await ok(['stop', SERVICE])).toMatch(new RegExp(`^${SERVICE} {2}STOPPED`));
  });

  it('refuses to uninstall while a service uses the host, says why in the Event Log, and leaves host.exe, the registration and the service in place', async () => {
    // Wine's Event Log stores nothing: its eventlog channel shows the entry's text as ReportEventW got it.
    const result = await msiexec('/x', packages.current, '-all,+eventlog');
    expect([ERROR_INSTALL_FAILURE, ERROR_FUNCTION_FAILED], result.log).toContain(result.code);
    expect(result.stderr).toContain(`host.exe /unregister failed: 1 service(s) still use this host: ${SERVICE}`);
    const logged = result.stderr.split('\n').filter((line) => /:eventlog:ReportEventW L"/.test(line));
    expect(logged.join('\n')).toContain(`host.exe /unregister failed: 1 service(s) still use this host: ${SERVICE}`);
    expect(sha256(inPrefix(INSTALLED_HOST))).toBe(sha256(hostExe));
    expect(await regValue(NODESERVICE_KEY, 'HostPath')).toBe(INSTALLED_HOST);
    expect(await regValue(SOURCE_KEY, 'EventMessageFile')).toBe(INSTALLED_HOST);
    expect(await ok(['start', SERVICE])).toMatch(new RegExp(`^${SERVICE} {2}RUNNING`));
    expect(await ok(['stop', SERVICE])).toMatch(new RegExp(`^${SERVICE} {2}STOPPED`));
    // Wine's rollback of the uninstall unpublishes the product's Programs and Features entry
    // (Windows keeps it); the product is still installed: the uninstall below removes it.
    expect(await installedProducts()).toEqual({});
  });

  it('uninstalls silently once the services are removed, leaving nothing in Program Files or the registry', async () => {
    await ok(['remove', SERVICE]);
    fs.rmSync(path.join(inPrefix(SERVICES_DIR), 'smallest-service.js'));
    const result = await msiexec('/x', packages.current);
    expect(result.code, `${result.stdout}${result.stderr}\n${result.log}`).toBe(0);
    expect(leftovers('C:\\Program Files\\NodeService')).toEqual([]);
    expect(await keyExists(NODESERVICE_KEY)).toBe(false);
    expect(await keyExists(SOURCE_KEY)).toBe(false);
    expect(await installedProducts()).toEqual({});
  });

  it('upgrades in place to a newer package: one product, the registration, a services folder chosen by hand and its service kept', async () => {
    expect((await msiexec('/i', packages.current)).code).toBe(0);
    await ok(['/register', '--services-dir', FLEET_DIR]);
    // The folder the package's /register made held only its marker: moving the services away deletes it.
    expect(leftovers('C:\\Program Files\\NodeService')).toEqual(['.', 'host.exe']);
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(inPrefix(FLEET_DIR), 'smallest-service.js'));
    await ok(['install', `${FLEET_DIR}\\smallest-service.js`]);
    expect(await ok(['list'])).toContain(SERVICE);

    const result = await msiexec('/i', packages.next);
    expect(result.code, `${result.stdout}${result.stderr}\n${result.log}`).toBe(0);
    expect(await installedProducts()).toEqual({ [`{${productCode(nextVersion)}}`]: nextVersion });
    expect(sha256(inPrefix(INSTALLED_HOST))).toBe(sha256(nextExe));
    expect(await regValue(NODESERVICE_KEY, 'HostPath')).toBe(INSTALLED_HOST);
    expect(await regValue(NODESERVICE_KEY, 'ServicesDir')).toBe(FLEET_DIR);
    expect(await regValue(SOURCE_KEY, 'EventMessageFile')).toBe(INSTALLED_HOST);
    expect(await ok(['list'])).toContain(SERVICE);
    expect(await ok(['start', SERVICE])).toMatch(new RegExp(`^${SERVICE} {2}RUNNING`));
    expect(await ok(['stop', SERVICE])).toMatch(new RegExp(`^${SERVICE} {2}STOPPED`));
  });

  it('refuses a downgrade to the older package', async () => {
    const result = await msiexec('/i', packages.current);
    expect(result.code, result.log).toBe(ERROR_INSTALL_FAILURE);
    expect(await installedProducts()).toEqual({ [`{${productCode(nextVersion)}}`]: nextVersion });
    expect(await ok(['list'])).toContain(SERVICE);
  });

  /**
   * Wine's RemoveExistingProducts removes the old release without UPGRADINGPRODUCTCODE (it calls
   * MsiConfigureProductExW(…, " REMOVE=ALL")), so the old release's `/unregister` ran during the
   * upgrade: it refused (a service uses the host), which kept the registration, Wine ignored the
   * failure, and the old release's claim on host.exe's component stayed behind, so Wine's uninstall
   * of the new release leaves host.exe. Windows skips that `/unregister` and removes host.exe.
   */
  it("uninstalls the upgraded package: registration and product gone, the administrator's module kept", async () => {
    await ok(['remove', SERVICE]);
    const result = await msiexec('/x', packages.next);
    expect(result.code, `${result.stdout}${result.stderr}\n${result.log}`).toBe(0);
    expect(await keyExists(NODESERVICE_KEY)).toBe(false);
    expect(await keyExists(SOURCE_KEY)).toBe(false);
    expect(await installedProducts()).toEqual({});
    // The module an administrator put there is theirs: the folder stays with it, marker included.
    expect(leftovers(FLEET_DIR)).toEqual(['.', '.nodeservice-services', 'smallest-service.js']);
    expect(leftovers('C:\\Program Files\\NodeService')).toEqual(['.', 'host.exe']);
  });

  /**
   * A running service keeps host.exe open: Windows Installer cannot replace it, so it writes the new
   * one beside it and renames it at the next reboot (PendingFileRenameOperations; Windows exits
   * 3010, Wine 0), and the package's `/register` step runs the old host.exe until then (README).
   */
  it('cannot replace host.exe while a service runs: the new one waits for a reboot, the service runs on', async () => {
    expect((await msiexec('/i', packages.current)).code).toBe(0);
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(inPrefix(SERVICES_DIR), 'smallest-service.js'));
    await ok(['install', `${SERVICES_DIR}\\smallest-service.js`]);
    const running = await ok(['start', SERVICE]);
    expect(running).toMatch(new RegExp(`^${SERVICE} {2}RUNNING {2}pid \\d+`));
    const result = await msiexec('/i', packages.next);
    expect([0, ERROR_SUCCESS_REBOOT_REQUIRED], result.log).toContain(result.code);
    const pending = await run('reg', [
      'query',
      'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager',
      '/v',
      'PendingFileRenameOperations',
    ]);
    expect(pending.stdout).toMatch(
      /\\\?\?\\C:\\Program Files\\NodeService\\msi\w+\.tmp\\0\\\?\?\\C:\\Program Files\\NodeService\\host\.exe/i,
    );
    expect(sha256(inPrefix(INSTALLED_HOST))).toBe(sha256(hostExe));
    const waiting = fs.readdirSync(inPrefix('C:\\Program Files\\NodeService')).filter((name) => /^msi\w+\.tmp$/i.test(name));
    expect(waiting.map((name) => sha256(path.join(inPrefix('C:\\Program Files\\NodeService'), name)))).toEqual([sha256(nextExe)]);
    expect(await installedProducts()).toEqual({ [`{${productCode(nextVersion)}}`]: nextVersion });
    // The same process as before the upgrade: the same pid.
    expect((await ok(['status', SERVICE])).split('\n')[0]).toBe(running.trim());
    expect(await ok(['stop', SERVICE])).toMatch(new RegExp(`^${SERVICE} {2}STOPPED`));
  });
});
