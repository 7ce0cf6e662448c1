/**
 * The counter set template PerfSetCounterSetInfo takes: PERF_COUNTERSET_INFO followed by one
 * PERF_COUNTER_INFO per counter, every counter by reference (its value lives in our memory).
 * https://learn.microsoft.com/windows/win32/api/perflib/ns-perflib-perf_counterset_info
 * @module
 */
import { COUNTER_TYPES, type CounterSetDefinition } from './counter-set.ts';
import { SLOT_SIZE } from './counters.ts';

/** sizeof(PERF_COUNTERSET_INFO): two GUIDs, NumCounters, InstanceType. */
export const COUNTERSET_INFO_SIZE = 40;
/** sizeof(PERF_COUNTER_INFO): CounterId, Type, Attrib (64-bit), Size, DetailLevel, Scale, Offset. */
export const COUNTER_INFO_SIZE = 32;
const PERF_COUNTERSET_SINGLE_INSTANCE = 0;
const PERF_COUNTERSET_MULTI_INSTANCES = 2;
const PERF_ATTRIB_BY_REFERENCE = 1n;
const PERF_DETAIL_NOVICE = 100;
const PERF_DETAIL_ADVANCED = 200;

/** The PerfSetCounterSetInfo template of a definition (GUIDs in Windows byte order). */
export function counterSetTemplate(definition: CounterSetDefinition, counterSetGuid: Buffer, providerGuid: Buffer): Buffer {
  const template = Buffer.alloc(COUNTERSET_INFO_SIZE + definition.counters.length * COUNTER_INFO_SIZE);
  counterSetGuid.copy(template, 0);
  providerGuid.copy(template, 16);
  template.writeUInt32LE(definition.counters.length, 32);
  template.writeUInt32LE(definition.instances === 'multiple' ? PERF_COUNTERSET_MULTI_INSTANCES : PERF_COUNTERSET_SINGLE_INSTANCE, 36);
  definition.counters.forEach((counter, slot) => {
    const at = COUNTERSET_INFO_SIZE + slot * COUNTER_INFO_SIZE;
    template.writeUInt32LE(counter.id, at);
    template.writeUInt32LE(COUNTER_TYPES[counter.type].perfType >>> 0, at + 4);
    template.writeBigUInt64LE(PERF_ATTRIB_BY_REFERENCE, at + 8);
    template.writeUInt32LE(COUNTER_TYPES[counter.type].size, at + 16);
    template.writeUInt32LE(counter.detail === 'advanced' ? PERF_DETAIL_ADVANCED : PERF_DETAIL_NOVICE, at + 20);
    template.writeInt32LE(counter.defaultScale, at + 24);
    template.writeUInt32LE(slot * SLOT_SIZE, at + 28);
  });
  return template;
}
