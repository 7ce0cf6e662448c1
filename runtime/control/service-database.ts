/**
 * The SCM's database in the registry (`HKLM\SYSTEM\CurrentControlSet\Services\<name>`), where the
 * SCM keeps each service's configuration and reads it at boot.
 *
 * The control API reads and writes configuration through the SCM; it comes here only where an SCM
 * lacks a level: QueryServiceConfig2W answers ERROR_INVALID_LEVEL (Wine 8 for failure actions,
 * delayed start, the non-crash flag, SID type and required privileges), or QueryServiceConfigW
 * leaves out dependencies, or EnumDependentServicesW lists none (both Wine 8). Windows answers
 * all of these through the API, so there these fallbacks find nothing to add.
 * @module
 */
import { RegistryKey } from '../system/registry.ts';
import type { FailureActions } from '../win32/advapi32/service-config.ts';

const SERVICES_KEY = 'SYSTEM\\CurrentControlSet\\Services';

/** The registry key of a service. */
export function serviceKeyPath(name: string): string {
  return `${SERVICES_KEY}\\${name}`;
}

/** Opens a service's key for reading (the caller closes it: `using`); undefined when the service has no key. */
export function openServiceKey(name: string): RegistryKey | undefined {
  return RegistryKey.open(serviceKeyPath(name));
}

/** Opens a service's existing key for writing (the caller closes it: `using`); throws when it has none. */
export function openServiceKeyForWrite(name: string): RegistryKey {
  const key = RegistryKey.open(serviceKeyPath(name), { write: true });
  if (!key) throw new Error(`the registry has no key for the ${name} service`);
  return key;
}

/** The names of all services in the database. */
export function serviceNames(): string[] {
  using key = RegistryKey.open(SERVICES_KEY);
  return key?.subkeys() ?? [];
}

/** Where the SCM keeps each value. */
export const ValueName = {
  DEPEND_ON_SERVICE: 'DependOnService',
  DEPEND_ON_GROUP: 'DependOnGroup',
  GROUP: 'Group',
  DESCRIPTION: 'Description',
  DELAYED_AUTOSTART: 'DelayedAutostart',
  FAILURE_ACTIONS: 'FailureActions',
  FAILURE_COMMAND: 'FailureCommand',
  REBOOT_MESSAGE: 'RebootMessage',
  FAILURE_ACTIONS_ON_NON_CRASH: 'FailureActionsOnNonCrashFailures',
  SERVICE_SID_TYPE: 'ServiceSidType',
  REQUIRED_PRIVILEGES: 'RequiredPrivileges',
  PRESHUTDOWN_TIMEOUT: 'PreshutdownTimeout',
} as const;

/** FailureActions is SERVICE_FAILURE_ACTIONS in its 32-bit layout (5 DWORDs, pointers zero) followed by the SC_ACTIONs. */
const FAILURE_HEADER_BYTES = 20;

/** Encodes failure actions as the SCM stores them (the strings go to their own values). */
export function encodeFailureActions(failure: FailureActions): Buffer {
  const data = Buffer.alloc(FAILURE_HEADER_BYTES + failure.actions.length * 8);
  data.writeUInt32LE(failure.resetPeriod >>> 0, 0);
  data.writeUInt32LE(failure.actions.length, 12);
  failure.actions.forEach((action, i) => {
    data.writeUInt32LE(action.type, FAILURE_HEADER_BYTES + i * 8);
    data.writeUInt32LE(action.delay >>> 0, FAILURE_HEADER_BYTES + i * 8 + 4);
  });
  return data;
}

/** Decodes the FailureActions value; undefined when it is too short to be one. */
export function decodeFailureActions(data: Buffer, command: string, rebootMessage: string): FailureActions | undefined {
  if (data.length < FAILURE_HEADER_BYTES) return undefined;
  const count = Math.min(data.readUInt32LE(12), (data.length - FAILURE_HEADER_BYTES) / 8);
  const actions = Array.from({ length: count }, (_, i) => ({
    type: data.readUInt32LE(FAILURE_HEADER_BYTES + i * 8),
    delay: data.readUInt32LE(FAILURE_HEADER_BYTES + i * 8 + 4),
  }));
  return { resetPeriod: data.readUInt32LE(0), rebootMessage, command, actions };
}

/** The dependencies in a service's key: service names, and groups prefixed with '+'. */
function dependenciesIn(key: RegistryKey): string[] {
  return [
    ...(key.getStrings(ValueName.DEPEND_ON_SERVICE) ?? []),
    ...(key.getStrings(ValueName.DEPEND_ON_GROUP) ?? []).map((group) => `+${group}`),
  ];
}

/** A service's dependencies as the database has them: service names, and groups prefixed with '+'. */
export function databaseDependencies(name: string): string[] {
  using key = openServiceKey(name);
  return key ? dependenciesIn(key) : [];
}

/**
 * The services that depend on `name`, directly or through others, from the database, in the
 * order they must stop: each service after the services that depend on it.
 */
export function databaseDependents(name: string): string[] {
  const services = serviceNames().map((service) => {
    using key = openServiceKey(service);
    return {
      name: service,
      group: key?.getString(ValueName.GROUP)?.toLowerCase(),
      dependencies: (key ? dependenciesIn(key) : []).map((dependency) => dependency.toLowerCase()),
    };
  });
  const byName = new Map(services.map((service) => [service.name.toLowerCase(), service]));
  const ordered: string[] = [];
  const seen = new Set([name.toLowerCase()]);
  const visit = (target: string): void => {
    const group = byName.get(target)?.group;
    for (const service of services) {
      const id = service.name.toLowerCase();
      const depends = service.dependencies.includes(target) || (group !== undefined && service.dependencies.includes(`+${group}`));
      if (!depends || seen.has(id)) continue;
      seen.add(id);
      visit(id);
      ordered.push(service.name);
    }
  };
  visit(name.toLowerCase());
  return ordered;
}
