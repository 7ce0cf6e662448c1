/**
 * pdh.dll: reading performance counters by path (the Performance Data Helper), and listing the
 * objects and counters a machine has.
 * https://learn.microsoft.com/windows/win32/perfctrs/using-the-pdh-functions-to-consume-counter-data
 * @module
 */
import type { CounterPathElements } from '../perf/counter-path.ts';
import { bindLibrary, koffi } from './koffi.ts';
import { isWine } from './kernel32.ts';
import { WindowsError } from './windows-error.ts';

const api = bindLibrary('pdh.dll', (dll, k) => ({
  elements: k.struct('PDH_COUNTER_PATH_ELEMENTS_W', {
    szMachineName: 'const char16_t *',
    szObjectName: 'const char16_t *',
    szInstanceName: 'const char16_t *',
    szParentInstance: 'const char16_t *',
    dwInstanceIndex: 'uint32',
    szCounterName: 'const char16_t *',
  }),
  PdhExpandWildCardPathW: dll.func(
    'uint32 __stdcall PdhExpandWildCardPathW(const char16_t *dataSource, const char16_t *path, _Out_ uint16_t *list, _Inout_ uint32 *length, uint32 flags)',
  ),
  PdhMakeCounterPathW: dll.func(
    'uint32 __stdcall PdhMakeCounterPathW(const PDH_COUNTER_PATH_ELEMENTS_W *elements, _Out_ uint16_t *buffer, _Inout_ uint32 *length, uint32 flags)',
  ),
  PdhParseCounterPathW: dll.func(
    'uint32 __stdcall PdhParseCounterPathW(const char16_t *path, _Out_ uint8_t *buffer, _Inout_ uint32 *size, uint32 flags)',
  ),
  PdhOpenQueryW: dll.func('uint32 __stdcall PdhOpenQueryW(const char16_t *dataSource, uintptr_t userData, _Out_ void **query)'),
  PdhCloseQuery: dll.func('uint32 __stdcall PdhCloseQuery(void *query)'),
  PdhAddEnglishCounterW: dll.func(
    'uint32 __stdcall PdhAddEnglishCounterW(void *query, const char16_t *path, uintptr_t userData, _Out_ void **counter)',
  ),
  PdhCollectQueryData: dll.func('uint32 __stdcall PdhCollectQueryData(void *query)'),
  PdhGetFormattedCounterValue: dll.func(
    'uint32 __stdcall PdhGetFormattedCounterValue(void *counter, uint32 format, _Out_ uint32 *type, _Out_ uint8_t *value)',
  ),
  PdhEnumObjectsW: dll.func(
    'uint32 __stdcall PdhEnumObjectsW(const char16_t *dataSource, const char16_t *machine, _Out_ uint16_t *list, _Inout_ uint32 *length, uint32 detailLevel, int refresh)',
  ),
  PdhEnumObjectItemsW: dll.func(
    'uint32 __stdcall PdhEnumObjectItemsW(const char16_t *dataSource, const char16_t *machine, const char16_t *object, _Out_ uint16_t *counters, _Inout_ uint32 *countersLength, _Out_ uint16_t *instances, _Inout_ uint32 *instancesLength, uint32 detailLevel, uint32 flags)',
  ),
}));

/** An open PDH query. */
export type QueryHandle = unknown;
/** A counter added to a query. */
export type CounterHandle = unknown;

const PDH_FMT_DOUBLE = 0x200;
const PERF_DETAIL_WIZARD = 400;
const PDH_MORE_DATA = 0x800007d2;
/** PDH_CSTATUS_NEW_DATA: a counter value's status when it is valid and changed since the last sample (0 when unchanged). */
const PDH_CSTATUS_NEW_DATA = 1;
/** sizeof(PDH_FMT_COUNTERVALUE): CStatus, then an 8-byte aligned union. */
const FORMATTED_VALUE_SIZE = 16;

/** The PDH status codes a reader meets, with what they mean (Wine's pdh.dll has no message table for them). */
const PDH_STATUS_TEXT: Readonly<Record<number, string>> = {
  0xc0000bb8: 'the object is not on this machine (PDH_CSTATUS_NO_OBJECT)',
  0xc0000bb9: 'the counter is not on this machine (PDH_CSTATUS_NO_COUNTER)',
  0x800007d1: 'the instance is not on this machine (PDH_CSTATUS_NO_INSTANCE)',
  0xc0000bba: 'the counter has no valid data (PDH_CSTATUS_INVALID_DATA)',
  0xc0000bc4: 'the counter path is not valid (PDH_INVALID_PATH)',
  0xc0000bc5: 'the instance name is not valid (PDH_INVALID_INSTANCE)',
  0xc0000bc0: 'the counter path is malformed (PDH_CSTATUS_BAD_COUNTERNAME)',
  0xc0000bc6: 'the counter has no valid data yet (PDH_INVALID_DATA)',
  0x800007d5: 'the query has no data (PDH_NO_DATA)',
  0xc0000bd3: 'not implemented on this system (PDH_NOT_IMPLEMENTED)',
};

/** A WindowsError for a PDH status code. */
export function pdhError(functionName: string, status: number): WindowsError {
  const code = status >>> 0;
  return new WindowsError(functionName, code, PDH_STATUS_TEXT[code] ?? `PDH status 0x${code.toString(16)}`);
}

function check(functionName: string, status: number): void {
  if (status !== 0) throw pdhError(functionName, status);
}

/** Opens a real-time query. https://learn.microsoft.com/windows/win32/api/pdh/nf-pdh-pdhopenqueryw */
export function openQuery(): QueryHandle {
  const query: unknown[] = [null];
  check('PdhOpenQueryW', api().PdhOpenQueryW(null, 0, query) as number);
  return query[0];
}

/** Closes a query and its counters. https://learn.microsoft.com/windows/win32/api/pdh/nf-pdh-pdhclosequery */
export function closeQuery(query: QueryHandle): void {
  check('PdhCloseQuery', api().PdhCloseQuery(query) as number);
}

/** Adds a counter by its English path, e.g. `\Processor(_Total)\% Processor Time`. https://learn.microsoft.com/windows/win32/api/pdh/nf-pdh-pdhaddenglishcounterw */
export function addEnglishCounter(query: QueryHandle, path: string): CounterHandle {
  const counter: unknown[] = [null];
  check('PdhAddEnglishCounterW', api().PdhAddEnglishCounterW(query, path, 0, counter) as number);
  return counter[0];
}

/** Samples every counter of the query. https://learn.microsoft.com/windows/win32/api/pdh/nf-pdh-pdhcollectquerydata */
export function collectQueryData(query: QueryHandle): void {
  check('PdhCollectQueryData', api().PdhCollectQueryData(query) as number);
}

/**
 * A counter's value from the last samples, as a double.
 * https://learn.microsoft.com/windows/win32/api/pdh/nf-pdh-pdhgetformattedcountervalue
 */
export function formattedValue(counter: CounterHandle): number {
  const value = Buffer.alloc(FORMATTED_VALUE_SIZE);
  check('PdhGetFormattedCounterValue', api().PdhGetFormattedCounterValue(counter, PDH_FMT_DOUBLE, [0], value) as number);
  const status = value.readUInt32LE(0);
  if (status > PDH_CSTATUS_NEW_DATA) throw pdhError('PdhGetFormattedCounterValue', status);
  const double = value.readDoubleLE(8);
  // Wine 8's pdh.dll ignores the format and stores its integer raw value, which reads as a
  // subnormal double; no real counter value is one, so read those bits as the integer.
  if (double !== 0 && Math.abs(double) < 2.2250738585072014e-308) return Number(value.readBigInt64LE(8));
  return double;
}

/** A double-NUL-terminated list PDH filled. */
function multiString(list: Uint16Array, length: number): string[] {
  const text = Buffer.from(list.buffer, 0, length * 2).toString('utf16le');
  return text.split('\0').filter((item) => item !== '');
}

/** The performance objects of this machine. https://learn.microsoft.com/windows/win32/api/pdh/nf-pdh-pdhenumobjectsw */
export function enumObjects(): string[] {
  // Wine 8 exports PdhEnumObjectsW as an unimplemented stub that ends the process when called.
  if (isWine()) throw pdhError('PdhEnumObjectsW', 0xc0000bd3);
  const length = [0];
  let status = api().PdhEnumObjectsW(null, null, null, length, PERF_DETAIL_WIZARD, 1) as number;
  if (status >>> 0 !== PDH_MORE_DATA) check('PdhEnumObjectsW', status);
  const list = new Uint16Array(length[0]!);
  status = api().PdhEnumObjectsW(null, null, list, length, PERF_DETAIL_WIZARD, 0) as number;
  check('PdhEnumObjectsW', status);
  return multiString(list, length[0]!);
}

/** The counters and instances of an object. https://learn.microsoft.com/windows/win32/api/pdh/nf-pdh-pdhenumobjectitemsw */
export function enumObjectItems(object: string): { counters: string[]; instances: string[] } {
  const countersLength = [0];
  const instancesLength = [0];
  let status = api().PdhEnumObjectItemsW(null, null, object, null, countersLength, null, instancesLength, PERF_DETAIL_WIZARD, 0) as number;
  if (status >>> 0 !== PDH_MORE_DATA) check('PdhEnumObjectItemsW', status);
  const counters = new Uint16Array(countersLength[0]!);
  const instances = new Uint16Array(Math.max(instancesLength[0]!, 1));
  status = api().PdhEnumObjectItemsW(
    null,
    null,
    object,
    counters,
    countersLength,
    instances,
    instancesLength,
    PERF_DETAIL_WIZARD,
    0,
  ) as number;
  check('PdhEnumObjectItemsW', status);
  return { counters: multiString(counters, countersLength[0]!), instances: multiString(instances, instancesLength[0]!) };
}

/**
 * The paths a wildcard path (`\Process(*)\% Processor Time`) stands for on this machine, as
 * PdhExpandWildCardPathW lists them (localized names). Wine 8 answers PDH_NOT_IMPLEMENTED.
 * https://learn.microsoft.com/windows/win32/api/pdh/nf-pdh-pdhexpandwildcardpathw
 */
export function expandWildCardPath(path: string): string[] {
  const length = [0];
  let status = api().PdhExpandWildCardPathW(null, path, null, length, 0) as number;
  if (status >>> 0 !== PDH_MORE_DATA) check('PdhExpandWildCardPathW', status);
  // Windows may find more instances between the two calls: try again with what it asks for.
  for (let attempt = 0; attempt < 5; attempt++) {
    const list = new Uint16Array(Math.max(length[0]!, 2));
    status = api().PdhExpandWildCardPathW(null, path, list, length, 0) as number;
    if (status >>> 0 !== PDH_MORE_DATA) {
      check('PdhExpandWildCardPathW', status);
      return multiString(list, length[0]!);
    }
  }
  throw pdhError('PdhExpandWildCardPathW', PDH_MORE_DATA);
}

/**
 * PdhMakeCounterPathW: the path PDH builds from `elements` (Wine 8's adds `#0` to every instance,
 * where Windows leaves index 0 out). https://learn.microsoft.com/windows/win32/api/pdh/nf-pdh-pdhmakecounterpathw
 */
export function makeCounterPathNative(elements: CounterPathElements): string {
  const native = {
    szMachineName: elements.machine ?? null,
    szObjectName: elements.object,
    szInstanceName: elements.instance ?? null,
    szParentInstance: elements.parent ?? null,
    dwInstanceIndex: elements.index ?? 0,
    szCounterName: elements.counter,
  };
  const length = [0];
  let status = api().PdhMakeCounterPathW(native, null, length, 0) as number;
  if (status >>> 0 !== PDH_MORE_DATA) check('PdhMakeCounterPathW', status);
  const buffer = new Uint16Array(length[0]!);
  status = api().PdhMakeCounterPathW(native, buffer, length, 0) as number;
  check('PdhMakeCounterPathW', status);
  return Buffer.from(buffer.buffer).toString('utf16le').split('\0')[0]!;
}

/**
 * PdhParseCounterPathW: the elements PDH reads from `path`. Not under Wine 8, where it is a spec
 * stub that ends the process (runtime/perf/counter-path.ts parses the same way in TS).
 * https://learn.microsoft.com/windows/win32/api/pdh/nf-pdh-pdhparsecounterpathw
 */
export function parseCounterPathNative(path: string): CounterPathElements {
  if (isWine()) throw pdhError('PdhParseCounterPathW', 0xc0000bd3);
  const { elements } = api();
  const size = [0];
  let status = api().PdhParseCounterPathW(path, null, size, 0) as number;
  if (status >>> 0 !== PDH_MORE_DATA) check('PdhParseCounterPathW', status);
  const buffer = Buffer.alloc(Math.max(size[0]!, koffi().sizeof(elements)));
  status = api().PdhParseCounterPathW(path, buffer, size, 0) as number;
  check('PdhParseCounterPathW', status);
  const raw = koffi().decode(buffer, elements) as Record<string, string | number | null>;
  const text = (value: string | number | null | undefined) => (typeof value === 'string' ? value : undefined);
  return {
    ...(text(raw.szMachineName) !== undefined && { machine: text(raw.szMachineName)!.replace(/^\\\\/, '') }),
    object: text(raw.szObjectName) ?? '',
    ...(text(raw.szParentInstance) && { parent: text(raw.szParentInstance) }),
    ...(text(raw.szInstanceName) && { instance: text(raw.szInstanceName), index: raw.dwInstanceIndex as number }),
    counter: text(raw.szCounterName) ?? '',
  };
}
