/**
 * What this host's services are on the machine, in the comparable form of service-state.ts: the
 * SCM's configuration (getConfig) and NodeService's Parameters key. Only services whose binPath runs
 * this registered host are apply's to manage; any other service is never read as "current", so it
 * can never be updated or removed by apply. `currentState` is pure and unit-tested.
 * @module
 */
import { getConfig } from '../../runtime/control/service-control.ts';
import type { ServiceConfig } from '../../runtime/control/config.ts';
import { eventMessageFiles } from '../../runtime/eventlog/sources.ts';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../../runtime/service/timeouts.ts';
import { parseAccount } from '../../installer/accounts.ts';
import {
  readImagePath,
  readServiceParameters,
  servicesUsingHost,
  SHARED_GROUP_OPTION,
  type Registration,
  type ServiceParameters,
} from '../layout/registry-layout.ts';
import { DEFAULT_LOG_KEEP, DEFAULT_LOG_MAX_SIZE } from '../layout/log-settings.ts';
import type { CurrentService } from './plan.ts';
import type { ServiceState } from './service-state.ts';

/** A service of this host, read whole (for plans and export). */
export interface MachineService extends CurrentService {
  parameters?: ServiceParameters;
}

/** The shared group a binPath names (`"host.exe" --shared-group G`), or false for a process of its own. */
export function sharedGroupOf(binaryPath: string): string | false {
  const match = new RegExp(`\\s${SHARED_GROUP_OPTION}\\s+(\\S+)\\s*$`).exec(binaryPath);
  return match ? match[1]! : false;
}

/** An account as CreateServiceW takes it, so `LocalService` and `NT AUTHORITY\LocalService` compare equal. */
export function normalAccount(account: string): string {
  try {
    return parseAccount(account).name;
  } catch {
    return account;
  }
}

/** The comparable state of a NodeService service from its SCM configuration, Parameters and event source's message files. */
export function currentState(config: ServiceConfig, parameters: ServiceParameters, messageFiles: readonly string[]): ServiceState {
  const log = parameters.log ?? {};
  return {
    module: { path: parameters.module, export: parameters.exportName, appDir: parameters.appDir },
    displayName: config.displayName,
    description: config.description,
    startup: config.startup,
    dependencies: [...config.dependencies, ...config.groupDependencies.map((group) => `+${group}`)],
    loadOrderGroup: config.loadOrderGroup,
    account: normalAccount(config.account),
    errorControl: config.errorControl,
    failureActions: config.failure.actions,
    failureReset: config.failure.resetPeriod,
    failureCommand: config.failure.command,
    rebootMessage: config.failure.rebootMessage,
    failureNonCrash: config.failure.onNonCrashFailures,
    preshutdownTimeout: config.preshutdownTimeout,
    requiredPrivileges: config.requiredPrivileges,
    sidType: config.sidType,
    environment: parameters.environment,
    secretEnvironment: parameters.secretNames,
    dotenv: parameters.envFile ?? '',
    workingDirectory: parameters.workingDirectory ?? '',
    arguments: parameters.arguments,
    // A compiled DLL is recorded in Parameters; a prebuilt one only as the event source's first file (host.exe is the last).
    messages: parameters.messageDll ?? (messageFiles.length > 1 ? messageFiles[0]! : ''),
    sharedGroup: sharedGroupOf(config.binaryPath),
    loadTimeout: parameters.loadTimeout ?? DEFAULT_LOAD_TIMEOUT_MS,
    log: log.none ? 'none' : 'files',
    logDir: log.dir ?? '',
    logMaxSize: log.maxSize ?? DEFAULT_LOG_MAX_SIZE,
    logRoll: log.roll ?? 'daily',
    logKeep: log.keep ?? DEFAULT_LOG_KEEP,
    logTimestamps: log.timestamps ?? false,
  };
}

/** Every service this host runs, with its state (undefined when half-installed: no Parameters). */
export function readHostServices(registration: Registration): MachineService[] {
  return servicesUsingHost(registration.hostPath).map((name) => {
    const parameters = readServiceParameters(name);
    if (!parameters) return { name, state: undefined };
    return { name, parameters, state: currentState(getConfig(name), parameters, eventMessageFiles(name)) };
  });
}

/** The binPath of service `name` when it exists and is not run by this host (another program's), else undefined. */
export function foreignImagePath(name: string, registration: Registration): string | undefined {
  const imagePath = readImagePath(name);
  if (imagePath === undefined || servicesUsingHost(registration.hostPath, [name]).length) return undefined;
  return imagePath;
}
