import { describe, expect, it } from 'vitest';
import { defineCounters, type CounterSpec } from '../../../../runtime/perf/counter-set.ts';
import { createCounters, SLOT_SIZE } from '../../../../runtime/perf/counters.ts';
import { countersManifest } from '../../../../runtime/perf/manifest.ts';
import { publishCounters } from '../../../../runtime/perf/publish.ts';
import { COUNTER_INFO_SIZE, COUNTERSET_INFO_SIZE, counterSetTemplate } from '../../../../runtime/perf/template.ts';
import type { TickClock } from '../../../../runtime/perf/tick-clock.ts';
import { parseXml } from '../../xml.ts';

const timed = defineCounters({
  name: 'Timed',
  description: 'd',
  counters: {
    requestTime: { name: 'Avg. request time', description: 'd', type: 'averageTimer' },
    requestTimeBase: { name: 'Avg. request time base', description: 'd', type: 'averageBase' },
    bytesPerRequest: { name: 'Avg. bytes/request', description: 'd', type: 'averageBulk' },
    bytesPerRequestBase: { name: 'Avg. bytes/request base', description: 'd', type: 'averageBase' },
    hitRatio: { name: 'Cache hit ratio', description: 'd', type: 'fraction' },
    hitRatioBase: { name: 'Cache hit ratio base', description: 'd', type: 'rawBase' },
    upTime: { name: 'Up time', description: 'd', type: 'elapsedTime' },
  },
});

/** A clock the test moves: each `now()` returns the next reading. */
function fakeClock(...readings: bigint[]): TickClock {
  return { now: () => readings.shift() ?? 0n, frequency: 10_000_000n };
}

function set(counters: Record<string, Partial<CounterSpec>>) {
  return () =>
    defineCounters({
      name: 'Set',
      description: 'd',
      counters: Object.fromEntries(
        Object.entries(counters).map(([key, spec]) => [key, { name: key, description: 'd', type: 'count', ...spec } as CounterSpec]),
      ),
    });
}

describe('counters with a base: declaration', () => {
  it('accepts each base right after its counter', () => {
    expect(timed.counters.map((counter) => [counter.id, counter.type])).toEqual([
      [1, 'averageTimer'],
      [2, 'averageBase'],
      [3, 'averageBulk'],
      [4, 'averageBase'],
      [5, 'fraction'],
      [6, 'rawBase'],
      [7, 'elapsedTime'],
    ]);
  });

  it('refuses a base declared without its counter, and a counter without its base', () => {
    expect(set({ lone: { type: 'averageBase' } })).toThrow(
      "counter 'lone' of counter set 'Set': a averageBase counter must come right after the averageTimer or averageBulk counter it is the base of (it is the first counter)",
    );
    expect(set({ hits: { type: 'count' }, base: { type: 'rawBase' } })).toThrow(
      "counter 'base' of counter set 'Set': a rawBase counter must come right after the fraction counter it is the base of (it follows 'hits', a count counter)",
    );
    expect(set({ ratio: { type: 'fraction' }, base: { type: 'averageBase' } })).toThrow(
      "counter 'ratio' of counter set 'Set': a fraction counter needs its base: declare a rawBase counter right after it",
    );
    expect(set({ time: { type: 'averageTimer' } })).toThrow(
      'a averageTimer counter needs its base: declare a averageBase counter right after it',
    );
    // Between the counter and its base there may be nothing else.
    expect(set({ time: { type: 'averageTimer' }, other: { type: 'count' }, base: { type: 'averageBase' } })).toThrow(
      "counter 'time' of counter set 'Set': a averageTimer counter needs its base",
    );
  });
});

describe('counters with a base: layout', () => {
  it('puts each base in the PERF_COUNTER_INFO right after its counter, with the winperf.h types and sizes', () => {
    const template = counterSetTemplate(timed, Buffer.alloc(16), Buffer.alloc(16));
    expect(template.length).toBe(COUNTERSET_INFO_SIZE + 7 * COUNTER_INFO_SIZE);
    const infos = timed.counters.map((_, slot) => {
      const at = COUNTERSET_INFO_SIZE + slot * COUNTER_INFO_SIZE;
      return [template.readUInt32LE(at), template.readUInt32LE(at + 4), template.readUInt32LE(at + 16), template.readUInt32LE(at + 28)];
    });
    expect(infos).toEqual([
      [1, 0x30020400, 4, 0], // PERF_AVERAGE_TIMER
      [2, 0x40030402, 4, 8], // PERF_AVERAGE_BASE
      [3, 0x40020500, 8, 16], // PERF_AVERAGE_BULK
      [4, 0x40030402, 4, 24],
      [5, 0x20020400, 4, 32], // PERF_RAW_FRACTION
      [6, 0x40030403, 4, 40], // PERF_RAW_BASE
      [7, 0x30240500, 8, 48], // PERF_ELAPSED_TIME
    ]);
  });

  it('names each base in the manifest (baseID) and gives the schema types', () => {
    const xml = parseXml(countersManifest(timed, { serviceName: 'Svc', applicationIdentity: 'x.dll' }));
    const counterSet = xml.children[0]!.children[0]!.children[0]!.children[0]!;
    expect(counterSet.children.map(({ attributes }) => [attributes.id, attributes.type, attributes.baseID])).toEqual([
      ['1', 'perf_average_timer', '2'],
      ['2', 'perf_average_base', undefined],
      ['3', 'perf_average_bulk', '4'],
      ['4', 'perf_average_base', undefined],
      ['5', 'perf_raw_fraction', '6'],
      ['6', 'perf_raw_base', undefined],
      ['7', 'perf_elapsed_time', undefined],
    ]);
  });
});

describe('counters with a base: updating them', () => {
  const block = () => new ArrayBuffer(timed.counters.length * SLOT_SIZE);

  it('time(fn) adds the ticks fn took and counts one operation, and returns what fn returns', () => {
    const counters = createCounters(timed, block(), fakeClock(1000n, 1250n, 5000n, 5100n));
    expect(counters.requestTime.time(() => 'done')).toBe('done');
    expect(counters.requestTime.time(() => 42)).toBe(42);
    expect([counters.requestTime.value, counters.requestTimeBase.value]).toEqual([350, 2]);
  });

  it('time(fn) records a function that throws, then throws its error', () => {
    const counters = createCounters(timed, block(), fakeClock(10n, 70n));
    const failure = new Error('boom');
    expect(() =>
      counters.requestTime.time(() => {
        throw failure;
      }),
    ).toThrow(failure);
    expect([counters.requestTime.value, counters.requestTimeBase.value]).toEqual([60, 1]);
  });

  it('time(fn) of an async fn records when its promise settles, resolved or rejected', async () => {
    const counters = createCounters(timed, block(), fakeClock(0n, 500n, 1000n, 1900n));
    const pending = counters.requestTime.time(async () => 'late');
    expect(counters.requestTimeBase.value).toBe(0);
    await expect(pending).resolves.toBe('late');
    await expect(counters.requestTime.time(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect([counters.requestTime.value, counters.requestTimeBase.value]).toEqual([1400, 2]);
  });

  it('sample() adds a value per operation; a fraction and its base are set apart; start() stamps now', () => {
    const counters = createCounters(timed, block(), fakeClock(123_456_789n));
    counters.bytesPerRequest.sample(2 ** 40);
    counters.bytesPerRequest.sample(10);
    expect([counters.bytesPerRequest.value, counters.bytesPerRequestBase.value]).toEqual([2 ** 40 + 10, 2]);
    counters.hitRatio.set(3);
    counters.hitRatioBase.set(4);
    expect([counters.hitRatio.value, counters.hitRatioBase.value]).toEqual([3, 4]);
    counters.upTime.start();
    expect(counters.upTime.value).toBe(123_456_789);
  });

  it('a method for another type is a clear error', () => {
    const counters = createCounters(timed, block(), fakeClock());
    expect(() => counters.hitRatio.time(() => 1)).toThrow("counter 'hitRatio' is a fraction counter: time() is for averageTimer counters");
    expect(() => counters.upTime.sample(1)).toThrow('sample() is for averageTimer and averageBulk counters');
    expect(() => counters.requestTime.start()).toThrow('start() is for elapsedTime counters');
  });

  it('a 32-bit timer wraps as its DWORD does (PerfLib reads the difference between two samples)', () => {
    const counters = createCounters(timed, block(), fakeClock(0n, 2n ** 32n + 5n));
    counters.requestTime.set(2 ** 32 - 1);
    counters.requestTime.time(() => undefined);
    // (2^32 - 1) + (2^32 + 5) ticks, modulo 2^32.
    expect(counters.requestTime.value).toBe(4);
    expect(counters.requestTimeBase.value).toBe(1);
  });

  it('an instance of a published set has its own timer and base', () => {
    const multi = defineCounters({ ...timed, instances: 'multiple', counters: Object.fromEntries(timed.counters.map((c) => [c.key, c])) });
    const published = publishCounters(multi, 'Svc', { provider: false, clock: fakeClock(0n, 10n, 0n, 30n) });
    published.counters.requestTime.time(() => undefined);
    published.instance('pipe').requestTime.time(() => undefined);
    expect([published.counters.requestTime.value, published.counters.requestTimeBase.value]).toEqual([10, 1]);
    expect([published.instance('pipe').requestTime.value, published.instance('pipe').requestTimeBase.value]).toEqual([30, 1]);
  });
});
