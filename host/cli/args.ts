/**
 * Command-line parsing for host.exe's verbs: `util.parseArgs` with errors turned into UsageErrors
 * that say what was wrong in the user's terms.
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './usage-error.ts';

/** How many positional arguments a verb takes. */
export interface PositionalSpec {
  /** Names shown in errors, e.g. ['module']; the last may repeat when `variadic`. */
  names: readonly string[];
  /** How many are required (default: all of `names`). */
  required?: number;
  variadic?: boolean;
}

/** Parsed values, typed from the options config as util.parseArgs types them. */
export type ParsedValues<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>
>['values'];

/** The result of {@link parseCommandArgs}. */
export interface ParsedArgs<O extends ParseArgsOptionsConfig> {
  values: ParsedValues<O>;
  positionals: string[];
}

/** Parses `argv` for one verb; throws a UsageError for unknown options, missing values and wrong positional counts. */
export function parseCommandArgs<O extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: O,
  spec: PositionalSpec,
): ParsedArgs<O> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const { positionals } = parsed;
  const required = spec.required ?? spec.names.length;
  if (positionals.length < required) {
    throw new UsageError(`missing <${spec.names[positionals.length]}>`);
  }
  if (!spec.variadic && positionals.length > spec.names.length) {
    throw new UsageError(`unexpected argument '${positionals[spec.names.length]}'`);
  }
  return { values: parsed.values as ParsedValues<O>, positionals };
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // parseArgs messages end with hints about '--' that do not apply to host.exe.
  return message
    .replace(/\. To specify a positional argument starting with a '-'.*$/s, '')
    .replace(/^Unknown option/, 'unknown option')
    .replace(/^Option/, 'option');
}
