/**
 * `perf <path>... [--interval MS] [--count N] [--json]` reads performance counters through PDH
 * (wildcard paths expanded); `perf --expand <path>...` prints what wildcard paths stand for;
 * `perf --parse <path>... [--json]` prints a path's parts (and the path PdhMakeCounterPathW builds
 * back from them); `perf --list [object]` lists the objects, or the counters and instances of one;
 * `perf --names <service>` prints the names a service's counters are registered under.
 * @module
 */
import { registeredCounterNames } from '../../../installer/counters.ts';
import { CounterPathError, hasWildcard } from '../../../runtime/perf/counter-path.ts';
import { expand, listCounters, listObjects, parseCounterPath, query, sample } from '../../../runtime/perf/query.ts';
import { makeCounterPathNative } from '../../../runtime/win32/pdh.ts';
import { isWindowsError } from '../../../runtime/win32/windows-error.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

function positiveInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--${option} must be a positive whole number, not '${value}'`);
  return Number(value);
}

function printList(object: string | undefined): void {
  if (object === undefined) {
    for (const name of listObjects()) console.log(name);
    return;
  }
  const { counters, instances } = listCounters(object);
  console.log(`Counters of ${object}:`);
  for (const counter of counters) console.log(`  ${counter}`);
  if (instances.length > 0) console.log(`Instances: ${instances.join(', ')}`);
}

/** Prints the set's and counters' names and descriptions as the strings DLL holds them (read with LoadStringW). */
function printNames(service: string, json: boolean | undefined): void {
  const names = registeredCounterNames(service);
  if (json) {
    console.log(JSON.stringify(names));
    return;
  }
  console.log(`${names.name}: ${names.description}`);
  for (const counter of names.counters) console.log(`  ${counter.name}: ${counter.description}`);
}

/** Each path's parts (the TS parser) and the path PDH builds from them, or why it cannot. */
function printParsed(paths: readonly string[], json: boolean | undefined): void {
  for (const path of paths) {
    const elements = parseCounterPath(path);
    let pdhPath: string;
    try {
      pdhPath = makeCounterPathNative(elements);
    } catch (error) {
      if (!isWindowsError(error)) throw error;
      pdhPath = `(PdhMakeCounterPathW failed: ${error.systemMessage})`;
    }
    if (json) {
      console.log(JSON.stringify({ path, ...elements, pdhPath }));
      continue;
    }
    console.log(path);
    for (const [key, value] of Object.entries(elements)) console.log(`  ${key}: ${value}`);
    console.log(`  PdhMakeCounterPathW: ${pdhPath}`);
  }
}

export const perfCommand: Command = {
  name: 'perf',
  usage:
    '<counter path>... [--interval MS] [--count N] [--json] | --expand <path>... | --parse <path>... [--json] | --list [object] | --names <service> [--json]',
  summary:
    'read performance counters by path (e.g. "\\System\\System Up Time"), list objects and their counters, or a service\'s registered counter names',
  async run(argv) {
    try {
      await runPerf(argv);
    } catch (error) {
      // A malformed path is the user's input: a usage error, with what is wrong.
      if (error instanceof CounterPathError) throw new UsageError(error.message);
      throw error;
    }
  },
};

async function runPerf(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      list: { type: 'boolean' },
      names: { type: 'boolean' },
      expand: { type: 'boolean' },
      parse: { type: 'boolean' },
      interval: { type: 'string' },
      count: { type: 'string' },
      json: { type: 'boolean' },
    },
    { names: ['counter path'], required: 0, variadic: true },
  );
  if (values.names) {
    if (positionals.length !== 1) throw new UsageError('--names takes one service name');
    printNames(positionals[0]!, values.json);
    return;
  }
  if (values.expand || values.parse) {
    if (positionals.length === 0) throw new UsageError(`--${values.expand ? 'expand' : 'parse'} takes one or more counter paths`);
    if (values.parse) printParsed(positionals, values.json);
    else for (const path of positionals) for (const expanded of expand(path)) console.log(expanded);
    return;
  }
  if (values.list) {
    if (positionals.length > 1) throw new UsageError('--list takes at most one object name');
    printList(positionals[0]);
    return;
  }
  if (positionals.length === 0) throw new UsageError('missing <counter path>');
  const interval = positiveInteger('interval', values.interval);
  const count = positiveInteger('count', values.count);
  const print = (entry: Record<string, number>) => {
    if (values.json) console.log(JSON.stringify(entry));
    else for (const [path, value] of Object.entries(entry)) console.log(`${path} = ${value}`);
  };
  if (count === undefined && positionals.length === 1 && !hasWildcard(positionals[0]!)) {
    print({ [positionals[0]!]: await query(positionals[0]!, { interval }) });
    return;
  }
  for await (const entry of sample(positionals, { interval, count: count ?? 1 })) print(entry);
}
