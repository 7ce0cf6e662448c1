/**
 * What the host needs to start one service, resolved on the thread that keeps its SCM side
 * before the service's own thread exists: which module and export, the variables and arguments it
 * gets, and how long it may take to load. Under the SCM it comes from the registry (Parameters);
 * `debug <module>` makes one from a file. The service's thread receives it whole, so it reads
 * neither the registry nor the sealed secrets itself.
 * @module
 */
import { readRegistration, readServiceParameters } from '../layout/registry-layout.ts';
import { checkServiceModule, packageRootOf } from '../layout/location.ts';
import { serviceLogSettings } from '../layout/log-folder.ts';
import type { LogSettings } from '../layout/log-settings.ts';
import { prepareServiceStart } from '../layout/service-start.ts';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../../runtime/service/timeouts.ts';

/** One service's start, as its thread receives it. */
export interface ServiceLaunch {
  /** The service's name; '' when `debug` runs a module file (the class's svcName then names it). */
  name: string;
  modulePath: string;
  exportName?: string;
  /** The one folder whose node_modules its bare imports may come from (runtime/loader/package-scope.ts). */
  packageRoot: string;
  /** The working directory; applied only where one service runs in the process (a worker cannot chdir). */
  cwd: string;
  /** Variables set in the service thread's `process.env` before its module loads: env file, then `--env`, then secrets. */
  environment: Readonly<Record<string, string>>;
  /** The stored arguments, then those of the start request. */
  args: readonly string[];
  /** How long loading the module may take (ms; Infinity: no limit). */
  loadTimeoutMs: number;
  /** The service's own message DLLs, for debug mode's console (the Event Log finds them itself). */
  messageFiles: readonly string[];
  /** Where the service's thread writes a diagnostic report if its code crashes (set by the supervisor). */
  reportFile?: string;
  /**
   * The service's thread sends the service's own Event Log entries to the main thread (debug
   * prints them) instead of writing them itself, as it always does the host's; set by the supervisor.
   */
  relayEntries?: boolean;
  /** Where its stdout and stderr go under the SCM (absent in debug: the console). */
  log?: LogSettings;
  /** The account other than LocalSystem that must be able to write the log folder (host/layout/log-folder.ts). */
  logAccountSid?: string;
  /** `host.exe debug` runs it (isDebugging()); set by the supervisor. */
  debugging?: boolean;
  /** SERVICE_START_REASON flags from QueryServiceDynamicInformation; absent where Windows cannot tell. */
  startReason?: number;
}

/**
 * The launch of installed service `name` for a start request with `startArgs`; throws when it is
 * not NodeService's, its module is outside the services folder without `--allow-outside`, or its
 * env file or working directory is broken (the message names what to fix).
 */
export function launchFromRegistry(name: string, startArgs: readonly string[]): ServiceLaunch {
  const parameters = readServiceParameters(name);
  if (!parameters) throw new Error(`the registry has no NodeService parameters for '${name}' (reinstall it with "host.exe install")`);
  // Checked at every start, not only at install: Parameters\Module may have changed since (issue 15).
  const registration = readRegistration();
  checkServiceModule(name, parameters, registration);
  const { cwd, variables } = prepareServiceStart(parameters);
  return {
    name,
    modulePath: parameters.module,
    exportName: parameters.exportName,
    packageRoot: packageRootOf(parameters.module, registration),
    cwd,
    environment: variables,
    args: [...parameters.arguments, ...startArgs],
    loadTimeoutMs: parameters.loadTimeout ?? DEFAULT_LOAD_TIMEOUT_MS,
    messageFiles: parameters.messageDll ? [parameters.messageDll] : [],
    log: serviceLogSettings(name, parameters.log),
    logAccountSid: parameters.logAccountSid,
  };
}
