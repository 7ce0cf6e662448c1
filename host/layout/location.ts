/**
 * Where a service's code may be: inside the registered services folder (writable by administrators
 * only), or elsewhere when an administrator said so with `install --allow-outside`, which is
 * recorded as `Parameters\AllowOutside` (the service's key: only administrators and SYSTEM can write
 * it). Checked at install and update, and again at every start, since `Parameters\Module` can
 * change after install (issue 15, item 2). Also sets where the service's packages may come from.
 * @module
 */
import path from 'node:path';
import { confinePackages, isInsideFolder } from '../../runtime/loader/package-scope.ts';
import { readRegistration, type Registration, type ServiceParameters } from './registry-layout.ts';

/** True when `modulePath` is strictly inside the services folder. */
export function isInServicesFolder(modulePath: string, servicesDir: string): boolean {
  return (
    isInsideFolder(modulePath, servicesDir) &&
    path.win32.resolve(modulePath).toLowerCase() !== path.win32.resolve(servicesDir).toLowerCase()
  );
}

/** Refuses a module outside the services folder unless allowed, and says why. */
export function checkLocation(modulePath: string, registration: Registration, allowOutside: boolean | undefined): void {
  if (!isInServicesFolder(modulePath, registration.servicesDir) && !allowOutside) {
    throw new Error(
      `${modulePath} is outside the services folder ${registration.servicesDir}. Services run with the service account's rights, ` +
        'so their code belongs where only administrators can write: move it there, or pass --allow-outside if its folder is protected as well',
    );
  }
}

/** The folder whose node_modules a module's packages may come from: the services folder for a module in it, else its own folder. */
export function packageRootOf(modulePath: string, registration: Registration | undefined): string {
  return registration && isInServicesFolder(modulePath, registration.servicesDir) ? registration.servicesDir : path.dirname(modulePath);
}

/** Confines the packages of `modulePath` (see packageRootOf) before it is loaded. */
export function confineModule(modulePath: string, registration = readRegistration()): void {
  confinePackages(packageRootOf(modulePath, registration));
}

/**
 * At a service's start: throws, naming the path, when its module is outside the services folder
 * and no `--allow-outside` was recorded at install; then confines its packages.
 */
export function checkServiceModule(name: string, parameters: ServiceParameters, registration = readRegistration()): void {
  if (!registration)
    throw new Error(
      `this machine has no registered host, so the ${name} service cannot start: run "host.exe /register" (as administrator)`,
    );
  if (!isInServicesFolder(parameters.module, registration.servicesDir) && !parameters.allowOutside) {
    throw new Error(
      `the module ${parameters.module} of the ${name} service is outside the services folder ${registration.servicesDir}, and it was not installed with ` +
        `--allow-outside: refusing to run it (move it there, or run "host.exe update ${name} --module <path> --allow-outside" as administrator)`,
    );
  }
  confineModule(parameters.module, registration);
}
