/**
 * `/register` and `/unregister`: where this machine's host lives and where its services must be.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { requireAdministrator } from './admin.ts';
import { deleteRegistration, readRegistration, servicesUsingHost, writeRegistration, type Registration } from './layout.ts';

/** Records `hostPath` and the services folder (default: `services` beside the host), creating the folder. */
export function register(hostPath: string, servicesDir?: string, isAdmin?: () => boolean): Registration {
  requireAdministrator('/register', isAdmin);
  const registration = { hostPath, servicesDir: path.resolve(servicesDir ?? path.join(path.dirname(hostPath), 'services')) };
  fs.mkdirSync(registration.servicesDir, { recursive: true });
  writeRegistration(registration);
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
  return deleteRegistration();
}
