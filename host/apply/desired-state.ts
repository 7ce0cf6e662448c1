/**
 * Reads an apply file: JSON, checked against the published schema (json-schema.ts), then each
 * service's values through the very checks `install` makes on its command line
 * (service-options.ts), with relative paths taken from the file's folder. Every error names its
 * JSON path (`$.services.web.logKeep: must be an integer from 0 to 1000`) and is a usage error
 * (exit code 2): nothing on the machine is read or changed before the whole file is good.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import schemaJson from '../../schema/nodeservice.schema.json' with { type: 'json' };
import { messageDllPath } from '../../installer/messages.ts';
import type { ServiceOptions } from '../../installer/install.ts';
import { parseModuleSpec, type ModuleSpec } from '../../runtime/loader/service-module.ts';
import { sharedGroupOption } from '../cli/commands/install.ts';
import { findModuleTarget } from '../cli/commands/module-target.ts';
import { toServiceOptions } from '../cli/commands/service-options.ts';
import { UsageError } from '../cli/usage-error.ts';
import { duplicateKeys } from './duplicate-keys.ts';
import { pathStep, validate, type Schema, type SchemaError } from './json-schema.ts';
import { OPTION_OF, PATH_KEYS, toCliValues, type ApplyFile, type ServiceEntry } from './service-entry.ts';
import type { ServiceState } from './service-state.ts';

/** The published schema, as bundled into host.exe. */
export const SCHEMA: Schema = schemaJson as Schema;

/** An apply file larger than this is refused unread (a desired state is a few KiB). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The most errors one message lists. */
const MAX_ERRORS = 20;

/** What is wrong with an apply file: one `path: message` line per error. Exit code 2. */
export class ApplyFileError extends UsageError {
  readonly errors: readonly SchemaError[];
  constructor(file: string, errors: readonly SchemaError[]) {
    const shown = errors.slice(0, MAX_ERRORS).map((error) => `  ${error.path}: ${error.message}`);
    if (errors.length > MAX_ERRORS) shown.push(`  … and ${errors.length - MAX_ERRORS} more`);
    super(`${file} is not a valid NodeService state:\n${shown.join('\n')}`);
    this.errors = errors;
  }
}

/** One service of the file, checked and resolved. */
export interface DesiredEntry {
  name: string;
  /** Its JSON path, `$.services.web`. */
  at: string;
  /** As written, paths made absolute. */
  entry: ServiceEntry;
  spec: ModuleSpec;
  /** What install/update would be given for the whole entry (no secret values: those are read at apply). */
  options: ServiceOptions;
  state: ServiceState;
}

/** Parses and checks the text of an apply file whose folder is `baseDir`. */
export function parseApplyFile(text: string, file: string, baseDir: string): DesiredEntry[] {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ApplyFileError(file, [{ path: '$', message: `is not JSON: ${(error as Error).message}` }]);
  }
  const errors = duplicateKeys(text.replace(/^\uFEFF/, '')).map((at) => ({
    path: at,
    message: 'is written twice in one object (JSON keeps only the last): write it once',
  }));
  errors.push(...validate(document, SCHEMA));
  if (errors.length) throw new ApplyFileError(file, errors);
  const services = (document as ApplyFile).services;
  const seen = new Map<string, string>();
  for (const name of Object.keys(services)) {
    const other = seen.get(name.toLowerCase());
    if (other !== undefined)
      errors.push({ path: `$.services${pathStep(name)}`, message: `names the same service as "${other}" (service names ignore case)` });
    seen.set(name.toLowerCase(), name);
  }
  const entries: DesiredEntry[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const at = `$.services${pathStep(name)}`;
    try {
      entries.push(resolveEntry(name, at, raw, baseDir));
    } catch (error) {
      if (!(error instanceof EntryError)) throw error;
      errors.push({ path: error.path, message: error.message });
    }
  }
  if (errors.length) throw new ApplyFileError(file, errors);
  return entries;
}

/** Reads and checks apply file `file`. */
export function readApplyFile(file: string): DesiredEntry[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`${file} not found: name the JSON file of the desired state`);
  }
  if (!stat.isFile()) throw new UsageError(`${file} is not a file: name the JSON file of the desired state`);
  if (stat.size > MAX_FILE_BYTES)
    throw new UsageError(`${file} has ${stat.size} bytes, more than the ${MAX_FILE_BYTES} an apply file may have`);
  return parseApplyFile(fs.readFileSync(file, 'utf8'), file, path.dirname(path.resolve(file)));
}

class EntryError extends Error {
  readonly path: string;
  constructor(at: string, message: string) {
    super(message);
    this.path = at;
  }
}

/** The key of `entry` a command-line error message is about (`--log-keep …` → logKeep). */
function keyOfMessage(message: string): keyof ServiceEntry | undefined {
  const option = /^--([a-z-]+)/.exec(message)?.[1];
  return (Object.keys(OPTION_OF) as (keyof ServiceEntry)[]).find(
    (key) => OPTION_OF[key] === option || (key === 'sharedGroup' && option === 'own-process'),
  );
}

function resolveEntry(name: string, at: string, raw: ServiceEntry, baseDir: string): DesiredEntry {
  const entry: ServiceEntry = { ...raw };
  for (const key of PATH_KEYS) {
    const value = entry[key];
    if (value) entry[key] = path.resolve(baseDir, value);
  }
  let spec: ModuleSpec | undefined;
  try {
    const parsed = parseModuleSpec(entry.module, baseDir);
    entry.module = parsed.exportName === undefined ? parsed.modulePath : `${parsed.modulePath}#${parsed.exportName}`;
    spec = findModuleTarget(entry.module);
  } catch (error) {
    throw new EntryError(`${at}.module`, (error as Error).message);
  }
  if (!spec)
    throw new EntryError(
      `${at}.module`,
      `module not found: ${parseModuleSpec(entry.module).modulePath}: name the service's module file, or its app folder (with a package.json)`,
    );
  if (entry.messages !== undefined && !fs.existsSync(entry.messages))
    throw new EntryError(`${at}.messages`, `message file not found: ${entry.messages}`);
  const values = toCliValues(name, entry);
  let options: ServiceOptions;
  try {
    options = { ...toServiceOptions(values), sharedGroup: sharedGroupOption(values) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const key = keyOfMessage(error.message);
    throw new EntryError(key ? `${at}.${key}` : at, error.message);
  }
  return { name, at, entry, spec, options, state: desiredState(name, entry, spec, options) };
}

/** The comparable state the entry asks for. */
function desiredState(name: string, entry: ServiceEntry, spec: ModuleSpec, options: ServiceOptions): ServiceState {
  const failure = options.failure;
  const log = options.log;
  return {
    module: { path: spec.modulePath, export: spec.exportName, appDir: spec.appDir },
    displayName: options.displayName,
    description: options.description,
    startup: options.startup,
    dependencies: options.dependencies,
    loadOrderGroup: options.loadOrderGroup,
    account: options.account?.name,
    errorControl: options.errorControl,
    failureActions: failure?.actions,
    failureReset: failure?.resetPeriod,
    failureCommand: failure?.command,
    rebootMessage: failure?.rebootMessage,
    failureNonCrash: failure?.onNonCrashFailures,
    preshutdownTimeout: options.preshutdownTimeout,
    requiredPrivileges: options.requiredPrivileges,
    sidType: options.sidType,
    environment: entry.environment,
    secretEnvironment: entry.secretEnvironment && Object.keys(entry.secretEnvironment),
    dotenv: options.envFile,
    workingDirectory: options.workingDirectory,
    arguments: options.arguments,
    messages:
      entry.messages === undefined
        ? undefined
        : path.extname(entry.messages).toLowerCase() === '.mc'
          ? messageDllPath(spec.modulePath, name)
          : entry.messages,
    sharedGroup: options.sharedGroup,
    loadTimeout: options.loadTimeout,
    log: entry.log,
    logDir: log?.dir,
    logMaxSize: log?.maxSize,
    logRoll: log?.roll,
    logKeep: log?.keep,
    logTimestamps: entry.logTimestamps,
  };
}
