/**
 * One service of an apply file, as the file holds it (schema/nodeservice.schema.json), and its
 * translation into the command-line values `install`/`update` take: every check service-options.ts
 * makes on the command line is made on the file too, through that same code, so the two cannot
 * accept different things.
 * @module
 */
import type { ParsedValues } from '../cli/args.ts';
import type { serviceOptions } from '../cli/commands/service-options.ts';
import type { ErrorControlName, FailureActionName, SidTypeName, Startup } from '../../runtime/control/config.ts';
import type { LogRoll } from '../layout/log-settings.ts';
import { STATE_KEYS } from './service-state.ts';

/** A service as the file declares it; a key left out is not managed. */
export interface ServiceEntry {
  module: string;
  displayName?: string;
  description?: string;
  startup?: Startup;
  dependencies?: string[];
  loadOrderGroup?: string;
  account?: string;
  passwordEnv?: string;
  errorControl?: ErrorControlName;
  failureActions?: { type: FailureActionName; delay?: number }[];
  failureReset?: number;
  failureCommand?: string;
  rebootMessage?: string;
  failureNonCrash?: boolean;
  preshutdownTimeout?: number;
  requiredPrivileges?: string[];
  sidType?: SidTypeName;
  environment?: Record<string, string>;
  secretEnvironment?: Record<string, string>;
  dotenv?: string;
  workingDirectory?: string;
  arguments?: string[];
  allowOutside?: boolean;
  messages?: string;
  sharedGroup?: string | false;
  loadTimeout?: number | 'infinite';
  log?: 'files' | 'none';
  logDir?: string;
  logMaxSize?: number | string;
  logRoll?: LogRoll;
  logKeep?: number;
  logTimestamps?: boolean;
}

/** The whole file. */
export interface ApplyFile {
  $schema?: string;
  services: Record<string, ServiceEntry>;
}

/** The keys a file has beyond the settings apply compares (service-state.ts), each after the key it follows. */
const FILE_ONLY_KEYS = { account: 'passwordEnv', arguments: 'allowOutside' } as const;

/**
 * Every key of a service entry, in the order export writes them: the settings in plan order with the
 * file-only keys after the ones they belong to. The schema's keys must be exactly these (unit-tested).
 */
export const ENTRY_KEYS: readonly (keyof ServiceEntry)[] = STATE_KEYS.flatMap((key) =>
  Object.hasOwn(FILE_ONLY_KEYS, key) ? [key, FILE_ONLY_KEYS[key as keyof typeof FILE_ONLY_KEYS]] : [key],
);

/** The keys that hold a path (resolved against the file's folder). */
export const PATH_KEYS = ['dotenv', 'workingDirectory', 'messages', 'logDir'] as const;

type CliValues = ParsedValues<typeof serviceOptions> & { name?: string; 'shared-group'?: string; 'own-process'?: boolean };

/** The command-line option each key stands for, to name in messages (`--log-keep`). */
export const OPTION_OF: Partial<Record<keyof ServiceEntry, string>> = {
  displayName: 'display-name',
  description: 'description',
  startup: 'startup',
  dependencies: 'depends',
  loadOrderGroup: 'group',
  account: 'username',
  errorControl: 'error-control',
  failureActions: 'failure-actions',
  failureReset: 'failure-reset',
  failureCommand: 'failure-command',
  rebootMessage: 'reboot-message',
  failureNonCrash: 'failure-non-crash',
  preshutdownTimeout: 'preshutdown-timeout',
  requiredPrivileges: 'privileges',
  sidType: 'sid-type',
  environment: 'env',
  secretEnvironment: 'secret-env',
  dotenv: 'dotenv',
  workingDirectory: 'cwd',
  arguments: 'arg',
  allowOutside: 'allow-outside',
  messages: 'messages',
  sharedGroup: 'shared-group',
  loadTimeout: 'load-timeout',
  log: 'log',
  logDir: 'log-dir',
  logMaxSize: 'log-max-size',
  logRoll: 'log-roll',
  logKeep: 'log-keep',
  logTimestamps: 'log-timestamps',
};

/** `entry` as the values `install <module> --name <name> …` would have parsed (paths already absolute). */
export function toCliValues(name: string, entry: ServiceEntry): CliValues {
  const values: CliValues = { name };
  const set = <K extends keyof CliValues>(key: K, value: CliValues[K] | undefined) => {
    if (value !== undefined) values[key] = value;
  };
  set('display-name', entry.displayName);
  set('description', entry.description);
  set('startup', entry.startup);
  set('depends', entry.dependencies?.join(','));
  set('group', entry.loadOrderGroup);
  set('username', entry.account);
  set('error-control', entry.errorControl);
  if (entry.failureActions !== undefined) {
    values['failure-actions'] =
      entry.failureActions.length === 0 ? 'none' : entry.failureActions.map((action) => `${action.type}/${action.delay ?? 0}`).join(',');
  }
  set('failure-reset', entry.failureReset?.toString());
  set('failure-command', entry.failureCommand);
  set('reboot-message', entry.rebootMessage);
  set('failure-non-crash', entry.failureNonCrash);
  set('preshutdown-timeout', entry.preshutdownTimeout?.toString());
  set('privileges', entry.requiredPrivileges?.join(','));
  set('sid-type', entry.sidType);
  set('env', entry.environment && Object.entries(entry.environment).map(([key, value]) => `${key}=${value}`));
  set('secret-env', entry.secretEnvironment && Object.keys(entry.secretEnvironment));
  if (entry.dotenv === '') values['clear-dotenv'] = true;
  else set('dotenv', entry.dotenv);
  set('cwd', entry.workingDirectory);
  set('arg', entry.arguments);
  set('allow-outside', entry.allowOutside);
  set('messages', entry.messages);
  if (entry.sharedGroup === false) values['own-process'] = true;
  else set('shared-group', entry.sharedGroup);
  set('load-timeout', entry.loadTimeout?.toString());
  set('log', entry.log);
  set('log-dir', entry.logDir);
  set('log-max-size', entry.logMaxSize?.toString());
  set('log-roll', entry.logRoll);
  set('log-keep', entry.logKeep?.toString());
  if (entry.logTimestamps !== undefined) values[entry.logTimestamps ? 'log-timestamps' : 'no-log-timestamps'] = true;
  return values;
}
