/**
 * What `create` and `changeConfig` take, by name: every field of CreateServiceW /
 * ChangeServiceConfigW and each ChangeServiceConfig2W level that matters, and their translation
 * into the SCM's numbers. Kept apart from the handles and pure, so that every mapping and every
 * refusal of a bad value is unit-tested without Windows, and a bad value is refused before
 * anything changes.
 * https://learn.microsoft.com/windows/win32/api/winsvc/nf-winsvc-changeserviceconfigw
 * @module
 */
import type { FailureActions, ServiceConfigChange } from '../win32/advapi32/service-config.ts';
import {
  ErrorControl,
  FailureActionType,
  SidType,
  StartupType,
  type ErrorControlName,
  type FailureActionName,
  type SidTypeName,
  type Startup,
} from './config.ts';
import { parseSddl, type ParsedSddl } from './service-sddl.ts';
import { SERVICE_INTERACTIVE_PROCESS, type ServiceTypeName } from '../service/service-flags.ts';
import { ServiceType } from '../service/constants.ts';
import { toRawTriggers, type ServiceTrigger } from './triggers.ts';

/** A change of the failure policy: fields left undefined keep what the service has. */
export interface FailureChange {
  /** The n-th failure runs the n-th action (the last repeats); `[]` removes them all. */
  actions?: readonly { type: FailureActionName; delay: number }[];
  /** Seconds without failure after which the count starts again (0xFFFFFFFF: never). */
  resetPeriod?: number;
  /** The command line a 'run' action runs. */
  command?: string;
  /** The message broadcast before a 'reboot' action. */
  rebootMessage?: string;
  /** Act also when the service stops with an error exit code, not only when its process ends. */
  onNonCrashFailures?: boolean;
}

/** A service's settings by name; in a change, undefined leaves a setting as it is. */
export interface ServiceSettings {
  displayName?: string;
  /** The command line the SCM runs (quote a path with spaces). */
  binaryPath?: string;
  serviceType?: ServiceTypeName;
  /** SERVICE_INTERACTIVE_PROCESS beside `serviceType` (which must then be given too). */
  interactive?: boolean;
  /** The start type; 'delayed' is auto with SERVICE_CONFIG_DELAYED_AUTO_START_INFO. */
  startup?: Startup;
  errorControl?: ErrorControlName;
  /** '' takes the service out of its load-order group. */
  loadOrderGroup?: string;
  /** Service names, and load-order groups prefixed with '+'; `[]` removes them all. */
  dependencies?: readonly string[];
  /** The account: 'LocalSystem', 'NT AUTHORITY\LocalService', 'NT SERVICE\<name>', 'DOMAIN\user'… */
  account?: string;
  /** The account's password ('' for built-in accounts); goes to the SCM only. */
  password?: string;
  description?: string;
  failure?: FailureChange;
  /** Milliseconds the SCM waits after sending PRESHUTDOWN. */
  preshutdownTimeout?: number;
  /** Privilege names such as SeChangeNotifyPrivilege; `[]` removes them. */
  requiredPrivileges?: readonly string[];
  sidType?: SidTypeName;
  /** The events the SCM starts or stops the service on; they replace the service's; `[]` removes them. */
  triggers?: readonly ServiceTrigger[];
}

/** What `create` needs: a name and a command line; the rest defaults as sc.exe does (own process, manual, normal errors, LocalSystem). */
export interface ServiceDefinition extends ServiceSettings {
  name: string;
  binaryPath: string;
  /**
   * The service's security as SDDL (its DACL, and owner and group when given), set last; without
   * it the service has the SCM's default. See {@link Service.setSecurity}.
   */
  security?: string;
}

/** The ChangeServiceConfig2W levels of a change, as numbers, in the order they are applied. */
export interface LevelChanges {
  description?: string;
  delayedAutoStart?: number;
  failure?: FailureChange;
  preshutdownTimeout?: number;
  requiredPrivileges?: readonly string[];
  sidType?: number;
  triggers?: readonly ServiceTrigger[];
}

const MAX_DWORD = 0xffff_ffff;

/** The number of `value` in `table`; a TypeError naming the accepted names for anything else. */
function codeOf<K extends string>(table: Record<K, number>, value: unknown, what: string): number {
  if (typeof value === 'string' && Object.hasOwn(table, value)) return table[value as K];
  throw new TypeError(`${what} must be one of ${Object.keys(table).join(', ')} (not ${JSON.stringify(value)})`);
}

/** Checks a 32-bit unsigned count (milliseconds, seconds). */
function checkDword(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_DWORD)
    throw new RangeError(`${what} must be a whole number from 0 to ${MAX_DWORD} (not ${value})`);
}

/** Checks a string the SCM takes as a C string: no NUL inside. */
function checkText(value: string | undefined, what: string): void {
  if (value !== undefined && (typeof value !== 'string' || value.includes('\0')))
    throw new TypeError(`${what} must be a string without NUL characters`);
}

function checkNames(values: readonly string[] | undefined, what: string): void {
  if (values === undefined) return;
  for (const value of values) {
    if (typeof value !== 'string' || value === '' || value === '+' || value.includes('\0'))
      throw new TypeError(`${what} must be non-empty names without NUL characters (not ${JSON.stringify(value)})`);
  }
}

/** The start type number of a startup name ('delayed' is auto). */
export function startTypeOf(startup: Startup): number {
  return startup === 'delayed' ? StartupType.auto : codeOf(StartupType, startup, 'startup');
}

/** The dwServiceType of a type name and the interactive flag. */
export function serviceTypeOf(type: ServiceTypeName, interactive = false): number {
  const code = codeOf(ServiceType, type, 'serviceType');
  if (interactive && code !== ServiceType.WIN32_OWN_PROCESS && code !== ServiceType.WIN32_SHARE_PROCESS) {
    throw new TypeError('interactive applies only to WIN32_OWN_PROCESS and WIN32_SHARE_PROCESS services');
  }
  return interactive ? code | SERVICE_INTERACTIVE_PROCESS : code;
}

/** The ChangeServiceConfigW fields of a change (undefined: SERVICE_NO_CHANGE). Throws on a bad value. */
export function baseChange(settings: ServiceSettings): ServiceConfigChange {
  if (settings.interactive !== undefined && settings.serviceType === undefined)
    throw new TypeError('interactive needs serviceType beside it');
  for (const field of ['displayName', 'binaryPath', 'loadOrderGroup', 'account', 'password'] as const) checkText(settings[field], field);
  if (settings.binaryPath !== undefined && settings.binaryPath.trim() === '') throw new TypeError('binaryPath must not be empty');
  if (settings.displayName !== undefined && settings.displayName === '') throw new TypeError('displayName must not be empty');
  checkNames(settings.dependencies, 'dependencies');
  return {
    serviceType: settings.serviceType === undefined ? undefined : serviceTypeOf(settings.serviceType, settings.interactive),
    startType: settings.startup === undefined ? undefined : startTypeOf(settings.startup),
    errorControl: settings.errorControl === undefined ? undefined : codeOf(ErrorControl, settings.errorControl, 'errorControl'),
    binaryPath: settings.binaryPath,
    loadOrderGroup: settings.loadOrderGroup,
    dependencies: settings.dependencies,
    account: settings.account,
    password: settings.password,
    displayName: settings.displayName,
  };
}

/** Whether a ChangeServiceConfigW change changes anything. */
export function changesBase(change: ServiceConfigChange): boolean {
  return Object.values(change).some((value) => value !== undefined);
}

/**
 * The ChangeServiceConfig2W levels of a change. The delayed flag follows `startup`: set for
 * 'delayed', cleared for 'auto' and 'manual', left alone for 'disabled', boot, system and drivers.
 */
export function levelChanges(settings: ServiceSettings): LevelChanges {
  checkText(settings.description, 'description');
  if (settings.preshutdownTimeout !== undefined) checkDword(settings.preshutdownTimeout, 'preshutdownTimeout');
  checkNames(settings.requiredPrivileges, 'requiredPrivileges');
  if (settings.failure) checkFailure(settings.failure);
  if (settings.triggers !== undefined) toRawTriggers(settings.triggers);
  const startup = settings.startup;
  const driver = settings.serviceType === 'KERNEL_DRIVER' || settings.serviceType === 'FILE_SYSTEM_DRIVER';
  return {
    description: settings.description,
    delayedAutoStart: driver ? undefined : startup === 'delayed' ? 1 : startup === 'auto' || startup === 'manual' ? 0 : undefined,
    failure: settings.failure,
    preshutdownTimeout: settings.preshutdownTimeout,
    requiredPrivileges: settings.requiredPrivileges,
    sidType: settings.sidType === undefined ? undefined : codeOf(SidType, settings.sidType, 'sidType'),
    triggers: settings.triggers,
  };
}

function checkFailure(failure: FailureChange): void {
  for (const action of failure.actions ?? []) {
    codeOf(FailureActionType, action.type, 'a failure action type');
    checkDword(action.delay, 'a failure action delay');
  }
  if (failure.resetPeriod !== undefined) checkDword(failure.resetPeriod, 'failure.resetPeriod');
  checkText(failure.command, 'failure.command');
  checkText(failure.rebootMessage, 'failure.rebootMessage');
}

/** Whether a failure change touches the SERVICE_FAILURE_ACTIONS level (not only the flag). */
export function changesFailureActions(failure: FailureChange): boolean {
  const { onNonCrashFailures: _flag, ...fields } = failure;
  return Object.values(fields).some((value) => value !== undefined);
}

/** `change` over the failure actions a service has: given fields replace, the others stay. */
export function mergeFailureActions(current: FailureActions, change: FailureChange): FailureActions {
  return {
    resetPeriod: change.resetPeriod ?? current.resetPeriod,
    command: change.command ?? current.command,
    rebootMessage: change.rebootMessage ?? current.rebootMessage,
    actions: change.actions?.map((action) => ({ type: FailureActionType[action.type], delay: action.delay })) ?? current.actions,
  };
}

/** Checks a whole definition (name, command line, every setting) before `create` calls the SCM. */
export function checkDefinition(definition: ServiceDefinition): void {
  if (typeof definition.name !== 'string' || definition.name === '' || definition.name.includes('\0'))
    throw new TypeError('name must be a non-empty string');
  if (typeof definition.binaryPath !== 'string') throw new TypeError('binaryPath must be given');
  baseChange(definition);
  levelChanges(definition);
  if (definition.security !== undefined) checkServiceSecurity(definition.security);
}

/** Checks an SDDL string a service's security may be set to: well formed, and no SACL (it needs SeSecurityPrivilege). */
export function checkServiceSecurity(sddl: string): ParsedSddl {
  const parsed = parseSddl(sddl);
  if (parsed.sacl) throw new SyntaxError('the SACL (S:) of a service is not set here (it needs SeSecurityPrivilege): leave it out');
  if (parsed.dacl === undefined && parsed.owner === undefined && parsed.group === undefined)
    throw new SyntaxError('the security descriptor sets nothing: give D:, O: or G:');
  return parsed;
}
