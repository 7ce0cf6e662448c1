/**
 * Step 1: esbuild bundles host/main.ts with the runtime and koffi into one CommonJS file, beside
 * a copy of koffi.node, ready for pkg. The service thread's smaller bundle (service-thread-entry.ts)
 * is made first and carried inside that file as a string.
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { appDir, cache, koffiAddon, koffiPackage, root } from './paths.ts';

/** The name of the bundle inside the SEA archive. */
export const bundleName = 'host.cjs';

/**
 * koffi picks its addon with `require('@koromix/koffi-<platform>-<arch>')`. host.exe only runs
 * on Windows x64: that one resolves to our verified loader, every other one stays an (unused)
 * external require.
 */
const koffiAddonPlugin: esbuild.Plugin = {
  name: 'koffi-addon',
  setup(build) {
    build.onResolve({ filter: /^@koromix\/koffi-/ }, (args) =>
      args.path === '@koromix/koffi-win32-x64'
        ? { path: args.path, namespace: 'koffi-addon' }
        : { path: args.path, external: true },
    );
    build.onLoad({ filter: /.*/, namespace: 'koffi-addon' }, () => ({
      contents: `module.exports = require(${JSON.stringify(path.join(root, 'runtime', 'win32', 'native-addon.ts'))}).loadKoffiAddon();`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * Bundles `entry` for Windows Node as one CommonJS file `outfile`, with koffi and its verified addon
 * loader, and writes koffi.node beside it (the loader's embedded copy). host.exe's bundle is one;
 * the benchmark's Windows-side probe, run by build/win32's node.exe, is another.
 */
export async function bundleForWindows(entry: string, outfile: string, define: Record<string, string> = {}, banner?: string): Promise<void> {
  const addon = fs.readFileSync(koffiAddon);
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    logLevel: 'warning',
    alias: { koffi: koffiPackage },
    plugins: [koffiAddonPlugin],
    ...(banner !== undefined && { banner: { js: banner } }),
    define: { ...define, KOFFI_ADDON_SHA256: JSON.stringify(createHash('sha256').update(addon).digest('hex')) },
  });
  fs.writeFileSync(path.join(path.dirname(outfile), 'koffi.node'), addon);
}

/**
 * An evaluated worker's `__filename` is "[worker eval]", and koffi makes a require function from
 * it (createRequire needs an absolute path): the thread's bundle names itself as a file beside
 * host.exe, which need not exist.
 */
const THREAD_BANNER = [
  '"use strict";',
  'var __filename = require("node:path").join(require("node:path").dirname(process.execPath), "service-thread.cjs");',
  'var __dirname = require("node:path").dirname(__filename);',
].join('\n');

/** Bundles the host for pkg; returns the folder holding package.json, the bundle and koffi.node. */
export async function bundle(version: string): Promise<string> {
  fs.rmSync(appDir, { recursive: true, force: true });
  fs.mkdirSync(appDir, { recursive: true });
  // A service's thread evaluates a bundle of its own (host/service-thread-entry.ts says why),
  // carried inside host.exe's bundle as a string.
  const threadBundle = path.join(cache, 'build', 'service-thread.cjs');
  await bundleForWindows(path.join(root, 'host', 'service-thread-entry.ts'), threadBundle, {}, THREAD_BANNER);
  const define = { NODESERVICE_VERSION: JSON.stringify(version), SERVICE_THREAD_SOURCE: JSON.stringify(fs.readFileSync(threadBundle, 'utf8')) };
  await bundleForWindows(path.join(root, 'host', 'main.ts'), path.join(appDir, bundleName), define);
  const manifest = { name: 'nodeservice-host', version, bin: bundleName, pkg: { assets: ['koffi.node'] } };
  fs.writeFileSync(path.join(appDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return appDir;
}
