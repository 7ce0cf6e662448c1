/**
 * Finds koffi's Windows addon for host.exe and checks it before anything loads it.
 *
 * host.exe carries koffi.node inside its SEA archive. Windows can only load a DLL from a real
 * file, so the addon is used from one of two places, in this order:
 * 1. `koffi.node` beside host.exe (for machines where administrators pre-place it);
 * 2. a per-user cache, `%LOCALAPPDATA%\NodeService\native\<sha256>\koffi.node`, written from
 *    the embedded copy on first use.
 * Either file is loaded only if its SHA-256 equals the hash the build recorded, so a file
 * swapped in the cache or beside the exe is rewritten or refused, never loaded.
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Injected by the build (esbuild `define`): the SHA-256 of the koffi.node packed into host.exe. */
declare const KOFFI_ADDON_SHA256: string;

const ADDON_NAME = 'koffi.node';

let loaded: { file: string; exports: unknown } | undefined;

/** Loads the verified koffi addon once and returns its exports (what `require('koffi.node')` would). */
export function loadKoffiAddon(): unknown {
  if (loaded === undefined) {
    const file = locateAddon(KOFFI_ADDON_SHA256);
    loaded = { file, exports: dlopen(file) };
  }
  return loaded.exports;
}

/** The file the koffi addon was loaded from (loading it if needed). */
export function koffiAddonPath(): string {
  loadKoffiAddon();
  return loaded!.file;
}

function dlopen(file: string): unknown {
  const module = { exports: {} };
  process.dlopen(module, file);
  return module.exports;
}

function locateAddon(expected: string): string {
  const beside = path.join(path.dirname(process.execPath), ADDON_NAME);
  if (hasHash(beside, expected)) return beside;
  return extractToCache(expected);
}

function extractToCache(expected: string): string {
  const dir = path.join(localAppData(), 'NodeService', 'native', expected);
  const target = path.join(dir, ADDON_NAME);
  if (hasHash(target, expected)) return target;

  // The embedded copy sits beside the bundle inside the SEA archive (pkg's virtual file system).
  const embedded = fs.readFileSync(path.join(__dirname, ADDON_NAME));
  if (sha256(embedded) !== expected) {
    throw new Error(`the ${ADDON_NAME} embedded in ${process.execPath} does not match its recorded hash: the executable is damaged, reinstall it`);
  }
  fs.mkdirSync(dir, { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, embedded);
  try {
    fs.renameSync(temp, target);
  } catch (error) {
    // Another process may hold the cached copy loaded (Windows refuses to replace a mapped DLL);
    // that copy is fine if its hash is right, which the check below decides.
    fs.rmSync(temp, { force: true });
    if (!hasHash(target, expected)) throw error;
  }
  if (!hasHash(target, expected)) {
    throw new Error(`${target} changed while it was being written; refusing to load it`);
  }
  return target;
}

function localAppData(): string {
  return process.env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local');
}

function hasHash(file: string, expected: string): boolean {
  try {
    return sha256(fs.readFileSync(file)) === expected;
  } catch {
    return false;
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
