/**
 * The options `install` and `update` share, and their translation into ServiceOptions: every
 * value is checked here, so a bad one is a usage error (exit code 2) before anything changes.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { readEnvFile } from '../../layout/env-file.ts';
import { STARTUP_VALUES, type FailureOptions, type ServiceOptions } from '../../../installer/install.ts';
import { parseAccount } from '../../../installer/accounts.ts';
import { LOG_ROLL_VALUES, parseKeep, parseSize, type LogRoll } from '../../layout/log-settings.ts';
import { checkServiceName } from '../../../installer/service-name.ts';
import {
  ErrorControl,
  FailureActionType,
  SidType,
  type ErrorControlName,
  type FailureActionName,
  type SidTypeName,
  type Startup,
} from '../../../runtime/control/config.ts';
import { isSidString } from '../../../runtime/control/service-sddl.ts';
import { parseTriggerSpec, TRIGGER_SPEC_USAGE } from '../../../runtime/control/trigger-spec.ts';
import type { ServiceTrigger } from '../../../runtime/control/triggers.ts';
import type { ParsedValues } from '../args.ts';
import { UsageError } from '../usage-error.ts';

export const serviceOptions = {
  'display-name': { type: 'string' },
  description: { type: 'string' },
  startup: { type: 'string' },
  depends: { type: 'string' },
  group: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'error-control': { type: 'string' },
  'failure-actions': { type: 'string' },
  'failure-reset': { type: 'string' },
  'failure-command': { type: 'string' },
  'reboot-message': { type: 'string' },
  'failure-non-crash': { type: 'boolean' },
  'preshutdown-timeout': { type: 'string' },
  privileges: { type: 'string' },
  'sid-type': { type: 'string' },
  env: { type: 'string', multiple: true },
  'secret-env': { type: 'string', multiple: true },
  dotenv: { type: 'string' },
  'clear-dotenv': { type: 'boolean' },
  // Declared only to refuse it with a reason (see dotenvOption).
  'env-file': { type: 'string' },
  cwd: { type: 'string' },
  arg: { type: 'string', multiple: true },
  'clear-args': { type: 'boolean' },
  'allow-outside': { type: 'boolean' },
  messages: { type: 'string' },
  'load-timeout': { type: 'string' },
  log: { type: 'string' },
  'log-dir': { type: 'string' },
  'log-max-size': { type: 'string' },
  'log-roll': { type: 'string' },
  'log-keep': { type: 'string' },
  'log-timestamps': { type: 'boolean' },
  'no-log-timestamps': { type: 'boolean' },
  'allow-control': { type: 'string', multiple: true },
  trigger: { type: 'string', multiple: true },
  'clear-triggers': { type: 'boolean' },
} as const;

export const SERVICE_OPTIONS_USAGE = [
  '[--display-name D] [--description T] [--startup manual|auto|delayed|disabled]',
  '[--depends A,B,+Group] [--group G] [--error-control ignore|normal|severe|critical]',
  '[--username LocalSystem|LocalService|NetworkService|"NT SERVICE\\<name>"|DOMAIN\\user [--password P]]',
  '[--failure-actions restart/5000,run/1000,reboot/60000|none] [--failure-reset SECONDS] [--failure-command CMD]',
  '[--reboot-message T] [--failure-non-crash] [--preshutdown-timeout MS] [--privileges SeXPrivilege,...]',
  '[--sid-type none|unrestricted|restricted] [--env NAME=VALUE]... [--secret-env NAME]... [--dotenv FILE | --clear-dotenv]',
  '[--cwd DIR] [--arg A]... [--clear-args]',
  '[--messages file.mc|file.dll] [--allow-outside] [--load-timeout SECONDS|infinite]',
  '[--log files|none] [--log-dir DIR] [--log-max-size SIZE] [--log-roll daily|never] [--log-keep N] [--log-timestamps | --no-log-timestamps]',
  '[--allow-control GROUP|ACCOUNT|SID]...',
  `[--trigger ${TRIGGER_SPEC_USAGE}]... [--clear-triggers]`,
].join('\n    ');

type Values = ParsedValues<typeof serviceOptions> & { name?: string };

function oneOf<K extends string>(option: string, value: string | undefined, names: readonly K[]): K | undefined {
  if (value === undefined) return undefined;
  if (!names.includes(value as K)) throw new UsageError(`--${option} must be one of ${names.join(', ')} (not '${value}')`);
  return value as K;
}

function count(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) throw new UsageError(`--${option} must be a whole number (not '${value}')`);
  return Number(value);
}

/**
 * A duration in seconds (decimals allowed) as milliseconds; `infinite` (where `allowInfinite`) is
 * Infinity. Up to 49 days, what a REG_DWORD of milliseconds holds.
 */
export function parseSeconds(option: string, text: string, allowInfinite = false): number {
  if (allowInfinite && text.toLowerCase() === 'infinite') return Infinity;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  const ms = Math.round(seconds * 1000);
  if (!(ms > 0) || ms >= 0xffffffff) {
    throw new UsageError(
      `${option} must be a positive number of seconds${allowInfinite ? " or 'infinite'" : ''}, at most 4294967 (not '${text}')`,
    );
  }
  return ms;
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `restart/5000,run/1000,none/0` → actions; the delay (ms) defaults to 0; `none` alone → no actions at all. */
export function parseFailureActions(text: string): { type: FailureActionName; delay: number }[] {
  if (text.trim() === 'none') return [];
  const items = list(text) ?? [];
  if (items.length === 0) throw new UsageError("--failure-actions needs ACTION[/DELAY_MS] items, or 'none' for no actions");
  return items.map((item) => {
    const match = /^([a-z]+)(?:\/(\d+))?$/.exec(item);
    const type = match?.[1] as FailureActionName | undefined;
    if (!match || !type || !(type in FailureActionType)) {
      throw new UsageError(
        `--failure-actions takes ACTION[/DELAY_MS] items, ACTION one of ${Object.keys(FailureActionType).join(', ')} (not '${item}')`,
      );
    }
    const delay = Number(match[2] ?? 0);
    if (delay > 0xffffffff) throw new UsageError(`--failure-actions: the delay of '${item}' is more than the SCM's 4294967295 ms`);
    return { type, delay };
  });
}

function failureOptions(values: Values): FailureOptions | undefined {
  const failure: FailureOptions = {
    actions: values['failure-actions'] === undefined ? undefined : parseFailureActions(values['failure-actions']),
    resetPeriod: count('failure-reset', values['failure-reset']),
    command: values['failure-command'],
    rebootMessage: values['reboot-message'],
    onNonCrashFailures: values['failure-non-crash'],
  };
  if (failure.actions?.length === 0 && (failure.resetPeriod ?? failure.command ?? failure.rebootMessage) !== undefined) {
    throw new UsageError('--failure-actions none sets no actions: leave out --failure-reset, --failure-command and --reboot-message');
  }
  if (failure.actions?.some((action) => action.type === 'run') && failure.command === undefined) {
    throw new UsageError("a 'run' failure action needs --failure-command: say which command to run");
  }
  return Object.values(failure).some((value) => value !== undefined) ? failure : undefined;
}

/** `NAME=value` items → variables; `NAME=` (nothing after '=') removes NAME on update. */
export function parseEnvironment(items: readonly string[] | undefined): Record<string, string | undefined> | undefined {
  if (items === undefined) return undefined;
  return Object.fromEntries(
    items.map((item) => {
      const at = item.indexOf('=');
      const name = item.slice(0, at);
      if (at <= 0 || !/^[^=\0]+$/.test(name)) throw new UsageError(`--env takes NAME=VALUE (not '${item}')`);
      const value = item.slice(at + 1);
      return [name, value === '' ? undefined : value];
    }),
  );
}

/** `--cwd DIR`: an existing folder, made absolute; '' removes it on update. */
function folderOption(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return value;
  const folder = path.resolve(value);
  let isFolder = false;
  try {
    isFolder = fs.statSync(folder).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isFolder) throw new UsageError(`--cwd ${folder} is not a folder: create it first, or name an existing one`);
  return folder;
}

/**
 * `--dotenv FILE`: a dotenv file that exists and parses, made absolute; `--clear-dotenv` ('')
 * removes it on update. It is not called `--env-file`: Node 22 itself scans its whole command line
 * for `--env-file X`, also after the script and in a single executable such as host.exe, before any
 * JavaScript runs. It ends the process with exit code 9 when X is missing ("host.exe: X: not
 * found") and applies X's NODE_OPTIONS to host.exe itself: a `--require` meant for the service
 * would run in the (elevated) installer, or crash it. So `--env-file` is refused, with the reason.
 */
function dotenvOption(value: string | undefined, clear: boolean | undefined, nodeOption: string | undefined): string | undefined {
  if (nodeOption !== undefined) {
    throw new UsageError(
      "--env-file is Node's own option (Node reads that file before host.exe starts, and applies its NODE_OPTIONS): use --dotenv FILE",
    );
  }
  if (clear) {
    if (value !== undefined) throw new UsageError('--dotenv and --clear-dotenv contradict each other: use one');
    return '';
  }
  if (value === undefined) return value;
  if (value === '') throw new UsageError('--dotenv needs a file: use --clear-dotenv to remove it');
  const file = path.resolve(value);
  try {
    readEnvFile(file);
  } catch (error) {
    throw new UsageError(`--dotenv ${(error as Error).message}`);
  }
  return file;
}

/** `--log-dir DIR`: made absolute; it may not exist yet (install creates it) but must not be a file; '' goes back to the default on update. */
function logDirOption(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return value;
  if (/[\0*?"<>|]/.test(value)) throw new UsageError(`--log-dir '${value}' holds a character a folder name cannot`);
  const folder = path.resolve(value);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(folder);
  } catch {
    // Created by install.
  }
  if (stat && !stat.isDirectory()) throw new UsageError(`--log-dir ${folder} is a file: name a folder`);
  return folder;
}

function checked<T>(option: string, value: string | undefined, parse: (text: string) => T): T | undefined {
  if (value === undefined) return undefined;
  try {
    return parse(value);
  } catch (error) {
    throw new UsageError(`--${option} ${(error as Error).message}`);
  }
}

/** The output capture's options (undefined: none given, nothing changes). */
function logOptions(values: Values): ServiceOptions['log'] {
  if (values['log-timestamps'] && values['no-log-timestamps'])
    throw new UsageError('--log-timestamps and --no-log-timestamps contradict each other: use one');
  const mode = oneOf('log', values.log, ['files', 'none'] as const);
  const log = {
    none: mode === undefined ? undefined : mode === 'none',
    dir: logDirOption(values['log-dir']),
    maxSize: checked('log-max-size', values['log-max-size'], parseSize),
    roll: oneOf<LogRoll>('log-roll', values['log-roll'], LOG_ROLL_VALUES),
    keep: checked('log-keep', values['log-keep'], parseKeep),
    timestamps: values['log-timestamps'] ? true : values['no-log-timestamps'] ? false : undefined,
  };
  return Object.values(log).some((value) => value !== undefined) ? log : undefined;
}

function privileges(value: string | undefined): string[] | undefined {
  const names = list(value);
  const bad = names?.find((name) => !/^Se[A-Za-z]+Privilege$/.test(name));
  if (bad !== undefined) throw new UsageError(`--privileges takes privilege names such as SeChangeNotifyPrivilege (not '${bad}')`);
  return names;
}

/** Turns parsed options into ServiceOptions, refusing bad values and combinations with a UsageError. */
export function toServiceOptions(values: Values): ServiceOptions {
  if (values.password !== undefined && values.username === undefined) {
    throw new UsageError('--password needs --username: say which account the password is for');
  }
  let account: ReturnType<typeof parseAccount> | undefined;
  try {
    account = values.username === undefined ? undefined : parseAccount(values.username);
  } catch (error) {
    throw new UsageError(`--username: ${(error as Error).message}`);
  }
  if (account && account.kind !== 'user' && values.password !== undefined) {
    throw new UsageError(`${account.name} has no password: leave out --password`);
  }
  const badSecret = values['secret-env']?.find((name) => !/^[^=\0]+$/.test(name));
  if (badSecret !== undefined)
    throw new UsageError(
      `--secret-env takes a variable name, its value is read from this console's variable or a prompt (not '${badSecret}')`,
    );
  if (values['clear-args'] && values.arg !== undefined) throw new UsageError('--clear-args and --arg contradict each other: use one');
  if (values.name !== undefined) checkServiceName(values.name, (message) => new UsageError(`--name: ${message}`));
  return {
    name: values.name,
    displayName: values['display-name'],
    description: values.description,
    startup: oneOf<Startup>('startup', values.startup, STARTUP_VALUES),
    dependencies: list(values.depends),
    loadOrderGroup: values.group,
    account,
    password: values.password,
    errorControl: oneOf<ErrorControlName>('error-control', values['error-control'], Object.keys(ErrorControl) as ErrorControlName[]),
    failure: failureOptions(values),
    preshutdownTimeout: count('preshutdown-timeout', values['preshutdown-timeout']),
    requiredPrivileges: privileges(values.privileges),
    sidType: oneOf<SidTypeName>('sid-type', values['sid-type'], Object.keys(SidType) as SidTypeName[]),
    environment: parseEnvironment(values.env),
    envFile: dotenvOption(values.dotenv, values['clear-dotenv'], values['env-file']),
    workingDirectory: folderOption(values.cwd),
    arguments: values['clear-args'] ? [] : values.arg,
    allowOutside: values['allow-outside'],
    messages: values.messages,
    loadTimeout: values['load-timeout'] === undefined ? undefined : parseSeconds('--load-timeout', values['load-timeout'], true),
    log: logOptions(values),
    allowControl: allowControlOption(values['allow-control']),
    triggers: triggerOptions(values.trigger, values['clear-triggers']),
  };
}

/**
 * `--trigger SPEC` values (see runtime/control/trigger-spec.ts), all of them replacing the
 * service's triggers; `--clear-triggers` is `[]` (no triggers, and on install not the class's).
 */
export function triggerOptions(specs: readonly string[] | undefined, clear: boolean | undefined): ServiceTrigger[] | undefined {
  if (clear) {
    if (specs !== undefined)
      throw new UsageError('--clear-triggers and --trigger contradict each other: use one (--trigger alone replaces the triggers)');
    return [];
  }
  if (specs === undefined) return undefined;
  const triggers = specs.map((spec) => {
    try {
      return parseTriggerSpec(spec);
    } catch (error) {
      throw new UsageError(`--trigger '${spec}': ${(error as Error).message}`);
    }
  });
  const seen = new Set<string>();
  for (const [i, trigger] of triggers.entries()) {
    const key = JSON.stringify(trigger);
    if (seen.has(key)) throw new UsageError(`--trigger '${specs[i]}' is given twice`);
    seen.add(key);
  }
  if (triggers.length > 64) throw new UsageError(`--trigger is given ${triggers.length} times; the SCM takes at most 64 triggers`);
  return triggers;
}

/**
 * `--allow-control` values: names are looked up by install/update (before anything changes); a
 * value that looks like a SID must be a well-formed one, checked here.
 */
export function allowControlOption(values: readonly string[] | undefined): string[] | undefined {
  return values?.map((value) => {
    const text = value.trim();
    if (text === '') throw new UsageError('--allow-control needs a group, an account or a SID (S-1-…), not an empty value');
    if (/^S-\d/i.test(text) && !isSidString(text)) {
      throw new UsageError(`--allow-control '${value}' is not a well-formed SID (S-1-<authority>-<sub-authority>…, each a 32-bit number)`);
    }
    return text;
  });
}
