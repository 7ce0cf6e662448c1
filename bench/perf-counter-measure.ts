/**
 * The counter-update micro-benchmark itself, shared by the Linux run and the run inside host.exe:
 * ns per update of a published counter beside a plain JS property increment, in the same process.
 * @module
 */
import { defineCounters } from '../runtime/perf/counter-set.ts';
import type { Counter } from '../runtime/perf/counters.ts';

/** The counter set both runs update: one 32-bit and one 64-bit counter, as the PipeService sample has. */
export const benchmarkCounters = defineCounters({
  name: 'NodeService counter benchmark',
  description: 'Counters updated by the micro-benchmark',
  counters: {
    connections: { name: 'Connections/sec', description: 'Updates per second', type: 'ratePerSecond' },
    bytesReceived: { name: 'Bytes received/sec', description: 'Bytes per second', type: 'ratePerSecond64' },
  },
});

/** One row of the results. */
export interface Measurement {
  name: string;
  nsPerOp: number;
}

const ITERATIONS = 10_000_000;
const ROUNDS = 5;

/** The best ns per iteration of `loop(n)` over a few rounds, after a warm-up. */
function nsPerOp(loop: (iterations: number) => void): number {
  loop(ITERATIONS / 10);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    loop(ITERATIONS);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / ITERATIONS);
  }
  return best;
}

/** The counters the benchmark updates: one 32-bit and one 64-bit counter. */
export interface BenchCounters {
  connections: Counter;
  bytesReceived: Counter;
}

/** Measures counter updates against `plain.value++` on an object that stays reachable. */
export function measureCounterUpdates({ connections, bytesReceived }: BenchCounters): Measurement[] {
  const plain = { value: 0 };
  const rows: [string, (iterations: number) => void][] = [
    [
      'plain JS property: object.value++',
      (n) => {
        for (let i = 0; i < n; i++) plain.value++;
      },
    ],
    [
      'counter.increment()  (32-bit, ratePerSecond)',
      (n) => {
        for (let i = 0; i < n; i++) connections.increment();
      },
    ],
    [
      'counter.add(1500)    (32-bit, ratePerSecond)',
      (n) => {
        for (let i = 0; i < n; i++) connections.add(1500);
      },
    ],
    [
      'counter.increment()  (64-bit, ratePerSecond64)',
      (n) => {
        for (let i = 0; i < n; i++) bytesReceived.increment();
      },
    ],
    [
      'counter.add(1500)    (64-bit, ratePerSecond64)',
      (n) => {
        for (let i = 0; i < n; i++) bytesReceived.add(1500);
      },
    ],
  ];
  const results = rows.map(([name, loop]) => ({ name, nsPerOp: nsPerOp(loop) }));
  // Read what was written so that no loop is dead code.
  if (plain.value + connections.value + bytesReceived.value < 0) throw new Error('unreachable');
  return results;
}

/** The results as a table under a title. */
export function formatMeasurements(title: string, results: readonly Measurement[]): string {
  const width = Math.max(...results.map((row) => row.name.length));
  return [title, ...results.map((row) => `  ${row.name.padEnd(width)}  ${row.nsPerOp.toFixed(2).padStart(7)} ns/op`)].join('\n');
}
