/**
 * `/register` and `/unregister`: where this machine's host lives and where its services must be.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { hostSourceName } from '../runtime/eventlog/servicemanager.ts';
import { addEventSource, checkEventSourceFree, removeEventSource } from '../runtime/eventlog/sources.ts';
import { setFileSecurity } from '../runtime/win32/advapi32/security.ts';
import { requireAdministrator } from './admin.ts';
import { deleteRegistration, readRegistration, servicesUsingHost, writeRegistration, type Registration } from './layout.ts';

/**
 * The services folder's security: owned by Administrators, full control for SYSTEM and
 * Administrators only, read and execute (FILE_GENERIC_READ | FILE_GENERIC_EXECUTE) for
 * authenticated users so service accounts can load modules, inherited by everything inside and
 * protected from the parent's ACEs. Services run as LocalSystem: whoever can write there could run
 * code as LocalSystem.
 */
export const SERVICES_DIR_SDDL = 'O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;AU)';

/**
 * Records `hostPath` and the services folder (default: `services` beside the host), creating the
 * folder and making it writable by administrators only, and registers the host as an event source.
 */
export function register(hostPath: string, servicesDir?: string, isAdmin?: () => boolean): Registration {
  requireAdministrator('/register', isAdmin);
  const registration = { hostPath, servicesDir: path.resolve(servicesDir ?? path.join(path.dirname(hostPath), 'services')) };
  checkEventSourceFree(hostSourceName(hostPath), 'Application', hostPath);
  fs.mkdirSync(registration.servicesDir, { recursive: true });
  setFileSecurity(registration.servicesDir, SERVICES_DIR_SDDL);
  writeRegistration(registration);
  addEventSource(hostSourceName(hostPath), [hostPath]);
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
  removeEventSource(hostSourceName(registration.hostPath), 'Application', registration.hostPath);
  return deleteRegistration();
}
