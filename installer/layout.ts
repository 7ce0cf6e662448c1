/**
 * What NodeService keeps in the registry, the single source of truth at start-up:
 * - `HKLM\SOFTWARE\NodeService`: `HostPath` and `ServicesDir`, written by `/register`;
 * - `HKLM\SYSTEM\CurrentControlSet\Services\<name>\Parameters`: `Module` and `Export`, written by `install`.
 * @module
 */
import { RegistryKey, withKey } from '../runtime/system/registry.ts';

/** The host's key under HKLM. */
export const NODESERVICE_KEY = 'SOFTWARE\\NodeService';
const SERVICES_KEY = 'SYSTEM\\CurrentControlSet\\Services';

/** Where the registered host lives and where services must be. */
export interface Registration {
  hostPath: string;
  servicesDir: string;
}

/** Which module and export implement a service. */
export interface ServiceParameters {
  module: string;
  exportName: string;
  /** The message DLL `install --messages` compiled for the service (deleted with it). */
  messageDll?: string;
}

/** The SCM's key of a service. */
export function serviceKeyPath(name: string): string {
  return `${SERVICES_KEY}\\${name}`;
}

function parametersKeyPath(name: string): string {
  return `${serviceKeyPath(name)}\\Parameters`;
}

/** The registration, or undefined when `/register` has not run. */
export function readRegistration(): Registration | undefined {
  return withKey(NODESERVICE_KEY, (key) => {
    const hostPath = key.getString('HostPath');
    const servicesDir = key.getString('ServicesDir');
    return hostPath && servicesDir ? { hostPath, servicesDir } : undefined;
  });
}

/** Writes the registration. */
export function writeRegistration(registration: Registration): void {
  const key = RegistryKey.create(NODESERVICE_KEY);
  try {
    key.setString('HostPath', registration.hostPath);
    key.setString('ServicesDir', registration.servicesDir);
  } finally {
    key.close();
  }
}

/** Removes the registration; false if there was none. */
export function deleteRegistration(): boolean {
  return RegistryKey.deleteTree(NODESERVICE_KEY);
}

/** A service's parameters, or undefined when it is not a NodeService service. */
export function readServiceParameters(name: string): ServiceParameters | undefined {
  return withKey(parametersKeyPath(name), (key) => {
    const module = key.getString('Module');
    return module ? { module, exportName: key.getString('Export') ?? 'default', messageDll: key.getString('MessageDll') } : undefined;
  });
}

/** Writes a service's parameters. */
export function writeServiceParameters(name: string, parameters: ServiceParameters): void {
  const key = RegistryKey.create(parametersKeyPath(name));
  try {
    key.setString('Module', parameters.module);
    key.setString('Export', parameters.exportName);
    if (parameters.messageDll) key.setString('MessageDll', parameters.messageDll);
    else key.deleteValue('MessageDll');
  } finally {
    key.close();
  }
}

/** The SCM's ImagePath of a service (its binPath), or undefined. */
export function readImagePath(name: string): string | undefined {
  return withKey(serviceKeyPath(name), (key) => key.getString('ImagePath'));
}

/** The names of the services whose binPath runs `hostPath` (the quoted host path). */
export function servicesUsingHost(hostPath: string): string[] {
  const names = withKey(SERVICES_KEY, (key) => key.subkeys()) ?? [];
  const binPath = quotedPath(hostPath).toLowerCase();
  return names.filter((name) => readImagePath(name)?.toLowerCase() === binPath);
}

/** A path in double quotes, as a binPath must be so a space in it cannot run another program. */
export function quotedPath(file: string): string {
  return `"${file}"`;
}
