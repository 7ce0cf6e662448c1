/**
 * Publishing a counter set: a PerfLib v2 provider whose instances each read their counters, by
 * reference, from a native block that the service's counters write into.
 * @module
 */
import {
  allocCounterMemory,
  createInstance,
  deleteInstance,
  readCounterThroughSlot,
  setCounterRefValue,
  setCounterSetInfo,
  startProvider,
  stopProvider,
  type CounterMemory,
  type ProviderHandle,
} from '../win32/advapi32/perflib.ts';
import type { CounterSetDefinition } from './counter-set.ts';
import { createCounters, rebind, SLOT_SIZE, type BoundCounter, type Counters } from './counters.ts';
import { counterSetGuid, guidBytes, providerGuid } from './guid.ts';
import { counterSetTemplate } from './template.ts';
import { hrtimeClock, performanceCounterClock, type TickClock } from './tick-clock.ts';

/** A counter set being published. */
export interface PublishedCounterSet<K extends string = string> {
  /** The counters of the instance named after the service. They keep working (in JS memory) after close(). */
  readonly counters: Counters<K>;
  readonly providerGuid: string;
  readonly counterSetGuid: string;
  /** Whether a PerfLib provider publishes the values (false: they live in JS memory only). */
  readonly published: boolean;
  /** The counters of instance `name`, added on first use; only for `instances: 'multiple'` sets. */
  instance(name: string): Counters<K>;
  /** Removes instance `name` (its counters go on in JS memory); the service's own instance stays. */
  deleteInstance(name: string): void;
  /**
   * The values of instance `name` (default: the service's) read through the addresses the
   * provider's instance holds for each counter, which is where PerfLib reads them; undefined when
   * nothing is published or there is no such instance.
   */
  providerValues(name?: string): Record<K, number> | undefined;
  /** Stops publishing: deletes the instances, stops the provider, frees the native blocks. */
  close(): void;
}

const sets = new WeakMap<object, PublishedCounterSet>();

/** The published set that `counters` (a service's `this.counters`, or an instance's) belongs to, for diagnostics. */
export function inspectCounters(counters: object): PublishedCounterSet | undefined {
  return sets.get(counters);
}

/** The limit on instance names (PERF_MAX_INSTANCE_NAME, with its NUL). */
const MAX_INSTANCE_NAME = 1023;

/** One instance in the provider: its counters' native block. */
interface NativeInstance {
  readonly block: ArrayBuffer;
  values(): bigint[];
  delete(): void;
}

/** Creates an instance and points each of its counters at its slot of a new native block. */
function createNativeInstance(
  definition: CounterSetDefinition,
  provider: ProviderHandle,
  counterSet: Buffer,
  name: string,
  id: number,
): NativeInstance {
  const instance = createInstance(provider, counterSet, name, id);
  let memory: CounterMemory | undefined;
  try {
    memory = allocCounterMemory(definition.counters.length * SLOT_SIZE);
    for (const [slot, counter] of definition.counters.entries()) {
      setCounterRefValue(provider, instance, counter.id, memory.address + BigInt(slot * SLOT_SIZE));
    }
  } catch (error) {
    deleteInstance(provider, instance);
    memory?.free();
    throw error;
  }
  const block = memory;
  return {
    block: block.buffer,
    values: () => definition.counters.map((_, slot) => readCounterThroughSlot(instance, slot)),
    delete: () => {
      try {
        deleteInstance(provider, instance);
      } finally {
        block.free();
      }
    },
  };
}

/** An instance of a published set: its counters and, while published, its native side. */
interface InstanceEntry<K extends string = string> {
  counters: Record<K, BoundCounter>;
  native: NativeInstance | undefined;
}

/** Moves an instance's counters to a JS copy of their block and deletes its native side. */
function detach(entry: InstanceEntry<string>): void {
  const { native } = entry;
  if (!native) return;
  entry.native = undefined;
  const copy = native.block.slice(0);
  for (const counter of Object.values(entry.counters)) counter[rebind](copy);
  native.delete();
}

/** A published counter set: the provider (when there is one) and its instances, the service's own first. */
class PublishedSet<K extends string> implements PublishedCounterSet<K> {
  readonly providerGuid: string;
  readonly counterSetGuid: string;
  readonly #definition: CounterSetDefinition<K>;
  readonly #serviceName: string;
  readonly #counterSet: Buffer;
  /** What timer counters count in: QueryPerformanceCounter ticks when published (what PerfLib reads them against). */
  readonly #clock: TickClock;
  readonly #instances = new Map<string, InstanceEntry<K>>();
  readonly #own: InstanceEntry<K>;
  #provider: ProviderHandle | undefined;
  #nextId = 0;

  /** Starts the provider when asked to, then adds the service's own instance; a failure stops the provider again. */
  constructor(definition: CounterSetDefinition<K>, serviceName: string, options: { provider: boolean; clock?: TickClock }) {
    this.#definition = definition;
    this.#serviceName = serviceName;
    this.providerGuid = providerGuid(serviceName);
    this.counterSetGuid = counterSetGuid(serviceName, definition.name);
    this.#counterSet = guidBytes(this.counterSetGuid);
    if (options.provider) {
      this.#provider = startProvider(guidBytes(this.providerGuid));
      try {
        setCounterSetInfo(this.#provider, counterSetTemplate(definition, this.#counterSet, guidBytes(this.providerGuid)));
      } catch (error) {
        stopProvider(this.#provider);
        throw error;
      }
    }
    this.#clock = options.clock ?? (this.#provider === undefined ? hrtimeClock : performanceCounterClock());
    try {
      this.#own = this.#add(serviceName);
    } catch (error) {
      if (this.#provider !== undefined) stopProvider(this.#provider);
      throw error;
    }
  }

  get counters(): Counters<K> {
    return this.#own.counters;
  }

  get published(): boolean {
    return this.#provider !== undefined;
  }

  instance(name: string): Counters<K> {
    if (this.#definition.instances !== 'multiple') {
      throw new Error(`counter set '${this.#definition.name}' has a single instance: declare it with instances: 'multiple' to add others`);
    }
    if (typeof name !== 'string' || name === '' || name.length > MAX_INSTANCE_NAME) {
      throw new Error(`a counter instance needs a name of 1 to ${MAX_INSTANCE_NAME} characters`);
    }
    return (this.#instances.get(name) ?? this.#add(name)).counters;
  }

  deleteInstance(name: string): void {
    const entry = this.#instances.get(name);
    if (!entry || entry === this.#own) return;
    this.#instances.delete(name);
    detach(entry);
  }

  providerValues(name = this.#serviceName): Record<K, number> | undefined {
    const values = this.#instances.get(name)?.native?.values();
    if (!values) return undefined;
    return Object.fromEntries(this.#definition.counters.map((counter, slot) => [counter.key, Number(values[slot])])) as Record<K, number>;
  }

  close(): void {
    if (this.#provider === undefined) return;
    try {
      for (const entry of this.#instances.values()) detach(entry);
    } finally {
      stopProvider(this.#provider);
      this.#provider = undefined;
    }
  }

  /** Adds instance `name`: its counters in a native block the provider reads, or in JS memory. */
  #add(name: string): InstanceEntry<K> {
    const definition = this.#definition;
    const provider = this.#provider;
    const native = provider === undefined ? undefined : createNativeInstance(definition, provider, this.#counterSet, name, this.#nextId);
    this.#nextId++;
    const entry: InstanceEntry<K> = {
      counters: createCounters(definition, native?.block ?? new ArrayBuffer(definition.counters.length * SLOT_SIZE), this.#clock),
      native,
    };
    this.#instances.set(name, entry);
    sets.set(entry.counters, this);
    return entry;
  }
}

/**
 * Publishes `definition` for service `serviceName` (its GUIDs follow from the name), through a
 * PerfLib provider when `provider` is true, else in JS memory only (tests, other platforms).
 */
export function publishCounters<K extends string>(
  definition: CounterSetDefinition<K>,
  serviceName: string,
  options: { provider: boolean; clock?: TickClock },
): PublishedCounterSet<K> {
  return new PublishedSet(definition, serviceName, options);
}
