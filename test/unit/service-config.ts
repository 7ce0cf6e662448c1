/**
 * A service's configuration as ServiceManager.getConfig reports it, for the unit tests of what
 * reads one (the apply plan, status's formatting): one builder, so a field added to ServiceConfig
 * is added once. The defaults are what `host.exe install` sets.
 * @module
 */
import type { ServiceConfig } from '../../runtime/control/config.ts';
import { ServiceTypeFlags } from '../../runtime/service/service-flags.ts';

/** The configuration of service `name` as install leaves it, with `overrides` on top. */
export function serviceConfig(name: string, overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    name,
    displayName: name,
    description: '',
    serviceType: ServiceTypeFlags.of('WIN32_OWN_PROCESS'),
    typeName: 'WIN32_OWN_PROCESS',
    startup: 'manual',
    errorControl: 'normal',
    binaryPath: '"C:\\NodeService\\host.exe"',
    loadOrderGroup: '',
    dependencies: [],
    groupDependencies: [],
    account: 'LocalSystem',
    failure: {
      resetPeriod: 86400,
      actions: [
        { type: 'restart', delay: 1000 },
        { type: 'restart', delay: 5000 },
        { type: 'restart', delay: 30000 },
      ],
      command: '',
      rebootMessage: '',
      onNonCrashFailures: true,
    },
    preshutdownTimeout: 180000,
    requiredPrivileges: [],
    sidType: 'none',
    triggers: [],
    ...overrides,
  };
}
