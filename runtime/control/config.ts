/**
 * A service's whole configuration, with its numbers named: QueryServiceConfigW and every
 * QueryServiceConfig2W level the control API sets. Settings are lower-case words, as `sc config`
 * takes them (`'manual'`, `'normal'`); the values a status reports keep Windows' upper-case names
 * (see service/constants.ts for why each layer has its own style).
 * @module
 */
import { queryServiceConfig, type FailureActions } from '../win32/advapi32/service-config.ts';
import type { ScHandle } from '../win32/advapi32/services.ts';
import { querySetting, settings } from './config-settings.ts';
import { databaseDependencies } from './service-database.ts';
import { ServiceTypeFlags } from '../service/service-flags.ts';
import type { ServiceTrigger } from './triggers.ts';

/** Start types by name; 'delayed' is auto with SERVICE_CONFIG_DELAYED_AUTO_START_INFO. */
export const StartupType = { boot: 0, system: 1, auto: 2, manual: 3, disabled: 4 } as const;
/** How a service starts. */
export type Startup = keyof typeof StartupType | 'delayed';

/** Error control by name (SERVICE_ERROR_*): what the system does when the service fails to start at boot. */
export const ErrorControl = { ignore: 0, normal: 1, severe: 2, critical: 3 } as const;
/** A name of {@link ErrorControl}. */
export type ErrorControlName = keyof typeof ErrorControl;

/** Service SID types by name (SERVICE_SID_TYPE_*). */
export const SidType = { none: 0, unrestricted: 1, restricted: 3 } as const;
/** A name of {@link SidType}. */
export type SidTypeName = keyof typeof SidType;

/** Failure action types by name (SC_ACTION_*). */
export const FailureActionType = { none: 0, restart: 1, reboot: 2, run: 3 } as const;
/** A name of {@link FailureActionType}. */
export type FailureActionName = keyof typeof FailureActionType;

/** What the SCM does after the service fails, the n-th time for the n-th action (the last repeats). */
export interface FailurePolicy {
  /** Seconds without failure after which the count starts again (0xFFFFFFFF: never). */
  resetPeriod: number;
  actions: { type: FailureActionName; delay: number }[];
  /** The command line a 'run' action runs. */
  command: string;
  /** The message broadcast before a 'reboot' action. */
  rebootMessage: string;
  /** Act also when the service stops with a non-zero exit code, not only when its process ends. */
  onNonCrashFailures: boolean;
}

/** Everything the SCM holds for a service. */
export interface ServiceConfig {
  name: string;
  displayName: string;
  description: string;
  /** The kind of service and its flags (`.raw` is dwServiceType; JSON gives the number). */
  serviceType: ServiceTypeFlags;
  typeName: string;
  startup: Startup;
  errorControl: ErrorControlName;
  binaryPath: string;
  loadOrderGroup: string;
  /** Services this one needs running first. */
  dependencies: string[];
  /** Load-order groups this one needs (at least one member) running first. */
  groupDependencies: string[];
  /** The account it runs as, e.g. LocalSystem or NT AUTHORITY\LocalService. */
  account: string;
  failure: FailurePolicy;
  /** Milliseconds the SCM waits after sending PRESHUTDOWN. */
  preshutdownTimeout: number;
  requiredPrivileges: string[];
  sidType: SidTypeName;
  /** The events the SCM starts or stops the service on (SERVICE_CONFIG_TRIGGER_INFO). */
  triggers: ServiceTrigger[];
}

/** The name of a value in a name table, or the number in hex when it has none. */
export function nameOf<K extends string>(table: Record<K, number>, value: number): K {
  return ((Object.keys(table) as K[]).find((key) => table[key] === value) ?? `0x${value.toString(16)}`) as K;
}

function namedActions(failure: FailureActions): FailurePolicy['actions'] {
  return failure.actions.map((action) => ({ type: nameOf(FailureActionType, action.type), delay: action.delay }));
}

/**
 * The configuration of the service `service` (opened with QUERY_CONFIG). `local` lets settings the
 * SCM cannot report be read from its database on this machine.
 */
export function readConfig(service: ScHandle, name: string, local: boolean): ServiceConfig {
  const base = queryServiceConfig(service);
  const setting = <T>(key: keyof typeof settings) => querySetting(service, name, settings[key] as never, local) as T;
  const failure = setting<FailureActions>('failureActions');
  const dependencies = base.dependencies.length || !local ? base.dependencies : databaseDependencies(name);
  const delayed = base.startType === StartupType.auto && setting<number>('delayedAutoStart') !== 0;
  return {
    name,
    displayName: base.displayName,
    description: setting<string>('description'),
    serviceType: ServiceTypeFlags.fromRaw(base.serviceType),
    typeName: ServiceTypeFlags.fromRaw(base.serviceType).toString(),
    startup: delayed ? 'delayed' : nameOf(StartupType, base.startType),
    errorControl: nameOf(ErrorControl, base.errorControl),
    binaryPath: base.binaryPath,
    loadOrderGroup: base.loadOrderGroup,
    dependencies: dependencies.filter((dependency) => !dependency.startsWith('+')),
    groupDependencies: dependencies.filter((dependency) => dependency.startsWith('+')).map((group) => group.slice(1)),
    account: base.account,
    failure: {
      resetPeriod: failure.resetPeriod,
      actions: namedActions(failure),
      command: failure.command,
      rebootMessage: failure.rebootMessage,
      onNonCrashFailures: setting<number>('failureActionsOnNonCrashFailures') !== 0,
    },
    preshutdownTimeout: setting<number>('preshutdownTimeout'),
    requiredPrivileges: [...setting<readonly string[]>('requiredPrivileges')],
    sidType: nameOf(SidType, setting<number>('sidType')),
    triggers: [...setting<readonly ServiceTrigger[]>('triggers')],
  };
}
