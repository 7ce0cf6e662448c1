/**
 * `export`: this host's services as an apply file, every managed setting written out (defaults
 * too), so that applying the export changes nothing. Secrets are written as references: each
 * secret variable reads the environment variable of its own name at apply; a user account's
 * password is left to apply's default variable (NODESERVICE_PASSWORD). Pure, unit-tested with
 * currentState's output.
 * @module
 */
import type { ApplyFile, ServiceEntry } from './service-entry.ts';
import type { ServiceState } from './service-state.ts';

/** One service's state as a file entry. */
export function toEntry(state: ServiceState, allowOutside: boolean): ServiceEntry {
  const module = state.module!;
  const where = module.appDir ?? module.path;
  const entry: ServiceEntry = {
    module: module.export === undefined || module.export === 'default' ? where : `${where}#${module.export}`,
    displayName: state.displayName,
    description: state.description,
    startup: state.startup,
    dependencies: state.dependencies && [...state.dependencies],
    loadOrderGroup: state.loadOrderGroup,
    account: state.account,
    errorControl: state.errorControl,
    failureActions: state.failureActions?.map((action) => ({ type: action.type, delay: action.delay })),
  };
  // With no actions there is nothing to reset, run or announce: install refuses those beside 'none'.
  if (state.failureActions?.length) {
    entry.failureReset = state.failureReset;
    entry.failureCommand = state.failureCommand;
    entry.rebootMessage = state.rebootMessage;
  }
  Object.assign(entry, {
    failureNonCrash: state.failureNonCrash,
    preshutdownTimeout: state.preshutdownTimeout,
    requiredPrivileges: state.requiredPrivileges && [...state.requiredPrivileges],
    sidType: state.sidType,
    environment: state.environment && { ...state.environment },
    secretEnvironment: state.secretEnvironment && Object.fromEntries(state.secretEnvironment.map((name) => [name, name])),
    dotenv: state.dotenv,
    workingDirectory: state.workingDirectory,
    arguments: state.arguments && [...state.arguments],
    allowOutside: allowOutside || undefined,
    messages: state.messages || undefined,
    sharedGroup: state.sharedGroup,
    loadTimeout: state.loadTimeout === undefined ? undefined : state.loadTimeout === Infinity ? 'infinite' : state.loadTimeout / 1000,
    log: state.log,
    logDir: state.logDir,
    logMaxSize: state.logMaxSize,
    logRoll: state.logRoll,
    logKeep: state.logKeep,
    logTimestamps: state.logTimestamps,
  } satisfies Partial<ServiceEntry>);
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as ServiceEntry;
}

/** The services as a whole apply file (sorted by name, so two exports of one machine compare equal). */
export function toApplyFile(services: readonly { name: string; state: ServiceState; allowOutside: boolean }[]): ApplyFile {
  const sorted = [...services].sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return { services: Object.fromEntries(sorted.map((service) => [service.name, toEntry(service.state, service.allowOutside)])) };
}
