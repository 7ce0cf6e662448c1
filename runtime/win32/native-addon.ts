/**
 * Finds koffi's Windows addon for host.exe, checks it, and loads exactly what was checked.
 *
 * host.exe carries koffi.node as an asset of its SEA blob. Windows can only load a DLL from a real
 * file, so the addon is used from one of these places, in this order:
 * 1. `koffi.node` beside host.exe (administrators may pre-place it; `/register` refuses a host
 *    whose folder anyone else can write);
 * 2. the machine copy, `%ProgramData%\NodeService\native\<sha256>\koffi.node`, which `/register`
 *    writes under a folder it gives a protected DACL (SYSTEM and Administrators write, others read
 *    and execute) and marks with a `registered` file; a service (LocalSystem) or an elevated
 *    administrator writes the copy there when it is missing or damaged; a standard user cannot;
 * 3. a per-user cache, `%LOCALAPPDATA%\NodeService\native\<sha256>\koffi.node`, for everyone
 *    else (a standard user running the CLI, or any process on an unregistered machine).
 *
 * Why it is shaped so (issue 15, item 4): checking a file by path and then loading it by path are
 * two opens, and whoever can write the folder between them chooses the code that runs. This module
 * runs before koffi exists, so it cannot call CreateFileW with a share mode that lets LoadLibrary in
 * but keeps writers out, nor load from a handle: Node's own `fs` and `process.dlopen` (LoadLibraryW
 * by path) are all it has. So the defence is where the file lives, not the handle:
 * - processes that matter (a service as LocalSystem, an elevated administrator) load from places
 *   only administrators and SYSTEM can write (1 or 2), where the window between check and load
 *   is open only to those who could replace host.exe itself;
 * - copies are written to a fresh temporary file (O_EXCL, a random name) and renamed into place,
 *   never rewritten in place. Hashing through a share-mode-0 handle (libuv's UV_FS_O_EXLOCK) was
 *   considered and left out: it cannot be held across process.dlopen, and it fails while another
 *   host.exe has the same copy loaded (a running service and the CLI), so it would buy nothing.
 * What remains: an elevated administrator on a machine where `/register` has never run uses the
 * per-user cache (that first `/register` included), which that user's unelevated processes can
 * write. SECURITY.md says so.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getAsset, isSea } from 'node:sea';

/** Injected by the build (esbuild `define`): the SHA-256 of the koffi.node packed into host.exe. */
declare const KOFFI_ADDON_SHA256: string;

const ADDON_NAME = 'koffi.node';
/** The file in the machine folder that says /register made it (and gave it its DACL). */
const REGISTERED_MARKER = 'registered';

let loaded: { file: string; exports: unknown } | undefined;

/**
 * In a service's thread: the file the main thread checked and loaded (koffiAddonPath). Loading a
 * DLL by the path of a module this process already has mapped hands back that module, so the thread
 * runs exactly what was checked, without hashing it again or reading host.exe's archive (which a
 * service's thread, an evaluated worker, has no access to: see host/scm/service-thread-entry.ts).
 */
let adopted: string | undefined;

/** For a service's thread, before koffi is first used: load the addon the main thread loaded from `file`. */
export function adoptKoffiAddon(file: string): void {
  if (loaded === undefined) adopted = file;
}

/** Loads the verified koffi addon once and returns its exports (what `require('koffi.node')` would). */
export function loadKoffiAddon(): unknown {
  if (loaded === undefined) {
    const file = adopted ?? locateAddon(KOFFI_ADDON_SHA256);
    loaded = { file, exports: dlopen(file) };
  }
  return loaded.exports;
}

/** The file the koffi addon was loaded from (loading it if needed). */
export function koffiAddonPath(): string {
  loadKoffiAddon();
  return loaded!.file;
}

/** `%ProgramData%\NodeService`: the machine folder `/register` protects (see the top of this file). */
export function machineFolder(): string {
  return path.join(process.env.ProgramData ?? process.env.PROGRAMDATA ?? 'C:\\ProgramData', 'NodeService');
}

/**
 * For `/register`, once `machineFolder()` has its protected DACL: drops whatever was below it
 * before, marks it registered and writes the machine copy of the addon. Returns the copy's path.
 */
export function installMachineAddon(): string {
  const native = path.join(machineFolder(), 'native');
  // Anything a user may have put there before the folder was protected goes; a copy this very
  // process has loaded cannot be deleted on Windows, and it is the right one (its hash was checked).
  for (const entry of fs.existsSync(native) ? fs.readdirSync(native) : []) {
    if (entry !== KOFFI_ADDON_SHA256) fs.rmSync(path.join(native, entry), { recursive: true, force: true });
  }
  fs.writeFileSync(
    path.join(machineFolder(), REGISTERED_MARKER),
    'Written by host.exe /register: this folder is writable by administrators only.\r\n',
  );
  return extractTo(path.join(native, KOFFI_ADDON_SHA256), KOFFI_ADDON_SHA256);
}

/** For `/unregister`: the machine copy is no longer used (it stays until nothing has it loaded). */
export function retireMachineAddon(): void {
  fs.rmSync(path.join(machineFolder(), REGISTERED_MARKER), { force: true });
}

function dlopen(file: string): unknown {
  const module = { exports: {} };
  process.dlopen(module, file);
  return module.exports;
}

function locateAddon(expected: string): string {
  const beside = path.join(path.dirname(process.execPath), ADDON_NAME);
  if (hasHash(beside, expected)) return beside;
  if (fs.existsSync(path.join(machineFolder(), REGISTERED_MARKER))) {
    const dir = path.join(machineFolder(), 'native', expected);
    const target = path.join(dir, ADDON_NAME);
    if (hasHash(target, expected)) return target;
    try {
      return extractTo(dir, expected);
    } catch (error) {
      // A standard user cannot write the machine folder: that is the point of it.
      if (!isAccessDenied(error)) throw error;
    }
  }
  const dir = path.join(localAppData(), 'NodeService', 'native', expected);
  const target = path.join(dir, ADDON_NAME);
  return hasHash(target, expected) ? target : extractTo(dir, expected);
}

function isAccessDenied(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'EPERM' || code === 'EACCES';
}

/** Writes the embedded addon into `dir` (a fresh temporary file, then renamed) and returns its path once its hash is right. */
function extractTo(dir: string, expected: string): string {
  const target = path.join(dir, ADDON_NAME);
  if (hasHash(target, expected)) return target;
  const embedded = embeddedAddon();
  if (sha256(embedded) !== expected) {
    throw new Error(
      `the ${ADDON_NAME} embedded in ${process.execPath} does not match its recorded hash: the executable is damaged, reinstall it`,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(temp, embedded, { flag: 'wx' });
  try {
    fs.renameSync(temp, target);
  } catch (error) {
    // Another process may hold the copy loaded (Windows refuses to replace a mapped DLL);
    // that copy is fine if its hash is right, which the check below decides.
    fs.rmSync(temp, { force: true });
    if (!hasHash(target, expected)) throw error;
  }
  if (!hasHash(target, expected)) {
    throw new Error(`${target} changed while it was being written; refusing to load it`);
  }
  return target;
}

/**
 * The addon inside host.exe, a SEA asset under its file name (build/bundle.ts); beside the bundle
 * when a plain node.exe runs one (the bench's probe).
 */
function embeddedAddon(): Buffer {
  return isSea() ? Buffer.from(getAsset(ADDON_NAME)) : fs.readFileSync(path.join(__dirname, ADDON_NAME));
}

function localAppData(): string {
  return process.env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local');
}

/** True when `file`'s SHA-256 is `expected`. */
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
