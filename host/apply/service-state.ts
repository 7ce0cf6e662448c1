/**
 * A service's settings in one comparable form, whichever side they come from: the file (desired,
 * paths resolved, units as stored) or the machine (the SCM's configuration and the Parameters key).
 * Each setting has its own notion of "the same" (Windows paths, account and group names are
 * case-insensitive; dependencies are a set) and its own way to be shown in a plan (variables by
 * name only, never their values). Pure, so the plan is unit-tested without Windows.
 * @module
 */
import { formatSize } from '../layout/log-settings.ts';
import type { ErrorControlName, FailureActionName, SidTypeName, Startup } from '../../runtime/control/config.ts';
import type { LogRoll } from '../layout/log-settings.ts';

/** Which module implements the service. */
export interface ModuleState {
  /** The entry file. */
  path: string;
  /** The export; undefined in the file when it names none (then it is not compared). */
  export?: string;
  /** The app folder it came from, when installed from one. */
  appDir?: string;
}

/** Every setting apply manages; undefined: not managed (file) or unknown (machine). */
export interface ServiceState {
  module?: ModuleState;
  displayName?: string;
  description?: string;
  startup?: Startup;
  dependencies?: readonly string[];
  loadOrderGroup?: string;
  /** The account as CreateServiceW takes it (parseAccount's name). */
  account?: string;
  errorControl?: ErrorControlName;
  failureActions?: readonly { type: FailureActionName; delay: number }[];
  failureReset?: number;
  failureCommand?: string;
  rebootMessage?: string;
  failureNonCrash?: boolean;
  preshutdownTimeout?: number;
  requiredPrivileges?: readonly string[];
  sidType?: SidTypeName;
  environment?: Readonly<Record<string, string>>;
  /** The names of the secret variables (their values are never compared, see apply's --rotate-secrets). */
  secretEnvironment?: readonly string[];
  /** '' for none. */
  dotenv?: string;
  /** '' for the default. */
  workingDirectory?: string;
  arguments?: readonly string[];
  /** The service's message DLL (generated from an .mc file, or prebuilt). */
  messages?: string;
  sharedGroup?: string | false;
  /** Milliseconds; Infinity for no limit. */
  loadTimeout?: number;
  log?: 'files' | 'none';
  /** '' for the default folder. */
  logDir?: string;
  logMaxSize?: number;
  logRoll?: LogRoll;
  logKeep?: number;
  logTimestamps?: boolean;
}

export type StateKey = keyof ServiceState;

/** The settings in the order plans list them. */
export const STATE_KEYS = [
  'module',
  'displayName',
  'description',
  'startup',
  'dependencies',
  'loadOrderGroup',
  'account',
  'errorControl',
  'failureActions',
  'failureReset',
  'failureCommand',
  'rebootMessage',
  'failureNonCrash',
  'preshutdownTimeout',
  'requiredPrivileges',
  'sidType',
  'environment',
  'secretEnvironment',
  'dotenv',
  'workingDirectory',
  'arguments',
  'messages',
  'sharedGroup',
  'loadTimeout',
  'log',
  'logDir',
  'logMaxSize',
  'logRoll',
  'logKeep',
  'logTimestamps',
] as const satisfies readonly StateKey[];

/** A Windows path for comparison: one separator, no trailing one, case folded. */
function pathKey(file: string): string {
  return file.replaceAll('/', '\\').replace(/\\+$/, '').toLowerCase();
}

function sortedLower(items: readonly string[]): string {
  return JSON.stringify(items.map((item) => item.toLowerCase()).sort());
}

function sortedEntries(map: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

type Same<K extends StateKey> = (desired: NonNullable<ServiceState[K]>, current: NonNullable<ServiceState[K]>) => boolean;

const caseless = (a: string | false, b: string | false) =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
const paths = (a: string, b: string) => pathKey(a) === pathKey(b);
const sets = (a: readonly string[], b: readonly string[]) => sortedLower(a) === sortedLower(b);

const SAME: { [K in StateKey]?: Same<K> } = {
  module: (a, b) => paths(a.path, b.path) && (a.export === undefined || a.export === b.export),
  dependencies: sets,
  loadOrderGroup: caseless,
  account: caseless,
  requiredPrivileges: sets,
  environment: (a, b) => sortedEntries(a) === sortedEntries(b),
  secretEnvironment: sets,
  dotenv: paths,
  workingDirectory: paths,
  messages: paths,
  sharedGroup: caseless,
  logDir: paths,
};

/** True when the desired value of `key` is what the machine has (a setting the file does not manage always is). */
export function isSame<K extends StateKey>(key: K, desired: ServiceState[K], current: ServiceState[K]): boolean {
  if (desired === undefined) return true;
  if (current === undefined) return false;
  const same = SAME[key] as Same<K> | undefined;
  return same
    ? same(desired as NonNullable<ServiceState[K]>, current as NonNullable<ServiceState[K]>)
    : JSON.stringify(desired) === JSON.stringify(current);
}

/** A value as a plan shows it: variables by name only (their values may be secrets), sizes and times in the file's units. */
export function showValue<K extends StateKey>(key: K, value: ServiceState[K]): string {
  if (value === undefined) return '(unknown)';
  switch (key) {
    case 'module': {
      const module = value as ModuleState;
      return module.export === undefined || module.export === 'default' ? module.path : `${module.path}#${module.export}`;
    }
    case 'environment':
      return `{${Object.keys(value as Record<string, string>).join(', ')}} (values not shown)`;
    case 'secretEnvironment':
      return `{${(value as string[]).join(', ')}}`;
    case 'loadTimeout':
      return value === Infinity ? 'infinite' : `${(value as number) / 1000} s`;
    case 'logMaxSize':
      return formatSize(value as number);
    case 'failureActions':
      return (value as { type: string; delay: number }[]).map((action) => `${action.type}/${action.delay}`).join(',') || 'none';
    case 'dotenv':
      return value === '' ? '(none)' : String(value);
    case 'workingDirectory':
    case 'logDir':
      return value === '' ? '(default)' : String(value);
    default:
      return JSON.stringify(value);
  }
}
