import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ResEdit from 'resedit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeVersion } from '../../build/sea.ts';
import { underWine } from '../platform.ts';
import { expectSucceeded } from './helpers.ts';
import { host, hostExe, prefixDir, reg, runWindowsProgram, windowsPath } from './wine.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const packageVersion = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

interface Info {
  version: string;
  node: string;
  executable: string;
  pid: number;
  win32ProcessId: number;
  koffiAddon: string;
}

async function info(exe?: string): Promise<Info> {
  const result = await host(['info', '--json'], { exe });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Info;
}

/**
 * The mark `/register` leaves in %ProgramData%\NodeService: while it is there, host.exe loads the
 * machine copy of koffi.node instead of the per-user cache (runtime/win32/native-addon.ts).
 */
const registeredMarker = prefixDir('ProgramData', 'NodeService', 'registered');

/** The Linux path of a C:\ path inside the run's prefix. */
function prefixPath(windows: string): string {
  const match = /^C:\\(.*)$/i.exec(windows);
  if (!match) throw new Error(`not a C: path: ${windows}`);
  return prefixDir(...match[1]!.split('\\'));
}

describe('host.exe', () => {
  it('prints the package.json version, then the Node.js it carries', async () => {
    const result = await host(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${packageVersion}\nNode.js v${nodeVersion}\n`, stderr: '' });
  });

  it('lists its verbs in --help and refuses unknown ones with exit code 2', async () => {
    const help = await host(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: host\.exe <verb>/m);
    expect(help.stdout).toMatch(/^ {2}info +show the host version/m);
    expect(help.stdout).toMatch(/^ {2}install +install the service/m);

    const unknown = await host(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown verb 'frobnicate'");
  });

  it('carries a version resource with the package.json version', () => {
    const exe = ResEdit.NtExecutable.from(fs.readFileSync(hostExe), { ignoreCert: true });
    const [versionInfo] = ResEdit.Resource.VersionInfo.fromEntries(ResEdit.NtExecutableResource.from(exe).entries);
    expect(versionInfo).toBeDefined();
    const strings = versionInfo!.getStringValues({ lang: 1033, codepage: 1200 });
    expect(strings.ProductName).toBe('NodeService');
    expect(strings.ProductVersion).toBe(packageVersion);
    expect(strings.FileVersion).toBe(packageVersion);
    const [major, minor, patch] = packageVersion.split('.').map(Number);
    expect(versionInfo!.fixedInfo.fileVersionMS).toBe(((major! << 16) | minor!) >>> 0);
    expect(versionInfo!.fixedInfo.fileVersionLS >>> 16).toBe(patch);
  });

  it('calls Win32 through koffi: GetCurrentProcessId equals process.pid', async () => {
    const facts = await info();
    expect(facts.version).toBe(packageVersion);
    expect(facts.node).toBe(`v${nodeVersion}`);
    expect(facts.node).toMatch(/^v24\./);
    expect(facts.executable).toBe(windowsPath(hostExe));
    expect(facts.win32ProcessId).toBeGreaterThan(0);
    expect(facts.win32ProcessId).toBe(facts.pid);
  });

  describe('on a machine where /register has not run', () => {
    // What these tests see must not depend on an earlier file of the run having left its
    // registration in the shared prefix (issue 17): they set the machine copy's mark aside, and put
    // it back for whoever left it.
    const setAside = `${registeredMarker}.host-exe-test`;
    let moved = false;
    beforeAll(() => {
      moved = fs.existsSync(registeredMarker);
      if (moved) fs.renameSync(registeredMarker, setAside);
    });
    afterAll(() => {
      if (moved) fs.renameSync(setAside, registeredMarker);
    });

    it('loads koffi.node from the per-user cache only when its hash matches, rewriting a damaged copy', async () => {
      const { koffiAddon } = await info();
      expect(koffiAddon).toMatch(/\\AppData\\Local\\NodeService\\native\\[0-9a-f]{64}\\koffi\.node$/);
      const cached = prefixPath(koffiAddon);
      const expectedHash = path.basename(path.dirname(cached));
      const sha256 = () => createHash('sha256').update(fs.readFileSync(cached)).digest('hex');
      expect(sha256()).toBe(expectedHash);

      fs.writeFileSync(cached, 'not a DLL');
      const again = await info();
      expect(again.koffiAddon).toBe(koffiAddon);
      expect(sha256()).toBe(expectedHash);
    });

    it('prefers a koffi.node beside the exe when it is the right one, and ignores a wrong one', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-copy-'));
      try {
        const copy = path.join(dir, 'host.exe');
        fs.copyFileSync(hostExe, copy);
        const beside = path.join(dir, 'koffi.node');

        const cached = prefixPath((await info()).koffiAddon);
        fs.copyFileSync(cached, beside);
        expect((await info(copy)).koffiAddon).toBe(windowsPath(beside));

        fs.writeFileSync(beside, 'tampered');
        expect((await info(copy)).koffiAddon).toMatch(/\\AppData\\Local\\NodeService\\native\\/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('registers a renamed copy as an event source under its new name, and /unregister removes it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-renamed-'));
    const key = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\MyServices';
    try {
      const copy = path.join(dir, 'MyServices.exe');
      fs.copyFileSync(hostExe, copy);
      if (!underWine) {
        // /register refuses a host whose folder anyone but SYSTEM and Administrators can change, and
        // the user's %TEMP% is the runner user's (Wine keeps no ACLs): protect the copy's folder.
        const protect = ['/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F', '*S-1-5-11:(OI)(CI)RX', '/T'];
        expectSucceeded(await runWindowsProgram('icacls', [dir, ...protect]), `icacls ${dir}`);
        expectSucceeded(await runWindowsProgram('icacls', [dir, '/setowner', '*S-1-5-32-544', '/T']), 'icacls /setowner');
      }
      expect((await host(['/register', '--services-dir', 'C:\\Renamed\\services'], { exe: copy })).code).toBe(0);
      const source = await reg(['query', key, '/v', 'EventMessageFile']);
      expect(source.stdout).toContain(windowsPath(copy));
      expect((await host(['/unregister'], { exe: copy })).code).toBe(0);
      expect((await reg(['query', key])).code).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
