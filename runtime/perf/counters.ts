/**
 * The counters a service updates: each one a view on one 8-byte slot of a memory block. Updating
 * one is a typed-array write, so the hot path costs what a JS property increment costs, not an
 * FFI call. A counter with a base (averages, fractions) holds its base, the next slot, and updates
 * both: `time(fn)` adds the ticks fn took and counts one operation.
 * @module
 */
import { COUNTER_TYPES, type CounterSetDefinition, type CounterType } from './counter-set.ts';
import { hrtimeClock, type TickClock } from './tick-clock.ts';

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
  /**
   * `averageTimer` only: runs `fn` (sync, or async: then when its promise settles), adds the ticks
   * it took (QueryPerformanceCounter units) and counts one operation in the base. A throw or a
   * rejection is recorded too, then passed on.
   */
  time<T>(fn: () => T): T;
  /** `averageTimer` and `averageBulk`: adds `value` (ticks, or bytes…) and counts one operation in the base. */
  sample(value: number): void;
  /** `elapsedTime` only: sets the timestamp the elapsed time counts from to now. */
  start(): void;
}

/** A service's counters by their keys, as `this.counters` gives them. */
export type Counters<K extends string = string> = { readonly [P in K]: Counter };

/** The bytes each counter takes in a block: one 8-byte slot whatever its size. */
export const SLOT_SIZE = 8;

/** Points a counter at another block of the same layout (the values are copied by the caller). Internal. */
export const rebind = Symbol('rebind');

/** What every counter shares: its identity, and the methods that depend on its type. */
abstract class CounterCell implements Counter {
  /** The base counter (the next slot) of an average or a fraction. */
  base: CounterCell | undefined;
  readonly key: string;
  readonly type: CounterType;
  readonly clock: TickClock;
  constructor(key: string, type: CounterType, clock: TickClock) {
    this.key = key;
    this.type = type;
    this.clock = clock;
  }
  abstract increment(): void;
  abstract add(n: number): void;
  abstract set(value: number): void;
  abstract get value(): number;
  abstract [rebind](block: ArrayBuffer): void;

  #need(method: string, types: readonly CounterType[]): void {
    if (!types.includes(this.type))
      throw new TypeError(`counter '${this.key}' is a ${this.type} counter: ${method}() is for ${types.join(' and ')} counters`);
  }

  time<T>(fn: () => T): T {
    this.#need('time', ['averageTimer']);
    const began = this.clock.now();
    const record = () => this.#addSample(Number(this.clock.now() - began));
    let result: T;
    try {
      result = fn();
    } catch (error) {
      record();
      throw error;
    }
    if (isThenable(result)) {
      return result.then(
        (value) => {
          record();
          return value;
        },
        (error: unknown) => {
          record();
          throw error;
        },
      ) as T;
    }
    record();
    return result;
  }

  sample(value: number): void {
    this.#need('sample', ['averageTimer', 'averageBulk']);
    this.#addSample(value);
  }

  start(): void {
    this.#need('start', ['elapsedTime']);
    this.set(Number(this.clock.now()));
  }

  #addSample(value: number): void {
    this.add(value);
    this.base?.increment();
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

class Counter32 extends CounterCell {
  #cells: Uint32Array;
  readonly #index: number;
  constructor(block: ArrayBuffer, slot: number, key: string, type: CounterType, clock: TickClock) {
    super(key, type, clock);
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

class Counter64 extends CounterCell {
  #cells: BigUint64Array;
  readonly #index: number;
  constructor(block: ArrayBuffer, slot: number, key: string, type: CounterType, clock: TickClock) {
    super(key, type, clock);
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

/**
 * Counters over `block` (little-endian, one slot per counter in declaration order); `clock` is what
 * timer counters count in (default: hrtime nanoseconds; published counters use QueryPerformanceCounter).
 */
export function createCounters<K extends string>(
  definition: CounterSetDefinition<K>,
  block: ArrayBuffer,
  clock: TickClock = hrtimeClock,
): Record<K, BoundCounter> {
  if (block.byteLength < definition.counters.length * SLOT_SIZE) throw new RangeError('counter block too small');
  const cells = definition.counters.map((counter, slot) =>
    COUNTER_TYPES[counter.type].size === 8
      ? new Counter64(block, slot, counter.key, counter.type, clock)
      : new Counter32(block, slot, counter.key, counter.type, clock),
  );
  // defineCounters checked that a counter with a base has it in the next slot.
  cells.forEach((cell, slot) => {
    if (COUNTER_TYPES[cell.type].base) cell.base = cells[slot + 1];
  });
  const counters = {} as Record<K, BoundCounter>;
  definition.counters.forEach((counter, slot) => {
    counters[counter.key] = cells[slot]!;
  });
  return counters;
}
