import { describe, expect, it } from 'vitest';
import { defineCounters, type CounterSpec } from '../../../../runtime/perf/counter-set.ts';
import { createCounters } from '../../../../runtime/perf/counters.ts';
import { guidBytes, uuidV5 } from '../../../../runtime/perf/guid.ts';
import { inspectCounters, publishCounters } from '../../../../runtime/perf/publish.ts';
import { COUNTER_INFO_SIZE, COUNTERSET_INFO_SIZE, counterSetTemplate } from '../../../../runtime/perf/template.ts';

const counters = defineCounters({
  name: 'Test',
  description: 'd',
  counters: {
    small: { name: 'Small', description: 'd', type: 'count' },
    big: { name: 'Big', description: 'd', type: 'ratePerSecond64', defaultScale: -2, detail: 'advanced' },
  },
});

function define(counter: Partial<CounterSpec>, key = 'c') {
  return () =>
    defineCounters({
      name: 'Set',
      description: 'd',
      counters: { [key]: { name: 'N', description: 'd', type: 'count', ...counter } as CounterSpec },
    });
}

describe('defineCounters', () => {
  it('numbers the counters and fills in the defaults', () => {
    expect(counters.counters).toEqual([
      { key: 'small', id: 1, name: 'Small', description: 'd', type: 'count', defaultScale: 0, detail: 'standard' },
      { key: 'big', id: 2, name: 'Big', description: 'd', type: 'ratePerSecond64', defaultScale: -2, detail: 'advanced' },
    ]);
    expect(Object.isFrozen(counters.counters)).toBe(true);
  });

  it('refuses a bad declaration with what is wrong', () => {
    expect(define({ type: 'gauge' as never })).toThrow(
      "counter 'c' of counter set 'Set': type 'gauge' is not one of count, count64, ratePerSecond",
    );
    expect(define({ defaultScale: 11 })).toThrow('defaultScale must be an integer from -10 to 10 (not 11)');
    expect(define({ name: '' })).toThrow("counter 'c' of counter set 'Set' needs a name");
    expect(define({}, 'not a symbol')).toThrow('its key must be an identifier');
    expect(() =>
      defineCounters({
        name: 'Set',
        description: 'd',
        instances: 'many' as never,
        counters: { c: { name: 'N', description: 'd', type: 'count' } },
      }),
    ).toThrow("counter set 'Set': instances must be 'single' or 'multiple' (not 'many')");
    expect(() => defineCounters({ name: 'Set', description: 'd', counters: {} })).toThrow("counter set 'Set' has no counters");
    expect(() =>
      defineCounters({
        name: 'Set',
        description: 'd',
        counters: { a: { name: 'Same', description: '', type: 'count' }, b: { name: 'Same', description: '', type: 'count' } },
      }),
    ).toThrow("another counter of the set is already named 'Same'");
  });
});

describe('counters', () => {
  it('write little-endian values into their 8-byte slot: 32-bit ones wrap, 64-bit ones do not', () => {
    const block = new ArrayBuffer(16);
    const { small, big } = createCounters(counters, block);
    small.increment();
    small.add(4);
    big.add(2 ** 40);
    big.increment();
    const view = new DataView(block);
    expect(view.getUint32(0, true)).toBe(5);
    expect(view.getUint32(4, true)).toBe(0);
    expect(view.getBigUint64(8, true)).toBe(2n ** 40n + 1n);
    small.set(0);
    small.add(-1);
    expect(small.value).toBe(2 ** 32 - 1);
    big.set(7);
    expect(big.value).toBe(7);
  });

  it('of a multiple-instance set: one block per instance, the same counters for the same name', () => {
    const multiple = defineCounters({
      ...counters,
      instances: 'multiple',
      counters: { small: counters.counters[0]!, big: counters.counters[1]! },
    });
    const set = publishCounters(multiple, 'Svc', { provider: false });
    const pipeA = set.instance('pipe-a');
    expect(set.instance('pipe-a')).toBe(pipeA);
    pipeA.small.add(2);
    set.counters.small.add(5);
    expect([pipeA.small.value, set.counters.small.value, set.instance('pipe-b').small.value]).toEqual([2, 5, 0]);
    expect(inspectCounters(pipeA)).toBe(set);
    set.deleteInstance('pipe-a');
    pipeA.small.increment();
    expect(pipeA.small.value).toBe(3);
    expect(set.instance('pipe-a')).not.toBe(pipeA);
    expect(() => set.instance('')).toThrow('a counter instance needs a name of 1 to 1023 characters');
  });

  it('of a single-instance set: no other instance', () => {
    const set = publishCounters(counters, 'Svc', { provider: false });
    expect(() => set.instance('pipe-a')).toThrow(
      "counter set 'Test' has a single instance: declare it with instances: 'multiple' to add others",
    );
  });

  it('keep their values in JS memory when not published through a provider', () => {
    const set = publishCounters(counters, 'Svc', { provider: false });
    set.counters.small.add(3);
    expect(set.published).toBe(false);
    expect(set.providerValues()).toBeUndefined();
    set.close();
    expect(set.counters.small.value).toBe(3);
  });
});

describe('the PerfSetCounterSetInfo template', () => {
  it('lays out PERF_COUNTERSET_INFO and one by-reference PERF_COUNTER_INFO per counter', () => {
    const set = Buffer.alloc(16, 1);
    const provider = Buffer.alloc(16, 2);
    const template = counterSetTemplate(counters, set, provider);
    expect(template.length).toBe(COUNTERSET_INFO_SIZE + 2 * COUNTER_INFO_SIZE);
    expect(template.subarray(0, 16)).toEqual(set);
    expect(template.subarray(16, 32)).toEqual(provider);
    expect([template.readUInt32LE(32), template.readUInt32LE(36)]).toEqual([2, 0]);
    const multiple = counterSetTemplate({ ...counters, instances: 'multiple' }, set, provider);
    expect(multiple.readUInt32LE(36)).toBe(2);
    const big = COUNTERSET_INFO_SIZE + COUNTER_INFO_SIZE;
    expect({
      id: template.readUInt32LE(big),
      type: template.readUInt32LE(big + 4),
      attrib: template.readBigUInt64LE(big + 8),
      size: template.readUInt32LE(big + 16),
      detail: template.readUInt32LE(big + 20),
      scale: template.readInt32LE(big + 24),
      offset: template.readUInt32LE(big + 28),
    }).toEqual({ id: 2, type: 0x10410500, attrib: 1n, size: 8, detail: 200, scale: -2, offset: 8 });
    expect(template.readUInt32LE(COUNTERSET_INFO_SIZE + 16)).toBe(4);
  });
});

describe('GUIDs', () => {
  it('are RFC 9562 version 5 UUIDs (the RFC example: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('are laid out as Windows stores struct GUID', () => {
    expect(guidBytes('{00112233-4455-6677-8899-AABBCCDDEEFF}').toString('hex')).toBe('33221100554477668899aabbccddeeff');
    expect(() => guidBytes('nope')).toThrow("'nope' is not a GUID");
  });
});
