/**
 * What NodeService keeps in the registry, the single source of truth at start-up:
 * - `HKLM\SOFTWARE\NodeService`: `HostPath` and `ServicesDir`, written by `/register`;
 * - `HKLM\SYSTEM\CurrentControlSet\Services\<name>\Parameters`: `Module` (always the entry file,
 *   also for an app folder), `Export`, `AppDir` (the app folder it came from), `WorkingDirectory`,
 *   `EnvFile`, `MessageDll`, `Environment`, `Arguments` and `SecretNames` (REG_MULTI_SZ), the secret
 *   values in the `Secrets` subkey (see secret-store.ts; `ProtectedEnvironment`, one DPAPI blob, is
 *   the older form, still read), `AllowOutside` (REG_DWORD 1: an administrator accepted a module
 *   outside the services folder), `LoadTimeout` (REG_DWORD, ms), and the output capture's `Log`
 *   (REG_SZ `none` when off), `LogDir`, `LogMaxSize` (REG_DWORD bytes), `LogRoll`, `LogKeep`
 *   (REG_DWORD), `LogTimestamps` (REG_DWORD 1) and `LogAccountSid` (the non-LocalSystem account
 *   that may write the log folder), written by `install` and `update`.
 * @module
 */
import { RegistryKey } from '../../runtime/system/registry.ts';
import { serviceKeyPath, serviceNames } from '../../runtime/control/service-database.ts';
import { openVariables, parseVariableLines, variableLines, type Variables } from './environment.ts';
import { LOG_ROLL_VALUES, type LogRoll, type StoredLogOptions } from './log-settings.ts';
import { readSecrets } from './secret-store.ts';

/** The host's key under HKLM. */
export const NODESERVICE_KEY = 'SOFTWARE\\NodeService';

/** Where the registered host lives and where services must be. */
export interface Registration {
  hostPath: string;
  servicesDir: string;
}

/** Which module and export implement a service. */
export interface ServiceParameters {
  module: string;
  exportName: string;
  /** The app folder whose package.json named `module` (install <folder>); the default working directory. */
  appDir?: string;
  /** The working directory `--cwd` set; without it, `appDir` or the module's folder. */
  workingDirectory?: string;
  /** The dotenv file `--dotenv` set, read at every start (before `environment`). */
  envFile?: string;
  /** The message DLL `install --messages` compiled for the service (deleted with it). */
  messageDll?: string;
  /** Environment variables the host sets before it loads the module. */
  environment: Variables;
  /** The names of the secret variables, whose values are sealed in `Parameters\Secrets` (secret-store.ts). */
  secretNames: readonly string[];
  /** The older form of secrets: all of them in one DPAPI blob (read at start; replaced on update). */
  protectedEnvironment?: Buffer;
  /** The Parameters key (below HKLM) these were read from. */
  parametersKey?: string;
  /** Arguments the service gets before those of a start request. */
  arguments: readonly string[];
  /** Milliseconds the module may take to load before the start fails (`install --load-timeout`; Infinity: no limit); default: the host's. */
  loadTimeout?: number;
  /** An administrator accepted a module outside the services folder (`--allow-outside`). */
  allowOutside?: boolean;
  /** How its output is captured (absent fields: the defaults of log-settings.ts). */
  log?: StoredLogOptions;
  /** The SID of the account, other than LocalSystem, that writes the log folder (log-folder.ts). */
  logAccountSid?: string;
}

/** The REG_DWORD that stands for no limit (INFINITE, as Windows' own timeouts store it). */
const INFINITE = 0xffff_ffff;

/** A timeout in ms (Infinity: none) as a REG_DWORD; the largest finite one is INFINITE - 1. */
export function toStoredTimeout(ms: number): number {
  return ms === Infinity ? INFINITE : Math.min(Math.round(ms), INFINITE - 1);
}

function fromStoredTimeout(value: number | undefined): number | undefined {
  if (value === undefined || value === 0) return undefined;
  return value === INFINITE ? Infinity : value;
}

function parametersKeyPath(name: string): string {
  return `${serviceKeyPath(name)}\\Parameters`;
}

/** The registration, or undefined when `/register` has not run. */
export function readRegistration(): Registration | undefined {
  using key = RegistryKey.open(NODESERVICE_KEY);
  const hostPath = key?.getString('HostPath');
  const servicesDir = key?.getString('ServicesDir');
  return hostPath && servicesDir ? { hostPath, servicesDir } : undefined;
}

/** Writes the registration. */
export function writeRegistration(registration: Registration): void {
  using key = RegistryKey.create(NODESERVICE_KEY);
  key.setString('HostPath', registration.hostPath);
  key.setString('ServicesDir', registration.servicesDir);
}

/** Removes the registration; false if there was none. */
export function deleteRegistration(): boolean {
  return RegistryKey.deleteTree(NODESERVICE_KEY);
}

/** A service's parameters, or undefined when it is not a NodeService service. */
export function readServiceParameters(name: string): ServiceParameters | undefined {
  using key = RegistryKey.open(parametersKeyPath(name));
  if (!key) return undefined;
  const module = key.getString('Module');
  if (!module) return undefined;
  return {
    module,
    exportName: key.getString('Export') ?? 'default',
    appDir: key.getString('AppDir'),
    workingDirectory: key.getString('WorkingDirectory'),
    envFile: key.getString('EnvFile'),
    messageDll: key.getString('MessageDll'),
    environment: parseVariableLines(key.getStrings('Environment') ?? []),
    secretNames: key.getStrings('SecretNames') ?? [],
    protectedEnvironment: key.getBinary('ProtectedEnvironment'),
    parametersKey: parametersKeyPath(name),
    arguments: key.getStrings('Arguments') ?? [],
    loadTimeout: fromStoredTimeout(key.getNumber('LoadTimeout')),
    allowOutside: key.getNumber('AllowOutside') === 1,
    log: readLogOptions(key),
    logAccountSid: key.getString('LogAccountSid'),
  };
}

/**
 * Every variable the host sets for the service: the plain ones, then the secret ones opened. Only
 * the service's start (and `debug`, which is one) calls this: it is the one place secrets are opened.
 */
export function serviceVariables(parameters: ServiceParameters): Variables {
  return {
    ...parameters.environment,
    ...(parameters.protectedEnvironment && openVariables(parameters.protectedEnvironment)),
    ...(parameters.parametersKey && readSecrets(parameters.parametersKey, parameters.secretNames)),
  };
}

/** The names of the service's secret variables, read in clear: nothing is opened. */
export function secretNames(parameters: ServiceParameters): string[] {
  return [...parameters.secretNames];
}

/** The Parameters key of service `name`, below HKLM. */
export function serviceParametersKey(name: string): string {
  return parametersKeyPath(name);
}

/** Writes a service's parameters. */
export function writeServiceParameters(name: string, parameters: ServiceParameters): void {
  using key = RegistryKey.create(parametersKeyPath(name));
  key.setString('Module', parameters.module);
  key.setString('Export', parameters.exportName);
  setStringOrDelete(key, 'AppDir', parameters.appDir);
  setStringOrDelete(key, 'WorkingDirectory', parameters.workingDirectory);
  setStringOrDelete(key, 'EnvFile', parameters.envFile);
  setStringOrDelete(key, 'MessageDll', parameters.messageDll);
  setOrDelete(key, 'Environment', variableLines(parameters.environment));
  setOrDelete(key, 'SecretNames', parameters.secretNames);
  if (parameters.protectedEnvironment) key.setBinary('ProtectedEnvironment', parameters.protectedEnvironment);
  else key.deleteValue('ProtectedEnvironment');
  setOrDelete(key, 'Arguments', parameters.arguments);
  if (parameters.loadTimeout !== undefined) key.setNumber('LoadTimeout', toStoredTimeout(parameters.loadTimeout));
  else key.deleteValue('LoadTimeout');
  if (parameters.allowOutside) key.setNumber('AllowOutside', 1);
  else key.deleteValue('AllowOutside');
  writeLogOptions(key, parameters.log ?? {});
  setStringOrDelete(key, 'LogAccountSid', parameters.logAccountSid);
}

function readLogOptions(key: RegistryKey): StoredLogOptions {
  const roll = key.getString('LogRoll');
  return {
    none: key.getString('Log') === 'none' || undefined,
    dir: key.getString('LogDir'),
    maxSize: key.getNumber('LogMaxSize') || undefined,
    roll: LOG_ROLL_VALUES.includes(roll as LogRoll) ? (roll as LogRoll) : undefined,
    keep: key.getNumber('LogKeep'),
    timestamps: key.getNumber('LogTimestamps') === 1 || undefined,
  };
}

function writeLogOptions(key: RegistryKey, log: StoredLogOptions): void {
  setStringOrDelete(key, 'Log', log.none ? 'none' : undefined);
  setStringOrDelete(key, 'LogDir', log.dir);
  setStringOrDelete(key, 'LogRoll', log.roll);
  if (log.maxSize !== undefined) key.setNumber('LogMaxSize', log.maxSize);
  else key.deleteValue('LogMaxSize');
  if (log.keep !== undefined) key.setNumber('LogKeep', log.keep);
  else key.deleteValue('LogKeep');
  if (log.timestamps) key.setNumber('LogTimestamps', 1);
  else key.deleteValue('LogTimestamps');
}

/** Writes a REG_SZ value, or deletes it when there is none. */
function setStringOrDelete(key: RegistryKey, name: string, value: string | undefined): void {
  if (value) key.setString(name, value);
  else key.deleteValue(name);
}

/** Writes a REG_MULTI_SZ value, or deletes it when the list is empty. */
function setOrDelete(key: RegistryKey, name: string, values: readonly string[]): void {
  if (values.length) key.setStrings(name, values);
  else key.deleteValue(name);
}

/** The SCM's ImagePath of a service (its binPath), or undefined. */
export function readImagePath(name: string): string | undefined {
  using key = RegistryKey.open(serviceKeyPath(name));
  return key?.getString('ImagePath');
}

/**
 * The option that puts a service into a shared host process: its binPath is
 * `"host.exe" --shared-group <name>`, the same for every service of the group, which is how the SCM
 * knows to start them in one process (SERVICE_WIN32_SHARE_PROCESS services with one image path).
 */
export const SHARED_GROUP_OPTION = '--shared-group';

/** The binPath of a service run by `hostPath`: alone in its process, or in `group`'s shared process. */
export function hostBinaryPath(hostPath: string, group?: string): string {
  return group === undefined ? quotedPath(hostPath) : `${quotedPath(hostPath)} ${SHARED_GROUP_OPTION} ${group}`;
}

/** The names of the services (of `names`, by default all) whose binPath runs `hostPath`, alone or in a group. */
export function servicesUsingHost(hostPath: string, names: readonly string[] = serviceNames()): string[] {
  const binPath = quotedPath(hostPath).toLowerCase();
  return names.filter((name) => {
    const imagePath = readImagePath(name)?.toLowerCase();
    return imagePath === binPath || imagePath?.startsWith(`${binPath} ${SHARED_GROUP_OPTION} `);
  });
}

/** The services of `group`: those the SCM runs in the one process of `"hostPath" --shared-group group`. */
export function servicesOfGroup(hostPath: string, group: string): string[] {
  const binPath = hostBinaryPath(hostPath, group).toLowerCase();
  return servicesUsingHost(hostPath).filter((name) => readImagePath(name)?.toLowerCase() === binPath);
}

/** A path in double quotes, as a binPath must be so a space in it cannot run another program. */
export function quotedPath(file: string): string {
  return `"${file}"`;
}
