/**
 * `npm run build` (and build.ps1): makes dist/host.exe from host/, runtime/ and koffi, offline.
 *   bundle (esbuild) → single executable (Node SEA, postject) → resources (resedit)
 * then the compiled samples (dist/examples) and the authors' types package (dist/package).
 * `--if-stale` skips the build when dist/host.exe is newer than every source file.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundle } from './bundle.ts';
import { hostExe, koffiAddon, root, sourceDirs, windowsNode } from './paths.ts';
import { writeResources } from './resources.ts';
import { compileMessageFile } from '../messages/compile.ts';
import { compileExamples } from './services.ts';
import { nodeVersion, packSea } from './sea.ts';
import { writeTypesPackage } from './types.ts';

interface PackageJson {
  version: string;
  description: string;
  license: string;
}

function checkPrerequisites(): void {
  if (process.version !== `v${nodeVersion}`) {
    throw new Error(
      `the build runs on Node ${nodeVersion} (this is ${process.version}): run it with "npm run build", which uses the Node from node_modules (npm ci installs it)`,
    );
  }
  for (const file of [koffiAddon, windowsNode]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run setup" to install the Windows packages`);
  }
}

function newestSource(): number {
  const times = [fs.statSync(path.join(root, 'package.json')).mtimeMs];
  for (const dir of sourceDirs.filter((candidate) => fs.existsSync(candidate))) {
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && !entry.parentPath.includes('node_modules')) {
        times.push(fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
      }
    }
  }
  return Math.max(...times);
}

/** True when dist/host.exe is missing or older than a source file. */
export function isStale(): boolean {
  return !fs.existsSync(hostExe) || fs.statSync(hostExe).mtimeMs < newestSource();
}

/** Builds dist/host.exe. */
export async function build(): Promise<void> {
  checkPrerequisites();
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
  const started = Date.now();
  await packSea(await bundle(pkg.version), hostExe);
  writeResources(
    hostExe,
    {
      version: pkg.version,
      description: 'NodeService host: runs Node.js services under the Windows Service Control Manager',
      productName: 'NodeService',
      originalFilename: path.basename(hostExe),
      copyright: `${pkg.license} licence`,
    },
    compileMessageFile(path.join(root, 'messages', 'host.mc')).tables,
  );
  await compileExamples();
  writeTypesPackage(pkg.version);
  const size = (fs.statSync(hostExe).size / 2 ** 20).toFixed(1);
  console.log(`built ${path.relative(root, hostExe)} (${size} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.main) {
  try {
    if (process.argv.includes('--if-stale') && !isStale()) {
      console.log(`${path.relative(root, hostExe)} is up to date`);
    } else {
      await build();
    }
  } catch (error) {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
