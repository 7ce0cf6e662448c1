/**
 * Reading performance counters by path through PDH, as numbers: `perf.query('\\Memory\\Available Bytes')`.
 * Paths are English (PdhAddEnglishCounterW), so scripts work on any display language.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  addEnglishCounter,
  closeQuery,
  collectQueryData,
  enumObjectItems,
  enumObjects,
  formattedValue,
  openQuery,
  type CounterHandle,
} from '../win32/pdh.ts';
import { isWindowsError } from '../win32/windows-error.ts';

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
 * Samples `paths` every `interval` ms and yields their values each time (the first after one
 * interval, so rate counters have two samples).
 */
export async function* sample(paths: readonly string[], options: SampleOptions = {}): AsyncGenerator<Record<string, number>> {
  const interval = options.interval ?? DEFAULT_INTERVAL_MS;
  const query = openQuery();
  try {
    const counters = addCounters(query, paths);
    collectQueryData(query);
    for (let n = 0; options.count === undefined || n < options.count; n++) {
      await sleep(interval, undefined, { signal: options.signal });
      collectQueryData(query);
      yield Object.fromEntries(paths.map((path, i) => [path, formattedValue(counters[i])]));
    }
  } finally {
    closeQuery(query);
  }
}

/**
 * The current value of one counter, e.g. `\System\System Up Time`. Counters that measure a rate
 * take two samples `interval` ms apart; others answer at once.
 */
export async function query(path: string, options: { interval?: number } = {}): Promise<number> {
  const handle = openQuery();
  try {
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
  } finally {
    closeQuery(handle);
  }
}

/** The performance objects (Processor, Memory…) of this machine. */
export function listObjects(): string[] {
  return enumObjects();
}

/** The counters and instances of performance object `object`. */
export function listCounters(object: string): { counters: string[]; instances: string[] } {
  return enumObjectItems(object);
}
