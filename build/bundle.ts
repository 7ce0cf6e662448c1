/**
 * Step 1: esbuild bundles host/main.ts with the runtime and koffi into one CommonJS file, and the
 * programs host.exe runs only on some paths into others: the command line (host/cli/entry.ts,
 * loaded by host/command-line.ts), the service thread's (service-thread-entry.ts) and the status
 * notification thread's. The SEA (sea.ts) carries the first as its main script, the others and
 * koffi.node as assets.
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { appDir, koffiAddon, koffiPackage, root } from './paths.ts';
import { nodeVersion, type SeaContents } from './sea.ts';

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
      args.path === '@koromix/koffi-win32-x64' ? { path: args.path, namespace: 'koffi-addon' } : { path: args.path, external: true },
    );
    build.onLoad({ filter: /.*/, namespace: 'koffi-addon' }, () => ({
      contents: `module.exports = require(${JSON.stringify(path.join(root, 'runtime', 'win32', 'native-addon.ts'))}).loadKoffiAddon();`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * Keeps the command line out of host.exe's main script: host/command-line.ts imports it only
 * outside a SEA, and in host.exe evaluates the asset instead, so that import stays unresolved.
 */
const commandLineApartPlugin: esbuild.Plugin = {
  name: 'command-line-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/cli\/entry\.ts$/ }, (args) =>
      path.basename(args.importer) === 'command-line.ts' ? { path: args.path, external: true } : undefined,
    );
  },
};

/**
 * Bundles `entry` for Windows Node as one CommonJS file `outfile`, with koffi and its verified addon
 * loader, and writes koffi.node beside it (the loader's embedded copy). host.exe's bundle is one;
 * the benchmark's Windows-side probe, run by build/win32's node.exe, is another.
 */
export async function bundleForWindows(
  entry: string,
  outfile: string,
  define: Record<string, string> = {},
  banner?: string,
  plugins: esbuild.Plugin[] = [],
): Promise<void> {
  const addon = fs.readFileSync(koffiAddon);
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${nodeVersion.split('.')[0]}`,
    logLevel: 'warning',
    alias: { koffi: koffiPackage },
    plugins: [koffiAddonPlugin, ...plugins],
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
function threadBanner(file: string): string {
  return [
    '"use strict";',
    `var __filename = require("node:path").join(require("node:path").dirname(process.execPath), ${JSON.stringify(file)});`,
    'var __dirname = require("node:path").dirname(__filename);',
  ].join('\n');
}

/** The names host.exe's code asks node:sea's getAsset() for. */
export const ASSET_KOFFI = 'koffi.node';
export const ASSET_SERVICE_THREAD = 'service-thread.cjs';
export const ASSET_COMMAND_LINE = 'cli.cjs';
export const ASSET_STATUS_NOTIFY_THREAD = 'status-notify-thread.cjs';

/** Bundles the host and its service thread; returns what the SEA carries (build/sea.ts). */
export async function bundle(version: string): Promise<SeaContents> {
  fs.rmSync(appDir, { recursive: true, force: true });
  fs.mkdirSync(appDir, { recursive: true });
  // A service's thread evaluates a bundle of its own (host/scm/service-thread-entry.ts says why).
  const threadBundle = path.join(appDir, ASSET_SERVICE_THREAD);
  await bundleForWindows(path.join(root, 'host', 'scm', 'service-thread-entry.ts'), threadBundle, {}, threadBanner(ASSET_SERVICE_THREAD));
  // The status-notification thread too (host/cli/status-notify-thread.ts says why it is a thread).
  const notifyBundle = path.join(appDir, ASSET_STATUS_NOTIFY_THREAD);
  await bundleForWindows(
    path.join(root, 'host', 'cli', 'status-notify-thread.ts'),
    notifyBundle,
    {},
    threadBanner(ASSET_STATUS_NOTIFY_THREAD),
  );
  const define = { NODESERVICE_VERSION: JSON.stringify(version) };
  // The command line, evaluated by host/command-line.ts only when a command is run.
  const commandLine = path.join(appDir, ASSET_COMMAND_LINE);
  await bundleForWindows(path.join(root, 'host', 'cli', 'entry.ts'), commandLine, define);
  const main = path.join(appDir, bundleName);
  await bundleForWindows(path.join(root, 'host', 'main.ts'), main, define, undefined, [commandLineApartPlugin]);
  return {
    main,
    assets: {
      [ASSET_KOFFI]: koffiAddon,
      [ASSET_SERVICE_THREAD]: threadBundle,
      [ASSET_STATUS_NOTIFY_THREAD]: notifyBundle,
      [ASSET_COMMAND_LINE]: commandLine,
    },
  };
}
