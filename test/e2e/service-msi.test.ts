/**
 * `host.exe package` under Wine: host.exe writes a service's MSI through Wine's msi.dll, and Wine's
 * msiexec installs, upgrades and removes it. In a Wine prefix of its own (like msi.test.ts): the
 * package needs a registered host, and the first test needs a machine with none.
 * In order: what package refuses; the package refused on an unregistered machine; install (an app
 * folder with a Unicode file and a Unicode service name) and the service running; an upgrade that
 * replaces files and options; a refused downgrade; a package whose `install` step fails (rolled
 * back, nothing left); a truncated package; the uninstall that leaves nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUpgradeCode } from '../../installer/service-msi.ts';
import { examplesOut } from '../../build/services.ts';
import { underWine } from '../platform.ts';
import { createMachine, runProgram, windowsPath, type RunResult, type TestMachine } from '../process.ts';
import { hostExe } from './wine.ts';
import { expectRefused, expectSucceeded, MsiExit, USAGE_ERROR } from './helpers.ts';

const HOST = 'C:\\NodeService\\host.exe';
const SERVICES_DIR = 'C:\\NodeService\\services';
const SERVICE = 'Smällest✓服务';
/** ASCII: reg.exe prints the Uninstall key in the console's code page. */
const DISPLAY = 'Smallest packaged service';
const SERVICE_DIR = `${SERVICES_DIR}\\${SERVICE}`;
const UNICODE_FILE = 'données ✓ 文件.txt';
const UNINSTALL_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall';
const { ERROR_INSTALL_FAILURE, ERROR_INSTALL_PACKAGE_INVALID, ERROR_FUNCTION_FAILED } = MsiExit;
const STATUS_ACCESS_VIOLATION = 0xc0000005;

let machine: TestMachine;
let work: string;

function run(program: string, args: readonly string[], wineDebug?: string): Promise<RunResult> {
  return runProgram({ ...machine.env, ...(wineDebug ? { WINEDEBUG: wineDebug } : {}) }, program, args, 180_000);
}

function host(args: readonly string[]): Promise<RunResult> {
  return run(HOST, args);
}

async function ok(args: readonly string[]): Promise<string> {
  const result = await host(args);
  expectSucceeded(result, `host.exe ${args.join(' ')}`);
  return result.stdout;
}

/** A msiexec log's text: UTF-16LE when it starts with that byte order mark (Windows Installer may write it so), else one byte a character. */
function logText(bytes: Buffer): string {
  return bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('latin1');
}

/** msiexec /qn with a verbose log: the whole of it (`fullLog`) and its end (`log`, for failure messages). */
async function msiexec(action: '/i' | '/x', msi: string): Promise<RunResult & { log: string; fullLog: string }> {
  const log = path.join(work, `msiexec-${Date.now()}.log`);
  const result = await run('msiexec', [action, windowsPath(msi), '/qn', '/l*v', windowsPath(log)]);
  const text = fs.existsSync(log) ? logText(fs.readFileSync(log)) : '(no log)';
  return { ...result, log: text.split('\n').slice(-40).join('\n'), fullLog: text };
}

function inPrefix(windows: string): string {
  return machine.cDrive(windows);
}

/** What is in a C:\ folder of the prefix, recursively ([] when it is gone). */
function leftovers(windows: string): string[] {
  const dir = inPrefix(windows);
  if (!fs.existsSync(dir)) return [];
  return ['.', ...fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => name.replaceAll('/', '\\'))].sort();
}

/** The versions Programs and Features lists for products named DISPLAY. */
async function installedVersions(): Promise<string[]> {
  const result = await run('reg', ['query', UNINSTALL_KEY, '/s']);
  return result.stdout
    .split(/\n(?=HKEY_)/)
    .filter((block) => block.includes(`DisplayName    REG_SZ    ${DISPLAY}`))
    .map((block) => /DisplayVersion\s+REG_SZ\s+(\S+)/.exec(block)?.[1] ?? '?');
}

async function serviceKnown(name: string): Promise<boolean> {
  return (await run('reg', ['query', `HKLM\\SYSTEM\\CurrentControlSet\\Services\\${name}`])).code === 0;
}

/** An app folder: the smallest sample as its entry, a Unicode-named file in a subfolder, and `extra` files. */
function appFolder(name: string, version: string, extra: Record<string, string> = {}): string {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(dir, 'smallest-service.js'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'smallest-app', version, main: 'smallest-service.js' }));
  fs.writeFileSync(path.join(dir, 'data', UNICODE_FILE), `version ${version}\n`);
  for (const [file, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

/** host.exe package of `dir` into work/<out>, with the given install options. */
async function packageApp(dir: string, out: string, options: readonly string[]): Promise<string> {
  const msi = path.join(work, out);
  await ok(['package', windowsPath(dir), '--name', SERVICE, '--display-name', DISPLAY, ...options, '--out', windowsPath(msi)]);
  return msi;
}

describe('host.exe package: a service MSI under Wine msiexec', () => {
  let v1: string;
  let v2: string;

  beforeAll(async () => {
    machine = createMachine();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-service-msi-'));
    fs.mkdirSync(path.dirname(inPrefix(HOST)), { recursive: true });
    fs.copyFileSync(hostExe, inPrefix(HOST));
    if (!underWine) {
      // /register wants a host folder only SYSTEM and Administrators can change; under C:\ a new
      // folder inherits Authenticated Users' modify right (Wine keeps no ACLs).
      const protect = await run('icacls', [
        'C:\\NodeService',
        '/inheritance:r',
        '/grant:r',
        '*S-1-5-18:(OI)(CI)F',
        '*S-1-5-32-544:(OI)(CI)F',
        '*S-1-5-11:(OI)(CI)RX',
        '/T',
      ]);
      expectSucceeded(protect, 'icacls C:\\NodeService');
      expectSucceeded(await run('icacls', ['C:\\NodeService', '/setowner', '*S-1-5-32-544', '/T']), 'icacls /setowner');
    }
  });

  afterAll(() => {
    machine?.dispose();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('refuses what install refuses, with the same message, and what a package cannot carry', async () => {
    const app = appFolder('refused', '1.0.0');
    const out = windowsPath(path.join(work, 'refused.msi'));
    const missing = windowsPath(path.join(work, 'nothing-here.js'));
    const viaInstall = await host(['install', missing, '--startup', 'sometimes']);
    const viaPackage = await host(['package', missing, '--startup', 'sometimes', '--out', out]);
    expectRefused(viaPackage, USAGE_ERROR, "--startup must be one of manual, auto, delayed, disabled (not 'sometimes')");
    expect(viaPackage.stderr.split('\n')[0]!.replace('package', 'install')).toBe(viaInstall.stderr.split('\n')[0]);
    expectRefused(await host(['package', missing, '--out', out]), USAGE_ERROR, /module not found: .*nothing-here\.js/);
    expectRefused(
      await host(['package', windowsPath(app), '--username', 'LocalService', '--password', 'x', '--out', out]),
      USAGE_ERROR,
      'LocalService has no password: leave out --password',
    );
    expectRefused(await host(['package', windowsPath(app), '--secret-env', 'TOKEN', '--out', out]), USAGE_ERROR, /cannot carry secret/);
    expectRefused(
      await host(['package', windowsPath(app), '--username', 'CORP\\svc', '--out', out]),
      USAGE_ERROR,
      /cannot carry a password/,
    );
    expectRefused(await host(['package', windowsPath(app)]), USAGE_ERROR, '--out FILE.msi is required');
    expectRefused(
      await host(['package', windowsPath(app), '--product-version', '1.0.0-beta', '--out', out]),
      USAGE_ERROR,
      /major\.minor\.patch/,
    );
    fs.writeFileSync(path.join(work, 'refused.msi'), 'not mine');
    expectRefused(await host(['package', windowsPath(app), '--out', out]), USAGE_ERROR, /already exists: pass --force/);
    expect(fs.readFileSync(path.join(work, 'refused.msi'), 'utf8')).toBe('not mine');
    await ok(['package', windowsPath(app), '--out', out, '--force']);
    expect(fs.readFileSync(path.join(work, 'refused.msi')).subarray(0, 8).toString('hex')).toBe('d0cf11e0a1b11ae1');
    expect(fs.readdirSync(work).filter((name) => name.includes('.partial'))).toEqual([]);
  });

  it('is refused by msiexec on a machine without a registered host, installing nothing', async () => {
    v1 = await packageApp(appFolder('app-v1', '1.0.0', { 'old.txt': 'only in 1.0.0' }), 'v1.msi', [
      '--startup',
      'auto',
      '--description',
      'first',
    ]);
    const result = await msiexec('/i', v1);
    expect(result.code, result.log).toBe(ERROR_INSTALL_FAILURE);
    // The launch condition failed (Wine logs its return value as 0, Windows as 3, with LAUNCH_MESSAGES.unregistered).
    expect(result.fullLog).toMatch(/LaunchConditions\. Return value [03]\./);
    expect(result.fullLog).not.toMatch(/Action start [\d:]+: InstallFiles\./);
    expect(await installedVersions()).toEqual([]);
    expect(await serviceKnown(SERVICE)).toBe(false);
  });

  it('installs the files into the services folder and the service with the options given, which then runs', async () => {
    await ok(['/register']);
    const result = await msiexec('/i', v1);
    expect(result.code, `${result.stdout}${result.stderr}\n${result.log}`).toBe(0);
    expect(leftovers(SERVICE_DIR)).toEqual(['.', 'data', `data\\${UNICODE_FILE}`, 'old.txt', 'package.json', 'smallest-service.js'].sort());
    expect(fs.readFileSync(path.join(inPrefix(SERVICE_DIR), 'data', UNICODE_FILE), 'utf8')).toBe('version 1.0.0\n');
    expect(await installedVersions()).toEqual(['1.0.0']);
    const status = await ok(['status', SERVICE]);
    expect(status).toContain('Startup: auto');
    expect(status).toContain('Description: first');
    expect(status).toContain(`Module: ${SERVICE_DIR}\\smallest-service.js`);
    const started = await host(['start', SERVICE]);
    // Wine's SCM may already have started an auto-start service: either way it runs now.
    expect(`${started.stdout}${started.stderr}`).toMatch(/RUNNING|already running/);
    expect(await ok(['status', SERVICE])).toMatch(/ {2}RUNNING/);
  });

  it('upgrades in place: the running service stopped, the files and options replaced, one product', async () => {
    v2 = await packageApp(appFolder('app-v2', '1.1.0', { 'new.txt': 'only in 1.1.0' }), 'v2.msi', ['--description', 'second']);
    const result = await msiexec('/i', v2);
    expect(result.code, `${result.stdout}${result.stderr}\n${result.log}`).toBe(0);
    expect(await installedVersions()).toEqual(['1.1.0']);
    expect(leftovers(SERVICE_DIR)).toEqual(['.', 'data', `data\\${UNICODE_FILE}`, 'new.txt', 'package.json', 'smallest-service.js'].sort());
    expect(fs.readFileSync(path.join(inPrefix(SERVICE_DIR), 'data', UNICODE_FILE), 'utf8')).toBe('version 1.1.0\n');
    const status = await ok(['status', SERVICE]);
    expect(status).toContain('Startup: manual');
    expect(status).toContain('Description: second');
    expect(await ok(['start', SERVICE])).toMatch(/ {2}RUNNING/);
  });

  it('refuses the older package over the newer one, leaving the newer in place', async () => {
    const result = await msiexec('/i', v1);
    expect(result.code, result.log).toBe(ERROR_INSTALL_FAILURE);
    expect(await installedVersions()).toEqual(['1.1.0']);
    expect(await ok(['status', SERVICE])).toContain('Description: second');
  });

  it('rolls back a package whose install step fails: the log names the step, its files are gone', async () => {
    // A second service package whose service name is taken: host.exe install refuses, msiexec rolls back.
    const clash = path.join(work, 'clash.msi');
    const other = appFolder('clash', '1.0.0');
    await ok(['package', windowsPath(other), '--name', 'RpcSs', '--out', windowsPath(clash)]);
    await ok(['stop', SERVICE]);
    const result = await msiexec('/i', clash);
    expect([ERROR_INSTALL_FAILURE, ERROR_FUNCTION_FAILED], result.log).toContain(result.code);
    // Wine 8's msiexec passed the custom action's stderr on ("host.exe install failed: a service named
    // 'RpcSs' already exists"); Wine 10's passes nothing, as Windows' msiexec /qn shows nothing: the log says which step failed.
    expect(result.fullLog).toMatch(/InstallService\. Return value [03]\./);
    expect(leftovers(`${SERVICES_DIR}\\RpcSs`)).toEqual([]);
    // No rollback removed the service that was there before (the rollback of InstallService runs only after it succeeded).
    expect(await serviceKnown('RpcSs')).toBe(true);
    expect(await ok(['status', SERVICE])).toContain('Description: second');
  });

  it('refuses a truncated package with an error code and installs nothing', async () => {
    const whole = fs.readFileSync(v1);
    const truncated = path.join(work, 'truncated.msi');
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const result = await msiexec('/i', truncated);
    // Windows answers 1620; Wine 8's msiexec dies with an access violation on this one (the host
    // package cut the same way gets 1620/1627, see msi.test.ts): a failure either way, nothing installed.
    expect([ERROR_INSTALL_PACKAGE_INVALID, ERROR_FUNCTION_FAILED, STATUS_ACCESS_VIOLATION], result.log).toContain(result.code);
    expect(await installedVersions()).toEqual(['1.1.0']);
  });

  it('uninstalls: the running service stopped and removed, its files and folder gone, no product left', async () => {
    expect(await ok(['start', SERVICE])).toMatch(/ {2}RUNNING/);
    const result = await msiexec('/x', v2);
    expect(result.code, `${result.stdout}${result.stderr}\n${result.log}`).toBe(0);
    expect(await serviceKnown(SERVICE)).toBe(false);
    expect(leftovers(SERVICE_DIR)).toEqual([]);
    expect(leftovers(SERVICES_DIR)).toEqual(['.', '.nodeservice-services']);
    expect(await installedVersions()).toEqual([]);
    expect(serviceUpgradeCode(SERVICE)).toBe(serviceUpgradeCode(SERVICE.toUpperCase()));
    // What the uninstall runs, on a service that is gone: nothing to do, exit 0; without the flag, a failure.
    expect(await ok(['remove', SERVICE, '--missing-ok'])).toContain('nothing to remove');
    expectRefused(await host(['remove', SERVICE]), 1, `there is no service named '${SERVICE}'`);
  });
});
