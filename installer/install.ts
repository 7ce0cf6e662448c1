/**
 * `install`, `update` and `remove`: a NodeService service in the SCM, its Parameters key, and its
 * event source (the service's name, formatted with host.exe's message table).
 * A failed install removes whatever it created.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { ServiceState, ServiceType, StartType } from '../runtime/service/constants.ts';
import type { ServiceClass } from '../runtime/service/framework.ts';
import { queryStatus, stop, withScm, withService } from '../runtime/control/service-control.ts';
import {
  changeServiceConfig,
  closeServiceHandle,
  createService,
  deleteService,
  ScmAccess,
  ServiceAccess,
  setDelayedAutoStart,
  setServiceDescription,
  type ScHandle,
} from '../runtime/win32/advapi32/services.ts';
import { isWindowsError } from '../runtime/win32/windows-error.ts';
import { addEventSource, removeEventSource } from '../runtime/eventlog/sources.ts';
import { loadServiceClass, type ModuleSpec } from '../runtime/loader/service-module.ts';
import { requireAdministrator } from './admin.ts';
import { planMessageFile, writePlannedMessageFile, type MessageFilePlan } from './messages.ts';
import { quotedPath, readRegistration, readServiceParameters, writeServiceParameters, type Registration, type ServiceParameters } from './layout.ts';

/** How the service starts. */
export type Startup = 'manual' | 'auto' | 'delayed' | 'disabled';
/** The accepted `--startup` values. */
export const STARTUP_VALUES: readonly Startup[] = ['manual', 'auto', 'delayed', 'disabled'];

/** What `install` and `update` may set; undefined leaves a setting alone (or at its default). */
export interface ServiceOptions {
  name?: string;
  displayName?: string;
  description?: string;
  startup?: Startup;
  dependencies?: readonly string[];
  username?: string;
  password?: string;
  /** Accept a module outside the registered services folder. */
  allowOutside?: boolean;
  /** The service's own messages: an .mc file (compiled to a DLL beside the module) or a message DLL. */
  messages?: string;
}

const SERVICE_ERROR_NORMAL = 1;
const ERROR_SERVICE_DOES_NOT_EXIST = 1060;
const ERROR_DUPLICATE_SERVICE_NAME = 1078;

function startType(startup: Startup): number {
  return startup === 'disabled' ? StartType.DISABLED : startup === 'manual' ? StartType.DEMAND_START : StartType.AUTO_START;
}

function requireRegistration(): Registration {
  const registration = readRegistration();
  if (!registration) throw new Error('this machine has no registered host: run "host.exe /register" (as administrator) first');
  return registration;
}

/** Refuses a module outside the services folder unless allowed, and says why. */
function checkLocation(modulePath: string, registration: Registration, allowOutside: boolean | undefined): void {
  const relative = path.relative(registration.servicesDir.toLowerCase(), modulePath.toLowerCase());
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  if (!inside && !allowOutside) {
    throw new Error(
      `${modulePath} is outside the services folder ${registration.servicesDir}. Services run with the service account's rights, ` +
        'so their code belongs where only administrators can write: move it there, or pass --allow-outside if its folder is protected as well',
    );
  }
}

function serviceExists(name: string): boolean {
  try {
    withService(name, ServiceAccess.QUERY_STATUS, () => undefined);
    return true;
  } catch (error) {
    if (isWindowsError(error) && error.code === ERROR_SERVICE_DOES_NOT_EXIST) return false;
    throw error;
  }
}

function serviceName(serviceClass: ServiceClass, options: ServiceOptions, modulePath: string): string {
  const name = options.name ?? serviceClass.svcName;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new Error(`${serviceClass.name} in ${modulePath} has no svcName: add "static svcName = 'MyService';" or pass --name`);
  }
  if (/[\\/]/.test(name)) throw new Error(`'${name}' cannot be a service name: it contains a slash or backslash`);
  return name;
}

function applyOptionalConfig(service: ScHandle, options: ServiceOptions, description: string | undefined): void {
  if (description !== undefined) setServiceDescription(service, description);
  if (options.startup !== undefined && options.startup !== 'disabled') setDelayedAutoStart(service, options.startup === 'delayed');
}

/** createService, with a clear message when the display name is taken (names were checked before). */
function createNamedService(scm: ScHandle, params: Parameters<typeof createService>[1], access: number): ScHandle {
  try {
    return createService(scm, params, access);
  } catch (error) {
    if (isWindowsError(error) && error.code === ERROR_DUPLICATE_SERVICE_NAME) {
      throw new Error(`another service already has the display name '${params.displayName}': choose another with --display-name`, { cause: error });
    }
    throw error;
  }
}

/** Installs the service implemented by `spec`; returns its name. Admin only; nothing is left behind on failure. */
export async function install(spec: ModuleSpec, options: ServiceOptions, isAdmin?: () => boolean): Promise<string> {
  requireAdministrator('install', isAdmin);
  const registration = requireRegistration();
  checkLocation(spec.modulePath, registration, options.allowOutside);
  const { serviceClass, exportName } = await loadServiceClass(spec);
  const name = serviceName(serviceClass, options, spec.modulePath);
  if (serviceExists(name)) throw new Error(`a service named '${name}' already exists: choose another with --name, or change it with "host.exe update ${name}"`);

  const messages = planMessages(options, spec.modulePath, registration);

  const displayName = options.displayName ?? serviceClass.svcDisplayName ?? name;
  withScm(ScmAccess.CONNECT | ScmAccess.CREATE_SERVICE, (scm) => {
    const service = createNamedService(
      scm,
      {
        name,
        displayName,
        serviceType: ServiceType.WIN32_OWN_PROCESS,
        startType: startType(options.startup ?? 'manual'),
        errorControl: SERVICE_ERROR_NORMAL,
        binaryPath: quotedPath(registration.hostPath),
        dependencies: options.dependencies ?? serviceClass.svcDependencies ?? [],
        account: options.username,
        password: options.password,
      },
      ServiceAccess.ALL_ACCESS,
    );
    try {
      applyOptionalConfig(service, options, options.description ?? serviceClass.svcDescription);
      writeServiceParameters(name, { module: spec.modulePath, exportName, messageDll: generatedDll(messages) });
      installMessages(name, registration, messages);
    } catch (error) {
      removeEventSource(name);
      deleteGeneratedDll(generatedDll(messages));
      deleteService(service);
      throw error;
    } finally {
      closeServiceHandle(service);
    }
  });
  return name;
}

/** Plans `--messages` for a module; a prebuilt DLL must be where the module may be. */
function planMessages(options: ServiceOptions, modulePath: string, registration: Registration): MessageFilePlan | undefined {
  if (options.messages === undefined) return undefined;
  const plan = planMessageFile(options.messages, modulePath);
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
  addEventSource(name, plan ? [plan.dll, registration.hostPath] : [registration.hostPath]);
}

/** The parameters of NodeService service `name`; throws when there is no such service or it is not ours. */
function requireNodeService(name: string): ServiceParameters {
  if (!serviceExists(name)) throw new Error(`there is no service named '${name}'`);
  const parameters = readServiceParameters(name);
  if (!parameters) throw new Error(`'${name}' is not a NodeService service (it has no Parameters\\Module); manage it with sc.exe`);
  return parameters;
}

/** Changes only what `options` (and `spec`, when given) name. */
export async function update(name: string, spec: ModuleSpec | undefined, options: ServiceOptions, isAdmin?: () => boolean): Promise<void> {
  requireAdministrator('update', isAdmin);
  const current = requireNodeService(name);
  let parameters: ServiceParameters | undefined;
  if (spec) {
    checkLocation(spec.modulePath, requireRegistration(), options.allowOutside);
    const { exportName } = await loadServiceClass(spec);
    parameters = { ...current, module: spec.modulePath, exportName };
  }
  const messages = options.messages === undefined ? undefined : planMessages(options, (parameters ?? current).module, requireRegistration());
  withService(name, ServiceAccess.ALL_ACCESS, (service) => {
    changeServiceConfig(service, {
      startType: options.startup === undefined ? undefined : startType(options.startup),
      dependencies: options.dependencies,
      account: options.username,
      password: options.password,
      displayName: options.displayName,
    });
    applyOptionalConfig(service, options, options.description);
  });
  if (messages) {
    if (current.messageDll && current.messageDll !== messages.dll) deleteGeneratedDll(current.messageDll);
    parameters = { ...(parameters ?? current), messageDll: generatedDll(messages) };
    installMessages(name, requireRegistration(), messages);
  }
  if (parameters) writeServiceParameters(name, parameters);
}

/** Stops the service if it runs and deletes it. */
export async function remove(name: string, isAdmin?: () => boolean): Promise<void> {
  requireAdministrator('remove', isAdmin);
  const { messageDll } = requireNodeService(name);
  if (queryStatus(name).currentState !== ServiceState.STOPPED) await stop(name);
  withService(name, ServiceAccess.ALL_ACCESS, deleteService);
  removeEventSource(name);
  deleteGeneratedDll(messageDll);
}
