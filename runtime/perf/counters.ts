/**
 * The counters a service updates: each one a view on one 8-byte slot of a memory block. Updating
 * one is a typed-array write, so the hot path costs what a JS property increment costs, not an
 * FFI call.
 * @module
 */
import { COUNTER_TYPES, type CounterSetDefinition } from './counter-set.ts';

/** One counter of a published counter set. Values are integers; 32-bit counters wrap at 2^32. */
export interface Counter {
  /** Adds 1. */
  increment(): void;
  /** Adds `n` (negative to take away, for `count` gauges). */
  add(n: number): void;
  /** Sets the value. */
  set(value: number): void;
  /** The current value. */
  readonly value: number;
}

/** A service's counters by their keys, as `this.counters` gives them. */
export type Counters<K extends string = string> = { readonly [P in K]: Counter };

/** The bytes each counter takes in a block: one 8-byte slot whatever its size. */
export const SLOT_SIZE = 8;

/** Points a counter at another block of the same layout (the values are copied by the caller). Internal. */
export const rebind = Symbol('rebind');

class Counter32 implements Counter {
  #cells: Uint32Array;
  readonly #index: number;
  constructor(block: ArrayBuffer, slot: number) {
    this.#cells = new Uint32Array(block);
    this.#index = (slot * SLOT_SIZE) / 4;
  }
  increment(): void {
    this.#cells[this.#index]!++;
  }
  add(n: number): void {
    this.#cells[this.#index]! += n;
  }
  set(value: number): void {
    this.#cells[this.#index] = value;
  }
  get value(): number {
    return this.#cells[this.#index]!;
  }
  [rebind](block: ArrayBuffer): void {
    this.#cells = new Uint32Array(block);
  }
}

class Counter64 implements Counter {
  #cells: BigUint64Array;
  readonly #index: number;
  constructor(block: ArrayBuffer, slot: number) {
    this.#cells = new BigUint64Array(block);
    this.#index = (slot * SLOT_SIZE) / 8;
  }
  increment(): void {
    this.#cells[this.#index]! += 1n;
  }
  add(n: number): void {
    this.#cells[this.#index]! += BigInt(n);
  }
  set(value: number): void {
    this.#cells[this.#index] = BigInt(value);
  }
  get value(): number {
    return Number(this.#cells[this.#index]!);
  }
  [rebind](block: ArrayBuffer): void {
    this.#cells = new BigUint64Array(block);
  }
}

/** A counter that can be moved to another block. Internal. */
export type BoundCounter = Counter & { [rebind](block: ArrayBuffer): void };

/** Counters over `block` (little-endian, one slot per counter in declaration order). */
export function createCounters<K extends string>(definition: CounterSetDefinition<K>, block: ArrayBuffer): Record<K, BoundCounter> {
  if (block.byteLength < definition.counters.length * SLOT_SIZE) throw new RangeError('counter block too small');
  const counters = {} as Record<K, BoundCounter>;
  definition.counters.forEach((counter, slot) => {
    counters[counter.key] = COUNTER_TYPES[counter.type].size === 8 ? new Counter64(block, slot) : new Counter32(block, slot);
  });
  return counters;
}
