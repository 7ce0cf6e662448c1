/**
 * advapi32.dll, PerfLib v2 provider surface: a provider, its counter set template, instances, and
 * counters whose values live in memory the caller owns (PerfSetCounterRefValue), so updating a
 * counter is a plain memory write, not a call.
 * https://learn.microsoft.com/windows/win32/perfctrs/using-the-perflib-functions-to-provide-counter-data
 * @module
 */
import { bindLibrary, koffi } from '../koffi.ts';
import { checkResult, lastError } from '../errors.ts';

const api = bindLibrary('advapi32.dll', (dll) => ({
  PerfStartProviderEx: dll.func(
    'uint32 __stdcall PerfStartProviderEx(const uint8_t *providerGuid, const uint8_t *context, _Out_ void **provider)',
  ),
  PerfStopProvider: dll.func('uint32 __stdcall PerfStopProvider(void *provider)'),
  PerfSetCounterSetInfo: dll.func('uint32 __stdcall PerfSetCounterSetInfo(void *provider, const uint8_t *template, uint32 size)'),
  PerfCreateInstance: dll.func(
    'void * __stdcall PerfCreateInstance(void *provider, const uint8_t *counterSetGuid, const char16_t *name, uint32 id)',
  ),
  PerfDeleteInstance: dll.func('uint32 __stdcall PerfDeleteInstance(void *provider, void *instance)'),
  PerfSetCounterRefValue: dll.func(
    'uint32 __stdcall PerfSetCounterRefValue(void *provider, void *instance, uint32 counterId, void *address)',
  ),
}));

/** A started provider (PerfStartProviderEx's handle). */
export type ProviderHandle = unknown;
/** A counter set instance: a PERF_COUNTERSET_INSTANCE block the provider owns. */
export type InstanceHandle = unknown;

/** sizeof(PERF_PROVIDER_CONTEXT) on x64: two DWORDs, three callbacks and a context pointer. */
const PROVIDER_CONTEXT_SIZE = 40;
/** sizeof(PERF_COUNTERSET_INSTANCE): the GUID and four ULONGs; the counter data block follows it. */
const COUNTERSET_INSTANCE_SIZE = 32;
/** Each counter's slot in the instance's data block: a pointer for by-reference counters. */
const COUNTER_SLOT_SIZE = 8;

/** Starts a user-mode provider with no callbacks. https://learn.microsoft.com/windows/win32/api/perflib/nf-perflib-perfstartproviderex */
export function startProvider(providerGuid: Buffer): ProviderHandle {
  const context = Buffer.alloc(PROVIDER_CONTEXT_SIZE);
  context.writeUInt32LE(PROVIDER_CONTEXT_SIZE, 0);
  const provider: unknown[] = [null];
  checkResult('PerfStartProviderEx', api().PerfStartProviderEx(providerGuid, context, provider) as number);
  return provider[0];
}

/** Stops a provider, deleting what is left of its instances. https://learn.microsoft.com/windows/win32/api/perflib/nf-perflib-perfstopprovider */
export function stopProvider(provider: ProviderHandle): void {
  checkResult('PerfStopProvider', api().PerfStopProvider(provider) as number);
}

/** Registers a counter set template (PERF_COUNTERSET_INFO + PERF_COUNTER_INFO[]). https://learn.microsoft.com/windows/win32/api/perflib/nf-perflib-perfsetcountersetinfo */
export function setCounterSetInfo(provider: ProviderHandle, template: Buffer): void {
  checkResult('PerfSetCounterSetInfo', api().PerfSetCounterSetInfo(provider, template, template.length) as number);
}

/** Creates an instance of a registered counter set. https://learn.microsoft.com/windows/win32/api/perflib/nf-perflib-perfcreateinstance */
export function createInstance(provider: ProviderHandle, counterSetGuid: Buffer, name: string, id: number): InstanceHandle {
  const instance = api().PerfCreateInstance(provider, counterSetGuid, name, id);
  if (!instance) throw lastError('PerfCreateInstance');
  return instance;
}

/** Deletes an instance. https://learn.microsoft.com/windows/win32/api/perflib/nf-perflib-perfdeleteinstance */
export function deleteInstance(provider: ProviderHandle, instance: InstanceHandle): void {
  checkResult('PerfDeleteInstance', api().PerfDeleteInstance(provider, instance) as number);
}

/**
 * Makes a by-reference counter read its value at `address` from now on.
 * https://learn.microsoft.com/windows/win32/api/perflib/nf-perflib-perfsetcounterrefvalue
 */
export function setCounterRefValue(provider: ProviderHandle, instance: InstanceHandle, counterId: number, address: bigint): void {
  checkResult(
    'PerfSetCounterRefValue',
    api().PerfSetCounterRefValue(provider, instance, counterId, koffi().as(address, 'void *')) as number,
  );
}

/**
 * The value a by-reference counter of `instance` has as PerfLib reads it: through the address
 * its slot (at `index`) of the instance's data block holds, which PerfSetCounterRefValue set.
 */
export function readCounterThroughSlot(instance: InstanceHandle, index: number): bigint {
  const k = koffi();
  const address = k.decode(instance, COUNTERSET_INSTANCE_SIZE + index * COUNTER_SLOT_SIZE, 'void *');
  if (!address) throw new Error(`the provider holds no address for counter slot ${index}`);
  return BigInt(k.decode(address, 'uint64_t') as number | bigint);
}

/** Native memory that does not move, for counter values, with an ArrayBuffer over it. */
export interface CounterMemory {
  readonly address: bigint;
  readonly buffer: ArrayBuffer;
  free(): void;
}

/** Allocates `bytes` of zeroed native memory that stays put until `free()`. */
export function allocCounterMemory(bytes: number): CounterMemory {
  const k = koffi();
  const memory = k.alloc('uint8_t', bytes);
  const buffer = k.view(memory, bytes);
  new Uint8Array(buffer).fill(0);
  return { address: k.address(memory), buffer, free: () => k.free(memory) };
}
