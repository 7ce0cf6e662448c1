/**
 * `/register` and `/unregister`: where this machine's host lives and where its services must be.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { hostSourceName } from '../runtime/eventlog/service-log.ts';
import { checkEventSourceFree, registerEventSource, removeEventSource } from '../runtime/eventlog/sources.ts';
import { getFileSecurity, setFileSecurity } from '../runtime/win32/advapi32/security.ts';
import { isWine } from '../runtime/win32/kernel32.ts';
import { installMachineAddon, machineFolder, retireMachineAddon } from '../runtime/win32/native-addon.ts';
import { isInsideFolder } from '../runtime/loader/package-scope.ts';
import { untrustedWriters } from './folder-security.ts';
import { requireAdministrator } from './admin.ts';
import {
  deleteRegistration,
  readRegistration,
  servicesUsingHost,
  writeRegistration,
  type Registration,
} from '../host/layout/registry-layout.ts';

/**
 * The services folder's security: owned by Administrators, full control for SYSTEM and
 * Administrators only, read and execute (FILE_GENERIC_READ | FILE_GENERIC_EXECUTE) for
 * authenticated users so service accounts can load modules, inherited by everything inside and
 * protected from the parent's ACEs. Services run as LocalSystem: whoever can write there could run
 * code as LocalSystem.
 */
export const SERVICES_DIR_SDDL = 'O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;AU)';

/** What the services folder's security becomes, in words (for --force and errors). */
const SERVICES_DIR_WORDS =
  'owner Administrators; full control for SYSTEM and Administrators, read and execute for authenticated users; inherited ACEs removed';

/** The file that marks a folder as a NodeService services folder (written by /register). */
export const SERVICES_DIR_MARKER = '.nodeservice-services';

/** How `register` may go about it. */
export interface RegisterOptions {
  /** Take an existing non-empty folder that is not a services folder yet (its security is replaced). */
  force?: boolean;
  /** Where to say what --force changes. */
  report?: (line: string) => void;
}

/**
 * Refuses a host whose own folder (or host.exe, or a koffi.node beside it) anyone but SYSTEM,
 * Administrators and TrustedInstaller can change: those files run as LocalSystem. Under Wine,
 * which keeps no ACLs and reports the Unix user as every file's owner, that user counts as trusted.
 */
function checkHostFolder(hostPath: string): void {
  const folder = path.dirname(hostPath);
  const wine = isWine();
  for (const file of [folder, hostPath, path.join(folder, 'koffi.node')]) {
    if (!fs.existsSync(file)) continue;
    const sddl = getFileSecurity(file);
    const owner = /^O:([^:()]+?)(?=[GDS]:)/.exec(sddl)?.[1];
    const writers = untrustedWriters(sddl, wine && owner ? [owner] : []);
    if (writers.length > 0) {
      const who = writers.map((writer) => (writer.why === 'owner' ? `${writer.sid} (its owner)` : writer.sid)).join(', ');
      throw new Error(
        `${file} can be changed by ${who}, not only by SYSTEM and administrators. host.exe and the koffi.node beside it run as LocalSystem: ` +
          'put host.exe in a folder only administrators can write (such as one under C:\\Program Files) and register it from there',
      );
    }
  }
}

/** Refuses an existing non-empty folder that is not a services folder already, unless forced (then says what changes). */
function checkServicesDir(servicesDir: string, options: RegisterOptions): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(servicesDir);
  } catch {
    return;
  }
  const current = readRegistration()?.servicesDir;
  const known =
    entries.includes(SERVICES_DIR_MARKER) ||
    (current !== undefined && isInsideFolder(servicesDir, current) && isInsideFolder(current, servicesDir));
  if (entries.length === 0 || known) return;
  if (!options.force) {
    throw new Error(
      `${servicesDir} is not empty and is not a NodeService services folder: /register would replace the security of it and of the ` +
        `${entries.length} entries in it (${SERVICES_DIR_WORDS}). Choose a new or empty folder, or pass --force to do it anyway`,
    );
  }
  options.report?.(`--force: replacing the security of ${servicesDir} and of the ${entries.length} entries in it: ${SERVICES_DIR_WORDS}`);
}

/**
 * Records `hostPath` and the services folder, creating the folder and making it writable by
 * administrators only, and registers the host as an event source. Without `servicesDir`, the
 * folder already registered stays (so registering again, as every MSI upgrade does, keeps where the
 * services are), else `services` beside the host. Everything is checked before anything is written.
 */
export function register(hostPath: string, servicesDir?: string, isAdmin?: () => boolean, options: RegisterOptions = {}): Registration {
  requireAdministrator('/register', isAdmin);
  const previous = readRegistration()?.servicesDir;
  const chosen = servicesDir ?? previous ?? path.join(path.dirname(hostPath), 'services');
  const registration = { hostPath, servicesDir: path.resolve(chosen) };
  checkEventSourceFree(hostSourceName(hostPath), 'Application', hostPath);
  checkHostFolder(hostPath);
  checkServicesDir(registration.servicesDir, options);
  fs.mkdirSync(registration.servicesDir, { recursive: true });
  setFileSecurity(registration.servicesDir, SERVICES_DIR_SDDL);
  // The machine copy of koffi.node: a folder only administrators and SYSTEM can write (issue 15, item 4).
  fs.mkdirSync(machineFolder(), { recursive: true });
  setFileSecurity(machineFolder(), SERVICES_DIR_SDDL);
  installMachineAddon();
  fs.writeFileSync(
    path.join(registration.servicesDir, SERVICES_DIR_MARKER),
    'This folder holds NodeService services (host.exe /register): only administrators may write here.\r\n',
  );
  writeRegistration(registration);
  registerEventSource({ name: hostSourceName(hostPath), messageFiles: [hostPath] });
  if (previous !== undefined && !isInsideFolder(previous, registration.servicesDir)) removeUnusedServicesDir(previous);
  return registration;
}

/** Removes what `register` wrote; refuses while services still run on this host. False if nothing was registered. */
export function unregister(isAdmin?: () => boolean): boolean {
  requireAdministrator('/unregister', isAdmin);
  const registration = readRegistration();
  if (!registration) return false;
  const users = servicesUsingHost(registration.hostPath);
  if (users.length > 0) {
    throw new Error(`${users.length} service(s) still use this host: ${users.join(', ')}. Remove them first ("host.exe remove <name>")`);
  }
  removeEventSource(hostSourceName(registration.hostPath), 'Application', { hostPath: registration.hostPath });
  retireMachineAddon();
  const deleted = deleteRegistration();
  removeUnusedServicesDir(registration.servicesDir);
  return deleted;
}

/**
 * Deletes a services folder when nothing but its marker is left (after `/unregister`, or when
 * `/register` moved the services elsewhere), so an uninstall leaves nothing behind; a folder that
 * still holds anything (modules of removed services, an administrator's files) stays as it is,
 * marker included.
 */
function removeUnusedServicesDir(servicesDir: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(servicesDir);
  } catch {
    return;
  }
  if (entries.length !== 1 || entries[0] !== SERVICES_DIR_MARKER) return;
  try {
    fs.rmSync(path.join(servicesDir, SERVICES_DIR_MARKER), { force: true });
    fs.rmdirSync(servicesDir);
  } catch {
    // Something appeared in it meanwhile, or it is in use: it stays, which is what a folder with files in it gets anyway.
  }
}
