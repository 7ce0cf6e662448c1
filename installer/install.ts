/**
 * `install`, `update` and `remove`: a NodeService service in the SCM, its Parameters key, and its
 * event source (the service's name, formatted with host.exe's message table).
 * A failed install removes whatever it created. The SCM is reached only through the control API,
 * over one connection per verb.
 * @module
 */
import fs from 'node:fs';
import { ServiceState } from '../runtime/service/constants.ts';
import type { ServiceClass } from '../runtime/service/framework.ts';
import { ServiceManager } from '../runtime/control/service-manager.ts';
import type { Service } from '../runtime/control/service-handle.ts';
import type { FailureChange, ServiceDefinition, ServiceSettings } from '../runtime/control/service-definition.ts';
import type { ErrorControlName, SidTypeName, Startup } from '../runtime/control/config.ts';
import { toRawTriggers, type ServiceTrigger } from '../runtime/control/triggers.ts';
import { logAccountSid, prepareUserAccount, resolveSids, type Account } from './accounts.ts';
import { openVariables } from '../host/layout/environment.ts';
import { writeSecrets } from '../host/layout/secret-store.ts';
import { isWindowsError } from '../runtime/win32/windows-error.ts';
import { checkEventSourceFree, registerEventSource, removeEventSource } from '../runtime/eventlog/sources.ts';
import { loadServiceClass, type ModuleSpec } from '../runtime/loader/service-module.ts';
import { stopTimeoutOf } from '../runtime/service/runner.ts';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../runtime/service/timeouts.ts';
import { requireAdministrator } from './admin.ts';
import { checkServiceName } from './service-name.ts';
import { planCounters, registerCounters, unregisterCounters } from './counters.ts';
import { installFailureOptions } from './failure-defaults.ts';
import { prepareServiceLogs } from '../host/layout/log-folder.ts';
import type { StoredLogOptions } from '../host/layout/log-settings.ts';
import { planMessageFile, writePlannedMessageFile, type MessageFilePlan } from './messages.ts';
import { checkLocation, confineModule, isInServicesFolder } from '../host/layout/location.ts';
import {
  hostBinaryPath,
  readRegistration,
  serviceParametersKey,
  servicesUsingHost,
  readServiceParameters,
  writeServiceParameters,
  type Registration,
  type ServiceParameters,
} from '../host/layout/registry-layout.ts';
import { ErrorCode } from '../runtime/win32/errors.ts';

/** The accepted startup values. */
export const STARTUP_VALUES: readonly Startup[] = ['manual', 'auto', 'delayed', 'disabled'];

/** What the SCM does when the service fails; undefined fields stay as they are. */
export type FailureOptions = FailureChange;

/** What `install` and `update` may set; undefined leaves a setting alone (or at its default). */
export interface ServiceOptions {
  name?: string;
  displayName?: string;
  description?: string;
  startup?: Startup;
  /** Service names, and load-order groups prefixed with '+'. */
  dependencies?: readonly string[];
  loadOrderGroup?: string;
  account?: Account;
  /** The account's password; passed to the SCM only, never written anywhere by NodeService. */
  password?: string;
  errorControl?: ErrorControlName;
  failure?: FailureOptions;
  preshutdownTimeout?: number;
  requiredPrivileges?: readonly string[];
  sidType?: SidTypeName;
  /** The events the SCM starts or stops the service on; they replace the service's (install: the class's `svcTriggers`); `[]` removes them. */
  triggers?: readonly ServiceTrigger[];
  /** Environment variables the host sets before loading the module; on update, undefined values are removed. */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Secret environment variables: stored sealed with DPAPI for this machine, never in clear. */
  secrets?: Readonly<Record<string, string>>;
  /** A dotenv file read at every start, before `environment`; on update, '' removes it. */
  envFile?: string;
  /** The working directory (default: the app folder, else the module's folder); on update, '' removes it. */
  workingDirectory?: string;
  /** Arguments the service gets before those of a start request; on update, they replace the old ones. */
  arguments?: readonly string[];
  /** Accept a module outside the registered services folder. */
  allowOutside?: boolean;
  /** The service's own messages: an .mc file (compiled to a DLL beside the module) or a message DLL. */
  messages?: string;
  /**
   * Run the service in this shared group's host process (SERVICE_WIN32_SHARE_PROCESS); on update,
   * `false` moves it back to a process of its own. It takes effect at the service's next start.
   */
  sharedGroup?: string | false;
  /** How long the module may take to load at each start (ms; Infinity: no limit); default: the host's 60 s. */
  loadTimeout?: number;
  /** The output capture; on update, undefined fields stay as they are and `dir: ''` goes back to the default folder. */
  log?: StoredLogOptions;
  /**
   * Accounts or groups (names, or SID strings) allowed to start, stop, pause, continue and query
   * the service without being administrators (an ACE added to its DACL; not change-config).
   */
  allowControl?: readonly string[];
}

function requireRegistration(): Registration {
  const registration = readRegistration();
  if (!registration) throw new Error('this machine has no registered host: run "host.exe /register" (as administrator) first');
  return registration;
}

function serviceName(serviceClass: ServiceClass, options: ServiceOptions, modulePath: string): string {
  const name = options.name ?? serviceClass.svcName;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new Error(`${serviceClass.name} in ${modulePath} has no svcName: add "static svcName = 'MyService';" or pass --name`);
  }
  checkServiceName(name);
  return name;
}

/**
 * Checks the account before anything is written: a virtual account is NT SERVICE\<the service's
 * own name>; a user account must exist, and gets "Log on as a service".
 */
function checkAccount(name: string, account: Account | undefined): void {
  if (account?.kind === 'user') prepareUserAccount(account);
  if (account?.kind === 'virtual' && account.name.toLowerCase() !== `nt service\\${name.toLowerCase()}`) {
    throw new Error(`a virtual account is the service's own: use "NT SERVICE\\${name}", not "${account.name}"`);
  }
}

/** The ChangeServiceConfig2W levels `options` name; `description` comes from options or the class. */
function optionalSettings(options: ServiceOptions, description: string | undefined): ServiceSettings {
  // A virtual account needs the service's own SID (unrestricted) unless told otherwise.
  // So does an account other than LocalSystem given secrets: only SYSTEM, Administrators and the
  // service's SID can read its Secrets key, and the SID is in its token only with a SID type.
  const needsSid =
    options.account?.kind === 'virtual' ||
    (options.account !== undefined && options.account.kind !== 'LocalSystem' && Object.keys(options.secrets ?? {}).length > 0);
  return {
    description,
    failure: options.failure,
    preshutdownTimeout: options.preshutdownTimeout,
    requiredPrivileges: options.requiredPrivileges,
    sidType: options.sidType ?? (needsSid ? 'unrestricted' : undefined),
    triggers: options.triggers,
  };
}

/** The class's `static svcTriggers`, checked, with the class named in the error. */
function classTriggers(serviceClass: ServiceClass): readonly ServiceTrigger[] | undefined {
  const declared = serviceClass.svcTriggers;
  if (declared !== undefined) toRawTriggers(declared, `static svcTriggers of ${serviceClass.name}`);
  return declared;
}

/** manager.create, with a clear message when the display name is taken (names were checked before). */
function createNamedService(manager: ServiceManager, definition: ServiceDefinition): Service {
  try {
    return manager.create(definition);
  } catch (error) {
    if (isWindowsError(error) && error.code === ErrorCode.ERROR_DUPLICATE_SERVICE_NAME) {
      throw new Error(`another service already has the display name '${definition.displayName}': choose another with --display-name`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Installs the service implemented by `spec`; returns its name. Admin only; nothing is left behind on failure. */
export async function install(spec: ModuleSpec, options: ServiceOptions, isAdmin?: () => boolean): Promise<string> {
  requireAdministrator('install', isAdmin);
  const registration = requireRegistration();
  const allowed = resolveSids(options.allowControl ?? []);
  checkLocation(spec.modulePath, registration, options.allowOutside);
  checkEnvFileLocation(options.envFile, registration, options.allowOutside);
  confineModule(spec.modulePath, registration);
  const { serviceClass, exportName } = await loadServiceClass(spec, { timeoutMs: options.loadTimeout ?? DEFAULT_LOAD_TIMEOUT_MS });
  stopTimeoutOf(serviceClass);
  const name = serviceName(serviceClass, options, spec.modulePath);
  const triggers = options.triggers ?? classTriggers(serviceClass);
  using manager = ServiceManager.connect({}, ['CONNECT', 'CREATE_SERVICE']);
  if (manager.exists(name)) {
    if (!readServiceParameters(name) && isHostService(name, registration.hostPath)) {
      throw new Error(
        `a service named '${name}' already exists, half-installed by NodeService (it has no Parameters\\Module): remove it with "host.exe remove ${name}", then install again`,
      );
    }
    throw new Error(`a service named '${name}' already exists: choose another with --name, or change it with "host.exe update ${name}"`);
  }
  checkEventSourceFree(name, 'Application', registration.hostPath);

  const messages = planMessages(options, spec.modulePath, registration, name);
  const counters = planCounters(serviceClass, name, spec.modulePath);

  const displayName = options.displayName ?? serviceClass.svcDisplayName ?? name;
  checkAccount(name, options.account);
  const logSid = logAccountSid(options.account);
  using service = createNamedService(manager, {
    name,
    displayName,
    ...processSettings(registration.hostPath, options.sharedGroup || undefined),
    startup: options.startup,
    errorControl: options.errorControl ?? 'normal',
    loadOrderGroup: options.loadOrderGroup,
    dependencies: options.dependencies ?? serviceClass.svcDependencies ?? [],
    ...accountSettings(options),
    ...optionalSettings(
      { ...options, failure: installFailureOptions(options.failure), triggers },
      options.description ?? serviceClass.svcDescription,
    ),
  });
  try {
    // Parameters first after the SCM's own settings: from here on the service is recognisably
    // NodeService's (issue 15, item 8), so a failure that the rollback below cannot undo leaves
    // something "remove" cleans.
    writeParameters(
      name,
      withVariables(
        {
          module: spec.modulePath,
          exportName,
          appDir: spec.appDir,
          workingDirectory: options.workingDirectory || undefined,
          envFile: options.envFile || undefined,
          messageDll: generatedDll(messages),
          environment: {},
          arguments: options.arguments ?? [],
          loadTimeout: options.loadTimeout,
          secretNames: [],
          allowOutside: !isInServicesFolder(spec.modulePath, registration.servicesDir),
          log: mergeLogOptions({}, options.log),
          logAccountSid: logSid,
        },
        options,
      ),
    );
    prepareServiceLogs(name, mergeLogOptions({}, options.log), logSid);
    if (allowed.length) service.allowControl(allowed);
    installMessages(name, registration, messages);
    registerCounters(counters);
  } catch (error) {
    removeEventSource(name, 'Application', { hostPath: registration.hostPath });
    deleteGeneratedDll(generatedDll(messages));
    service.delete();
    throw error;
  }
  return name;
}

/** The service type and binPath of a service alone in its host process, or in `group`'s shared one. */
function processSettings(hostPath: string, group: string | undefined): Pick<ServiceDefinition, 'serviceType' | 'binaryPath'> {
  return {
    serviceType: group === undefined ? 'WIN32_OWN_PROCESS' : 'WIN32_SHARE_PROCESS',
    binaryPath: hostBinaryPath(hostPath, group),
  };
}

/** The account and password for CreateServiceW / ChangeServiceConfigW; built-in accounts take an empty password. */
function accountSettings(options: ServiceOptions): Pick<ServiceSettings, 'account' | 'password'> {
  if (!options.account) return {};
  return {
    account: options.account.name,
    password: options.account.kind === 'user' ? options.password : options.account.kind === 'virtual' ? undefined : '',
  };
}

/** Parameters with the variables `options` give, and the secret values to write and delete beside them. */
interface VariablesChange {
  parameters: ServiceParameters;
  secrets: Record<string, string>;
  removedSecrets: string[];
}

/**
 * The parameters with the variables `options` give: a name is plain or secret, never both; an
 * undefined value removes it. Secret values are not opened: only their names are merged (an older
 * single-blob `ProtectedEnvironment` is opened once here, by an administrator, to move it to the
 * Secrets key).
 */
function withVariables(base: ServiceParameters, options: ServiceOptions): VariablesChange {
  if (options.environment === undefined && options.secrets === undefined) return { parameters: base, secrets: {}, removedSecrets: [] };
  const plain: Record<string, string> = { ...base.environment };
  const secrets: Record<string, string> = base.protectedEnvironment ? openVariables(base.protectedEnvironment) : {};
  const names = new Set([...base.secretNames, ...Object.keys(secrets)]);
  const removedSecrets: string[] = [];
  for (const [name, value] of Object.entries(options.environment ?? {})) {
    if (names.delete(name)) removedSecrets.push(name);
    delete secrets[name];
    if (value === undefined) delete plain[name];
    else plain[name] = value;
  }
  for (const [name, value] of Object.entries(options.secrets ?? {})) {
    delete plain[name];
    names.add(name);
    secrets[name] = value;
  }
  return { parameters: { ...base, environment: plain, secretNames: [...names], protectedEnvironment: undefined }, secrets, removedSecrets };
}

/** Writes the parameters, then the secret values (in the Secrets key, see host/layout/secret-store.ts). */
function writeParameters(name: string, change: VariablesChange): void {
  writeServiceParameters(name, change.parameters);
  writeSecrets(name, serviceParametersKey(name), change.secrets, change.removedSecrets);
}

/**
 * An env file sets the service's variables (NODE_OPTIONS, PATH…), so it is code as much as the
 * module is: it must be where only administrators can write, as the module must.
 */
function checkEnvFileLocation(envFile: string | undefined, registration: Registration, allowOutside: boolean | undefined): void {
  if (envFile) checkLocation(envFile, registration, allowOutside);
}

/** Plans `--messages` for a module; a prebuilt DLL must be where the module may be. */
function planMessages(options: ServiceOptions, modulePath: string, registration: Registration, name: string): MessageFilePlan | undefined {
  if (options.messages === undefined) return undefined;
  const plan = planMessageFile(options.messages, modulePath, name);
  if (!plan.tables) checkLocation(plan.dll, registration, options.allowOutside);
  return plan;
}

function generatedDll(plan: MessageFilePlan | undefined): string | undefined {
  return plan?.tables ? plan.dll : undefined;
}

function deleteGeneratedDll(dll: string | undefined): void {
  // A DLL Event Viewer has loaded cannot be deleted; leaving it does no harm.
  if (dll) fs.rmSync(dll, { force: true, maxRetries: 2 });
}

/** Writes the service's message DLL (when compiled) and registers its event source: its own messages first, then host.exe's. */
function installMessages(name: string, registration: Registration, plan: MessageFilePlan | undefined): void {
  if (plan) writePlannedMessageFile(plan);
  registerEventSource(
    { name, messageFiles: plan ? [plan.dll, registration.hostPath] : [registration.hostPath] },
    { hostPath: registration.hostPath },
  );
}

/** True when the SCM runs `name` with this host (its binPath is the host's, alone or in a shared group). */
function isHostService(name: string, hostPath: string | undefined): boolean {
  return hostPath !== undefined && servicesUsingHost(hostPath, [name]).length === 1;
}

/** The parameters of NodeService service `name`; throws when there is no such service or it is not ours. */
function requireNodeService(manager: ServiceManager, name: string): ServiceParameters {
  if (!manager.exists(name)) throw new Error(`there is no service named '${name}'`);
  const parameters = readServiceParameters(name);
  if (!parameters && isHostService(name, readRegistration()?.hostPath)) {
    throw new Error(
      `'${name}' is half-installed by NodeService (it has no Parameters\\Module): remove it with "host.exe remove ${name}", then install again`,
    );
  }
  if (!parameters) throw new Error(`'${name}' is not a NodeService service (it has no Parameters\\Module); manage it with sc.exe`);
  return parameters;
}

/** Changes only what `options` (and `spec`, when given) name. */
export async function update(name: string, spec: ModuleSpec | undefined, options: ServiceOptions, isAdmin?: () => boolean): Promise<void> {
  requireAdministrator('update', isAdmin);
  const allowed = resolveSids(options.allowControl ?? []);
  using manager = ServiceManager.connect();
  const current = requireNodeService(manager, name);
  let parameters: ServiceParameters | undefined;
  let counters: ReturnType<typeof planCounters>;
  if (spec) {
    const registration = requireRegistration();
    checkLocation(spec.modulePath, registration, options.allowOutside);
    confineModule(spec.modulePath, registration);
    const { serviceClass, exportName } = await loadServiceClass(spec, {
      timeoutMs: options.loadTimeout ?? current.loadTimeout ?? DEFAULT_LOAD_TIMEOUT_MS,
    });
    stopTimeoutOf(serviceClass);
    parameters = {
      ...current,
      module: spec.modulePath,
      exportName,
      appDir: spec.appDir,
      allowOutside: !isInServicesFolder(spec.modulePath, registration.servicesDir),
    };
    counters = planCounters(serviceClass, name, spec.modulePath);
  }
  if (options.envFile !== undefined || options.workingDirectory !== undefined) {
    checkEnvFileLocation(options.envFile, requireRegistration(), options.allowOutside);
    const base = parameters ?? current;
    parameters = {
      ...base,
      envFile: options.envFile === undefined ? base.envFile : options.envFile || undefined,
      workingDirectory: options.workingDirectory === undefined ? base.workingDirectory : options.workingDirectory || undefined,
    };
  }
  const messages =
    options.messages === undefined ? undefined : planMessages(options, (parameters ?? current).module, requireRegistration(), name);
  checkAccount(name, options.account);
  {
    using service = manager.open(name);
    service.changeConfig({
      startup: options.startup,
      errorControl: options.errorControl,
      loadOrderGroup: options.loadOrderGroup,
      dependencies: options.dependencies,
      displayName: options.displayName,
      ...accountSettings(options),
      ...(options.sharedGroup === undefined ? {} : processSettings(requireRegistration().hostPath, options.sharedGroup || undefined)),
      ...optionalSettings(options, options.description),
    });
    if (allowed.length) service.allowControl(allowed);
  }
  let variables: VariablesChange | undefined;
  if (options.environment !== undefined || options.secrets !== undefined || options.arguments !== undefined) {
    const base = parameters ?? current;
    variables = withVariables({ ...base, arguments: options.arguments ?? base.arguments }, options);
    parameters = variables.parameters;
  }
  if (messages) {
    if (current.messageDll && current.messageDll !== messages.dll) deleteGeneratedDll(current.messageDll);
    parameters = { ...(parameters ?? current), messageDll: generatedDll(messages) };
    installMessages(name, requireRegistration(), messages);
  }
  if (options.loadTimeout !== undefined) parameters = { ...(parameters ?? current), loadTimeout: options.loadTimeout };
  if (options.log !== undefined || options.account !== undefined) {
    const base = parameters ?? current;
    const logSid = options.account === undefined ? base.logAccountSid : logAccountSid(options.account);
    parameters = { ...base, log: mergeLogOptions(base.log ?? {}, options.log), logAccountSid: logSid };
    prepareServiceLogs(name, parameters.log, logSid);
  }
  if (parameters) writeParameters(name, { parameters, secrets: variables?.secrets ?? {}, removedSecrets: variables?.removedSecrets ?? [] });
  if (spec) {
    unregisterCounters(current.module, name);
    registerCounters(counters);
  }
}

/** `change` over `current`: given fields replace, `dir: ''` goes back to the default folder. */
export function mergeLogOptions(current: StoredLogOptions, change: StoredLogOptions | undefined): StoredLogOptions {
  const merged: StoredLogOptions = { ...current };
  for (const [key, value] of Object.entries(change ?? {}) as [keyof StoredLogOptions, never][]) {
    if (value !== undefined) merged[key] = value;
  }
  if (merged.dir === '') delete merged.dir;
  if (merged.none === false) delete merged.none;
  if (merged.timestamps === false) delete merged.timestamps;
  return merged;
}

/** True when the SCM has a service of that name (any service, NodeService's or not). */
export function serviceExists(name: string): boolean {
  using manager = ServiceManager.connect();
  return manager.exists(name);
}

/**
 * Stops the service if it runs and deletes it, with its event source (when NodeService made it),
 * message DLL and counters. A half-made install (the SCM runs this host for it, but it has no
 * Parameters) is removed too.
 */
export async function remove(name: string, isAdmin?: () => boolean): Promise<void> {
  requireAdministrator('remove', isAdmin);
  const hostPath = readRegistration()?.hostPath;
  using manager = ServiceManager.connect();
  let parameters: ServiceParameters | undefined;
  try {
    parameters = requireNodeService(manager, name);
  } catch (error) {
    if (!isHostService(name, hostPath)) throw error;
  }
  if (manager.queryStatus(name).currentState !== ServiceState.STOPPED) await manager.stop(name);
  manager.delete(name);
  removeEventSource(name, 'Application', { hostPath });
  if (!parameters) return;
  deleteGeneratedDll(parameters.messageDll);
  unregisterCounters(parameters.module, name);
}
