/**
 * `npm run package`: dist/NodeService-<version>-x64.msi, the Windows Installer package of host.exe
 * (build/msi.ts says what is in it), built on Linux by Debian's `wixl` (package wixl, msitools).
 * host.exe is built first when stale, and must carry package.json's version in its version
 * resource: the MSI's ProductVersion and host.exe's FileVersion are one number.
 * The MSI is written under a temporary name and renamed, so a failed build leaves no half package.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as ResEdit from 'resedit';
import { build, isStale } from './build.ts';
import { hostWxs, msiFileName } from './msi.ts';
import { cache, dist, hostExe, root } from './paths.ts';

/** What `writeHostMsi` packs, and where. */
export interface HostMsiOptions {
  /** host.exe on the Linux side. */
  hostExe: string;
  /** The ProductVersion (package.json's version for a release). */
  version: string;
  /** The .msi to write. */
  out: string;
}

/** The ProductVersion string of an exe's version resource, or undefined when it has none. */
export function exeVersion(exePath: string): string | undefined {
  const exe = ResEdit.NtExecutable.from(fs.readFileSync(exePath), { ignoreCert: true });
  const [info] = ResEdit.Resource.VersionInfo.fromEntries(ResEdit.NtExecutableResource.from(exe).entries);
  return info
    ?.getAllLanguagesForStringValues()
    .map((lang) => info.getStringValues(lang).ProductVersion)
    .find(Boolean);
}

/** Writes the host package with wixl; throws with wixl's own words when it fails. */
export function writeHostMsi(options: HostMsiOptions): void {
  const work = path.join(cache, 'msi');
  fs.mkdirSync(work, { recursive: true });
  const wxs = path.join(work, `NodeService-${process.pid}.wxs`);
  // wixl finds a File's Source relative to the folder it runs in (or the .wxs file's).
  fs.writeFileSync(
    wxs,
    hostWxs({
      version: options.version,
      hostSource: path.basename(options.hostExe),
      description: 'NodeService host for Node.js Windows services',
    }),
  );
  const partial = `${options.out}.${process.pid}.partial`;
  try {
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    const result = spawnSync('wixl', ['--arch', 'x64', '--output', partial, wxs], { cwd: path.dirname(options.hostExe), encoding: 'utf8' });
    if (result.error) {
      const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(
        missing ? 'wixl is not installed: run .ci/setup.sh (Debian package wixl)' : `wixl could not start: ${result.error.message}`,
      );
    }
    if (result.status !== 0) throw new Error(`wixl failed (${result.status ?? result.signal}): ${(result.stderr || result.stdout).trim()}`);
    fs.renameSync(partial, options.out);
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(wxs, { force: true });
  }
}

/** Builds host.exe when stale, checks its version, writes dist/NodeService-<version>-x64.msi; returns its path. */
export async function packageHost(): Promise<string> {
  if (isStale()) await build();
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const carried = exeVersion(hostExe);
  if (carried !== version) {
    throw new Error(`${path.relative(root, hostExe)} says version ${carried ?? '(none)'} and package.json ${version}: run "npm run build"`);
  }
  const out = path.join(dist, msiFileName(version));
  writeHostMsi({ hostExe, version, out });
  return out;
}

if (import.meta.main) {
  try {
    const started = Date.now();
    const out = await packageHost();
    const size = (fs.statSync(out).size / 2 ** 20).toFixed(1);
    console.log(`packaged ${path.relative(root, out)} (${size} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(`package failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
