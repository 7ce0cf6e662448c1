/**
 * Reading performance counters by path through PDH, as numbers: `perf.query('\\Memory\\Available Bytes')`.
 * Paths are English (PdhAddEnglishCounterW), so scripts work on any display language; a path with
 * a wildcard (`\\Process(*)\\% Processor Time`) is expanded by PDH (PdhExpandWildCardPathW) first.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { hasWildcard, parseCounterPath } from './counter-path.ts';
import {
  addEnglishCounter,
  closeQuery,
  collectQueryData,
  enumObjectItems,
  enumObjects,
  expandWildCardPath,
  formattedValue,
  openQuery,
  type CounterHandle,
} from '../win32/pdh.ts';
import { isWindowsError } from '../win32/windows-error.ts';
import { OwnedHandle } from '../win32/owned-handle.ts';

/** PDH_INVALID_DATA and PDH_CSTATUS_INVALID_DATA: a rate counter needs a second sample. */
const NEEDS_SECOND_SAMPLE = new Set([0xc0000bc6, 0xc0000bba]);
/** The default time between the two samples a rate counter needs. */
export const DEFAULT_INTERVAL_MS = 1000;

/** Options of {@link sample}. */
export interface SampleOptions {
  /** Milliseconds between samples (default 1000). */
  interval?: number;
  /** How many values per path to yield (default: until `signal` aborts). */
  count?: number;
  signal?: AbortSignal;
}

/** A PDH query the caller owns (`using`); closing it closes its counters. */
function ownedQuery(): OwnedHandle<ReturnType<typeof openQuery>> {
  return new OwnedHandle(openQuery(), closeQuery, 'PDH query');
}

/** Adds each path to a query, failing with the path that is wrong. */
function addCounters(query: unknown, paths: readonly string[]): CounterHandle[] {
  return paths.map((path) => {
    try {
      return addEnglishCounter(query, path);
    } catch (error) {
      if (isWindowsError(error)) throw new Error(`no counter ${path}: ${error.systemMessage}`, { cause: error });
      throw error;
    }
  });
}

/**
 * The paths `path` stands for: itself, or for a wildcard path the paths PDH expands it to (the
 * instances there are now; PdhExpandWildCardPathW works on the display language's names). A
 * malformed wildcard path is refused before PDH sees it; one that matches nothing is an error.
 */
export function expand(path: string): string[] {
  if (!hasWildcard(path)) return [path];
  parseCounterPath(path);
  let paths: string[];
  try {
    paths = expandWildCardPath(path);
  } catch (error) {
    if (isWindowsError(error)) throw new Error(`cannot expand ${path}: ${error.systemMessage}`, { cause: error });
    throw error;
  }
  if (paths.length === 0) throw new Error(`no counter matches ${path}`);
  return paths;
}

/**
 * Samples `paths` (each expanded: see {@link expand}) every `interval` ms and yields their values each time (the first after one
 * interval, so rate counters have two samples).
 */
export async function* sample(paths: readonly string[], options: SampleOptions = {}): AsyncGenerator<Record<string, number>> {
  const interval = options.interval ?? DEFAULT_INTERVAL_MS;
  const expanded = [...new Set(paths.flatMap(expand))];
  using owned = ownedQuery();
  const query = owned.handle;
  const counters = addCounters(query, expanded);
  collectQueryData(query);
  for (let n = 0; options.count === undefined || n < options.count; n++) {
    await sleep(interval, undefined, { signal: options.signal });
    collectQueryData(query);
    yield Object.fromEntries(expanded.map((path, i) => [path, formattedValue(counters[i])]));
  }
}

/**
 * The current value of one counter, e.g. `\System\System Up Time`. Counters that measure a rate
 * take two samples `interval` ms apart; others answer at once.
 */
export async function query(path: string, options: { interval?: number } = {}): Promise<number> {
  if (hasWildcard(path)) throw new Error(`query reads one counter: ${path} has a wildcard (sample() reads every counter it stands for)`);
  using owned = ownedQuery();
  const handle = owned.handle;
  const [counter] = addCounters(handle, [path]);
  collectQueryData(handle);
  try {
    return formattedValue(counter);
  } catch (error) {
    if (!isWindowsError(error) || !NEEDS_SECOND_SAMPLE.has(error.code)) throw error;
  }
  await sleep(options.interval ?? DEFAULT_INTERVAL_MS);
  collectQueryData(handle);
  return formattedValue(counter);
}

/** The performance objects (Processor, Memory…) of this machine. */
export function listObjects(): string[] {
  return enumObjects();
}

/** The instances of performance object `object` now (PdhEnumObjectItemsW), e.g. the processes of `Process`. */
export function listInstances(object: string): string[] {
  return enumObjectItems(object).instances;
}

export { CounterPathError, makeCounterPath, parseCounterPath, type CounterPathElements } from './counter-path.ts';

/** The counters and instances of performance object `object`. */
export function listCounters(object: string): { counters: string[]; instances: string[] } {
  return enumObjectItems(object);
}
