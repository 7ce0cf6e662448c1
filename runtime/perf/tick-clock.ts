/**
 * The clock timer counters count in. PERF_AVERAGE_TIMER and PERF_ELAPSED_TIME are read against
 * the performance counter's frequency, so on Windows a counter records QueryPerformanceCounter
 * ticks (kernel32); elsewhere (tests, counters kept in JS memory) nanoseconds from hrtime. A clock
 * is passed in, so the timer's arithmetic is unit-tested with a fake one.
 * @module
 */
import { queryPerformanceCounter, queryPerformanceFrequency } from '../win32/kernel32.ts';

/** A monotonic clock: `now()` in ticks, `frequency` ticks a second. */
export interface TickClock {
  now(): bigint;
  readonly frequency: bigint;
}

/** Nanoseconds since an arbitrary point (process.hrtime). */
export const hrtimeClock: TickClock = { now: () => process.hrtime.bigint(), frequency: 1_000_000_000n };

let performanceClock: TickClock | undefined;

/** QueryPerformanceCounter and its frequency: what PerfLib reads timer counters against. */
export function performanceCounterClock(): TickClock {
  performanceClock ??= { now: queryPerformanceCounter, frequency: queryPerformanceFrequency() };
  return performanceClock;
}
