/**
 * Publishing a counter set: a PerfLib v2 provider with one instance whose counters read their
 * values, by reference, from a native block the service's counters write into.
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
} from '../win32/advapi32/perflib.ts';
import type { CounterSetDefinition } from './counter-set.ts';
import { createCounters, rebind, SLOT_SIZE, type BoundCounter, type Counters } from './counters.ts';
import { counterSetGuid, guidBytes, providerGuid } from './guid.ts';
import { counterSetTemplate } from './template.ts';

/** A counter set being published. */
export interface PublishedCounterSet<K extends string = string> {
  /** The counters, by key. They keep working (in JS memory) after close(). */
  readonly counters: Counters<K>;
  readonly providerGuid: string;
  readonly counterSetGuid: string;
  /** Whether a PerfLib provider publishes the values (false: they live in JS memory only). */
  readonly published: boolean;
  /**
   * The values read through the addresses the provider's instance holds for each counter, which
   * is where PerfLib reads them; undefined when nothing is published.
   */
  providerValues(): Record<K, number> | undefined;
  /** Stops publishing: deletes the instance, stops the provider, frees the native block. */
  close(): void;
}

const sets = new WeakMap<object, PublishedCounterSet>();

/** The published set `counters` (a service's `this.counters`) belongs to, for diagnostics. */
export function inspectCounters(counters: object): PublishedCounterSet | undefined {
  return sets.get(counters);
}

function moveToJsMemory(counters: Record<string, BoundCounter>, from: ArrayBuffer): void {
  const block = from.slice(0);
  for (const counter of Object.values(counters)) counter[rebind](block);
}

interface Provider {
  block: ArrayBuffer;
  values(): bigint[];
  close(): void;
}

/** Starts the provider and its instance, every counter pointed at its slot of a native block. */
function startPublishing(definition: CounterSetDefinition, serviceName: string, provider: Buffer, counterSet: Buffer): Provider {
  const handle = startProvider(provider);
  let memory: CounterMemory | undefined;
  let instance: unknown;
  try {
    setCounterSetInfo(handle, counterSetTemplate(definition, counterSet, provider));
    instance = createInstance(handle, counterSet, serviceName, 0);
    memory = allocCounterMemory(definition.counters.length * SLOT_SIZE);
    for (const [slot, counter] of definition.counters.entries()) {
      setCounterRefValue(handle, instance, counter.id, memory.address + BigInt(slot * SLOT_SIZE));
    }
  } catch (error) {
    stopProvider(handle);
    memory?.free();
    throw error;
  }
  const block = memory;
  return {
    block: block.buffer,
    values: () => definition.counters.map((_, slot) => readCounterThroughSlot(instance, slot)),
    close: () => {
      try {
        deleteInstance(handle, instance);
        stopProvider(handle);
      } finally {
        block.free();
      }
    },
  };
}

/**
 * Publishes `definition` for service `serviceName` (its GUIDs follow from the name), through a
 * PerfLib provider when `provider` is true, else in JS memory only (tests, other platforms).
 */
export function publishCounters<K extends string>(definition: CounterSetDefinition<K>, serviceName: string, options: { provider: boolean }): PublishedCounterSet<K> {
  const guids = { providerGuid: providerGuid(serviceName), counterSetGuid: counterSetGuid(serviceName, definition.name) };
  const native = options.provider ? startPublishing(definition, serviceName, guidBytes(guids.providerGuid), guidBytes(guids.counterSetGuid)) : undefined;
  const block = native?.block ?? new ArrayBuffer(definition.counters.length * SLOT_SIZE);
  const counters = createCounters(definition, block);
  let open = native !== undefined;
  const set: PublishedCounterSet<K> = {
    counters,
    ...guids,
    get published() {
      return open;
    },
    providerValues() {
      if (!open || !native) return undefined;
      const values = native.values();
      return Object.fromEntries(definition.counters.map((counter, slot) => [counter.key, Number(values[slot])])) as Record<K, number>;
    },
    close() {
      if (!open || !native) return;
      open = false;
      moveToJsMemory(counters, block);
      native.close();
    },
  };
  sets.set(counters, set);
  return set;
}
