/**
 * Declaring a service's counter set in code: the one declaration `install` turns into a PerfLib v2
 * manifest and the runtime publishes through a provider.
 * @module
 */

/**
 * What a counter measures, and so how Performance Monitor shows it:
 *
 * | type | Windows counter type | shows |
 * | --- | --- | --- |
 * | `count` | PERF_COUNTER_RAWCOUNT (32-bit) | the value itself (a gauge: connections open, queue length) |
 * | `count64` | PERF_COUNTER_LARGE_RAWCOUNT | the same, 64-bit |
 * | `ratePerSecond` | PERF_COUNTER_COUNTER (32-bit) | how fast the value grows, per second (connections/sec) |
 * | `ratePerSecond64` | PERF_COUNTER_BULK_COUNT | the same, 64-bit (bytes/sec) |
 * | `delta` | PERF_COUNTER_DELTA (32-bit) | how much the value changed between two samples |
 * | `delta64` | PERF_COUNTER_LARGE_DELTA | the same, 64-bit |
 * | `averageTimer` | PERF_AVERAGE_TIMER (32-bit), base `averageBase` | the average time an operation took, in seconds: ticks added ÷ operations counted (`time(fn)`) |
 * | `averageBulk` | PERF_AVERAGE_BULK (64-bit), base `averageBase` | the average of the values added per operation (bytes per request: `sample(n)`) |
 * | `fraction` | PERF_RAW_FRACTION (32-bit), base `rawBase` | the value over its base, as a percentage (hits ÷ lookups) |
 * | `averageBase` | PERF_AVERAGE_BASE (32-bit) | the operation count of the `averageTimer`/`averageBulk` counter right before it |
 * | `rawBase` | PERF_RAW_BASE (32-bit) | the denominator of the `fraction` counter right before it |
 * | `elapsedTime` | PERF_ELAPSED_TIME (64-bit) | the time since the value's timestamp (`start()`: up time) |
 *
 * PerfLib v2 finds a counter's base in the counter right after it: declare the base there.
 */
export type CounterType =
  | 'count'
  | 'count64'
  | 'ratePerSecond'
  | 'ratePerSecond64'
  | 'delta'
  | 'delta64'
  | 'averageTimer'
  | 'averageBulk'
  | 'fraction'
  | 'averageBase'
  | 'rawBase'
  | 'elapsedTime';

/** A counter type's Windows identity: its manifest name, its PERF_* type value and its size in bytes. */
export interface CounterTypeInfo {
  readonly manifestType: string;
  readonly perfType: number;
  readonly size: 4 | 8;
  /** The base type that must come right after a counter of this type. */
  readonly base?: CounterType;
  /** For a base type: the types it can be the base of. */
  readonly baseOf?: readonly CounterType[];
}

/** The Windows side of each {@link CounterType} (winperf.h and the counters schema). */
export const COUNTER_TYPES: Readonly<Record<CounterType, CounterTypeInfo>> = {
  count: { manifestType: 'perf_counter_rawcount', perfType: 0x00010000, size: 4 },
  count64: { manifestType: 'perf_counter_large_rawcount', perfType: 0x00010100, size: 8 },
  ratePerSecond: { manifestType: 'perf_counter_counter', perfType: 0x10410400, size: 4 },
  ratePerSecond64: { manifestType: 'perf_counter_bulk_count', perfType: 0x10410500, size: 8 },
  delta: { manifestType: 'perf_counter_delta', perfType: 0x00400400, size: 4 },
  delta64: { manifestType: 'perf_counter_large_delta', perfType: 0x00400500, size: 8 },
  averageTimer: { manifestType: 'perf_average_timer', perfType: 0x30020400, size: 4, base: 'averageBase' },
  averageBulk: { manifestType: 'perf_average_bulk', perfType: 0x40020500, size: 8, base: 'averageBase' },
  fraction: { manifestType: 'perf_raw_fraction', perfType: 0x20020400, size: 4, base: 'rawBase' },
  averageBase: { manifestType: 'perf_average_base', perfType: 0x40030402, size: 4, baseOf: ['averageTimer', 'averageBulk'] },
  rawBase: { manifestType: 'perf_raw_base', perfType: 0x40030403, size: 4, baseOf: ['fraction'] },
  elapsedTime: { manifestType: 'perf_elapsed_time', perfType: 0x30240500, size: 8 },
};

/** Who the counter is for: everyone (`standard`) or experts (`advanced`). */
export type CounterDetail = 'standard' | 'advanced';

/** One counter as an author declares it. */
export interface CounterSpec {
  /** The name Performance Monitor shows, e.g. `Connections/sec`. Unique in the set. */
  name: string;
  /** The explanation Performance Monitor shows. */
  description: string;
  type: CounterType;
  /** Power of ten the value is shown at by default (-10…10; 0 shows it as is, -3 in thousandths). */
  defaultScale?: number;
  /** Default `standard`. */
  detail?: CounterDetail;
}

/**
 * How many instances a counter set has: `single` (one, named after the service), or `multiple`
 * (that one and any the service adds, e.g. one per pipe, each shown as an instance of the object).
 */
export type CounterInstances = 'single' | 'multiple';

/** A counter set as an author declares it: the Performance Monitor object and its counters. */
export interface CounterSetSpec<K extends string> {
  /** The object name Performance Monitor shows, e.g. `PipeService`. */
  name: string;
  description: string;
  /** Default `single`. */
  instances?: CounterInstances;
  /** The counters, by the key the service uses (`this.counters.<key>`); a C identifier. */
  counters: Record<K, CounterSpec>;
}

/** A counter of a checked set: its spec, its id in the set (1, 2… in declaration order) and its key. */
export interface CounterDefinition<K extends string = string> extends Readonly<Required<CounterSpec>> {
  readonly key: K;
  readonly id: number;
}

/** A checked counter set, from {@link defineCounters}. */
export interface CounterSetDefinition<K extends string = string> {
  readonly name: string;
  readonly description: string;
  readonly instances: CounterInstances;
  readonly counters: readonly CounterDefinition<K>[];
}

/** The keys of a counter set definition. */
export type CounterKeys<D> = D extends CounterSetDefinition<infer K> ? K : never;

const SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The schema's limit on names. */
const MAX_NAME_LENGTH = 1023;

function checkName(what: string, name: unknown): void {
  if (typeof name !== 'string' || name.trim() === '') throw new Error(`${what} needs a name`);
  if (name.length > MAX_NAME_LENGTH) throw new Error(`${what} '${name.slice(0, 40)}…' is longer than ${MAX_NAME_LENGTH} characters`);
}

function checkCounter(setName: string, key: string, spec: CounterSpec, names: Set<string>): void {
  const what = `counter '${key}' of counter set '${setName}'`;
  if (!SYMBOL.test(key)) throw new Error(`${what}: its key must be an identifier (letters, digits, _)`);
  checkName(what, spec.name);
  if (names.has(spec.name)) throw new Error(`${what}: another counter of the set is already named '${spec.name}'`);
  names.add(spec.name);
  if (typeof spec.description !== 'string') throw new Error(`${what} needs a description`);
  if (!Object.hasOwn(COUNTER_TYPES, spec.type)) {
    throw new Error(`${what}: type '${String(spec.type)}' is not one of ${Object.keys(COUNTER_TYPES).join(', ')}`);
  }
  const scale = spec.defaultScale ?? 0;
  if (!Number.isInteger(scale) || scale < -10 || scale > 10)
    throw new Error(`${what}: defaultScale must be an integer from -10 to 10 (not ${scale})`);
  if (spec.detail !== undefined && spec.detail !== 'standard' && spec.detail !== 'advanced') {
    throw new Error(`${what}: detail must be 'standard' or 'advanced' (not '${String(spec.detail)}')`);
  }
}

/** A base must come right after a counter it is the base of, and such a counter right before its base. */
function checkBase(setName: string, entries: readonly [string, CounterSpec][], index: number): void {
  const [key, counter] = entries[index]!;
  const info = COUNTER_TYPES[counter.type];
  const what = `counter '${key}' of counter set '${setName}'`;
  const previous = entries[index - 1];
  const next = entries[index + 1];
  if (info.baseOf && !(previous && info.baseOf.includes(previous[1].type))) {
    const after = previous ? `it follows '${previous[0]}', a ${previous[1].type} counter` : 'it is the first counter';
    throw new Error(
      `${what}: a ${counter.type} counter must come right after the ${info.baseOf.join(' or ')} counter it is the base of (${after})`,
    );
  }
  if (info.base && next?.[1].type !== info.base) {
    throw new Error(`${what}: a ${counter.type} counter needs its base: declare a ${info.base} counter right after it`);
  }
}

/**
 * Declares a service's counter set; throws a clear error for a bad declaration. Use it as the
 * class's `static svcCounters` and give its type to ServiceFramework for a typed `this.counters`.
 *
 * @example
 * ```ts
 * const counters = defineCounters({
 *   name: 'PipeService',
 *   description: 'The pipe echo sample',
 *   counters: {
 *     connections: { name: 'Connections/sec', description: 'Clients served per second', type: 'ratePerSecond' },
 *   },
 * });
 * export default class PipeService extends ServiceFramework<typeof counters> {
 *   static svcCounters = counters;
 *   // … this.counters.connections.increment();
 * }
 * ```
 */
export function defineCounters<K extends string>(spec: CounterSetSpec<K>): CounterSetDefinition<K> {
  checkName('a counter set', spec.name);
  if (typeof spec.description !== 'string') throw new Error(`counter set '${spec.name}' needs a description`);
  const entries = Object.entries(spec.counters ?? {}) as [K, CounterSpec][];
  if (entries.length === 0) throw new Error(`counter set '${spec.name}' has no counters`);
  const instances = spec.instances ?? 'single';
  if (instances !== 'single' && instances !== 'multiple')
    throw new Error(`counter set '${spec.name}': instances must be 'single' or 'multiple' (not '${String(instances)}')`);
  const names = new Set<string>();
  entries.forEach(([key, counter], index) => {
    checkCounter(spec.name, key, counter, names);
    checkBase(spec.name, entries, index);
  });
  const counters = entries.map(([key, counter], index): CounterDefinition<K> => {
    return Object.freeze({
      key,
      id: index + 1,
      name: counter.name,
      description: counter.description,
      type: counter.type,
      defaultScale: counter.defaultScale ?? 0,
      detail: counter.detail ?? 'standard',
    });
  });
  return Object.freeze({ name: spec.name, description: spec.description, instances, counters: Object.freeze(counters) });
}
