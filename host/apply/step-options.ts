/**
 * The ServiceOptions each step of a plan passes to the installer's `install` and `update`: a
 * creation gets everything the file gives; an update only the settings that changed, so nothing
 * else is touched. Secret values (secret variables, a user account's password) are read here
 * from the environment apply runs in, and only for what is written: a missing variable is
 * reported for every step before any step runs. Pure (the environment is passed in).
 * @module
 */
import type { FailureOptions, ServiceOptions } from '../../installer/install.ts';
import type { StoredLogOptions } from '../layout/log-settings.ts';
import { PASSWORD_VARIABLE } from '../cli/secrets.ts';
import type { DesiredEntry } from './desired-state.ts';
import { pathStep } from './json-schema.ts';
import type { Change } from './plan.ts';
import type { ServiceState, StateKey } from './service-state.ts';

/** A variable a step needs that the environment does not have. */
export interface MissingVariable {
  /** The JSON path of the setting that names it. */
  path: string;
  variable: string;
}

/** The options of one step, or what it lacks. */
export interface StepOptions {
  options: ServiceOptions;
  missing: MissingVariable[];
}

/** Settings ChangeServiceConfigW writes in one call: Wine 8's SCM then loses the dependencies it is not given. */
const SCM_CONFIG_KEYS: readonly StateKey[] = [
  'displayName',
  'startup',
  'errorControl',
  'loadOrderGroup',
  'dependencies',
  'account',
  'sharedGroup',
];

type Env = Readonly<Record<string, string | undefined>>;

function secretValues(desired: DesiredEntry, names: readonly string[], env: Env, missing: MissingVariable[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const variable = desired.entry.secretEnvironment![name]!;
    const value = env[variable];
    if (value === undefined) missing.push({ path: `${desired.at}.secretEnvironment${pathStep(name)}`, variable });
    else values[name] = value;
  }
  return values;
}

function password(desired: DesiredEntry, env: Env, missing: MissingVariable[]): string | undefined {
  if (desired.options.account?.kind !== 'user') return undefined;
  const variable = desired.entry.passwordEnv ?? PASSWORD_VARIABLE;
  const value = env[variable];
  if (value === undefined) missing.push({ path: `${desired.at}.${desired.entry.passwordEnv ? 'passwordEnv' : 'account'}`, variable });
  return value;
}

/** What `install` is given to create `desired`. */
export function createOptions(desired: DesiredEntry, env: Env): StepOptions {
  const missing: MissingVariable[] = [];
  const secrets = secretValues(desired, Object.keys(desired.entry.secretEnvironment ?? {}), env, missing);
  const options: ServiceOptions = { ...desired.options, name: desired.name, password: password(desired, env, missing) };
  if (Object.keys(secrets).length) options.secrets = secrets;
  return { options, missing };
}

/** What `update` is given to change, of `current`, the `changes` (and every secret again with `rotateSecrets`). */
export function updateOptions(
  desired: DesiredEntry,
  current: ServiceState,
  changes: readonly Change[],
  rotateSecrets: boolean,
  env: Env,
): StepOptions {
  const missing: MissingVariable[] = [];
  const given = desired.options;
  const changed = new Set(changes.map((change) => change.key));
  const options: ServiceOptions = { allowOutside: given.allowOutside };
  const failure: FailureOptions = {};
  const log: StoredLogOptions = {};
  for (const key of changed) {
    switch (key) {
      case 'module':
        // The module itself is the step's spec; loading it takes the load timeout the file gives.
        options.loadTimeout = given.loadTimeout;
        break;
      case 'displayName':
        options.displayName = given.displayName;
        break;
      case 'description':
        options.description = given.description;
        break;
      case 'startup':
        options.startup = given.startup;
        break;
      case 'dependencies':
        options.dependencies = given.dependencies;
        break;
      case 'loadOrderGroup':
        options.loadOrderGroup = given.loadOrderGroup;
        break;
      case 'account':
        options.account = given.account;
        options.password = password(desired, env, missing);
        break;
      case 'errorControl':
        options.errorControl = given.errorControl;
        break;
      case 'failureActions':
        failure.actions = given.failure?.actions;
        break;
      case 'failureReset':
        failure.resetPeriod = given.failure?.resetPeriod;
        break;
      case 'failureCommand':
        failure.command = given.failure?.command;
        break;
      case 'rebootMessage':
        failure.rebootMessage = given.failure?.rebootMessage;
        break;
      case 'failureNonCrash':
        failure.onNonCrashFailures = given.failure?.onNonCrashFailures;
        break;
      case 'preshutdownTimeout':
        options.preshutdownTimeout = given.preshutdownTimeout;
        break;
      case 'requiredPrivileges':
        options.requiredPrivileges = given.requiredPrivileges;
        break;
      case 'sidType':
        options.sidType = given.sidType;
        break;
      case 'environment':
      case 'secretEnvironment':
        break; // Below, together.
      case 'dotenv':
        options.envFile = given.envFile;
        break;
      case 'workingDirectory':
        options.workingDirectory = given.workingDirectory;
        break;
      case 'arguments':
        options.arguments = given.arguments;
        break;
      case 'messages':
        options.messages = given.messages;
        break;
      case 'sharedGroup':
        options.sharedGroup = given.sharedGroup;
        break;
      case 'loadTimeout':
        options.loadTimeout = given.loadTimeout;
        break;
      case 'log':
        log.none = given.log?.none ?? false;
        break;
      case 'logDir':
        log.dir = given.log?.dir;
        break;
      case 'logMaxSize':
        log.maxSize = given.log?.maxSize;
        break;
      case 'logRoll':
        log.roll = given.log?.roll;
        break;
      case 'logKeep':
        log.keep = given.log?.keep;
        break;
      case 'logTimestamps':
        log.timestamps = given.log?.timestamps ?? false;
        break;
    }
  }
  if (Object.keys(failure).length) options.failure = failure;
  if (Object.keys(log).length) options.log = log;
  if (rotateSecrets && desired.options.account?.kind === 'user' && options.password === undefined) {
    options.account = given.account;
    options.password = password(desired, env, missing);
  }
  if ([...changed].some((key) => SCM_CONFIG_KEYS.includes(key)) && options.dependencies === undefined) {
    options.dependencies = given.dependencies ?? current.dependencies;
  }
  variables(desired, current, changed, rotateSecrets, env, missing, options);
  return { options, missing };
}

/**
 * The plain and secret variables: the file's plain ones exactly (others removed), secret names
 * added get their values (all of them with `rotateSecrets`), secret names dropped are removed.
 */
function variables(
  desired: DesiredEntry,
  current: ServiceState,
  changed: ReadonlySet<StateKey>,
  rotate: boolean,
  env: Env,
  missing: MissingVariable[],
  options: ServiceOptions,
): void {
  const wantPlain = desired.entry.environment;
  const wantSecret = desired.entry.secretEnvironment;
  const environment: Record<string, string | undefined> = {};
  if (changed.has('environment') && wantPlain) {
    for (const name of Object.keys(current.environment ?? {})) if (!(name in wantPlain)) environment[name] = undefined;
    Object.assign(environment, wantPlain);
  }
  if ((changed.has('secretEnvironment') || rotate) && wantSecret) {
    const had = new Set((current.secretEnvironment ?? []).map((name) => name.toLowerCase()));
    const names = Object.keys(wantSecret).filter((name) => rotate || !had.has(name.toLowerCase()));
    const values = secretValues(desired, names, env, missing);
    if (Object.keys(values).length) options.secrets = values;
    for (const name of current.secretEnvironment ?? []) {
      const kept =
        Object.keys(wantSecret).some((wanted) => wanted.toLowerCase() === name.toLowerCase()) ||
        (wantPlain !== undefined && name in wantPlain);
      if (!kept) environment[name] = undefined;
    }
  }
  if (Object.keys(environment).length) options.environment = environment;
}
