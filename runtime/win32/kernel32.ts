/**
 * kernel32.dll: process identity and handles, and messages formatted from a module's message table
 * (loaded as a data file, as Event Viewer does). The last error and the system's text for a code
 * are in kernel32/last-error.ts, read through errors.ts.
 * @module
 */
import { bindLibrary } from './koffi.ts';
import { ErrorCode, lastError } from './errors.ts';
import { OwnedHandle } from './owned-handle.ts';

const FORMAT_MESSAGE_FROM_HMODULE = 0x800;
const FORMAT_MESSAGE_ARGUMENT_ARRAY = 0x2000;
/** The largest buffer FormatMessageW fills without FORMAT_MESSAGE_ALLOCATE_BUFFER: 64 K characters. */
const MODULE_MESSAGE_BUFFER_CHARS = 0x10000;
/** Inserts %1…%99: FormatMessage reads as many as the text names, so always pass 99. */
const MAX_INSERTS = 99;
const LOAD_LIBRARY_AS_DATAFILE = 0x2;
const LOAD_LIBRARY_AS_IMAGE_RESOURCE = 0x20;

const api = bindLibrary('kernel32.dll', (dll) => ({
  GetCurrentProcessId: dll.func('uint32 __stdcall GetCurrentProcessId()'),
  GetCurrentProcess: dll.func('void * __stdcall GetCurrentProcess()'),
  TerminateProcess: dll.func('bool __stdcall TerminateProcess(void *process, uint32 exitCode)'),
  OpenProcess: dll.func('void * __stdcall OpenProcess(uint32 access, bool inherit, uint32 processId)'),
  CloseHandle: dll.func('bool __stdcall CloseHandle(void *handle)'),
  LocalFree: dll.func('void * __stdcall LocalFree(void *mem)'),
  FormatModuleMessageW: dll.func('FormatMessageW', 'uint32', [
    'uint32',
    'void *',
    'uint32',
    'uint32',
    '_Out_ uint8_t *',
    'uint32',
    'const char16_t **',
  ]),
  LoadLibraryExW: dll.func('void * __stdcall LoadLibraryExW(const char16_t *name, void *file, uint32 flags)'),
  FreeLibrary: dll.func('bool __stdcall FreeLibrary(void *module)'),
  GetModuleHandleW: dll.func('void * __stdcall GetModuleHandleW(const char16_t *name)'),
  GetProcAddress: dll.func('void * __stdcall GetProcAddress(void *module, const char *name)'),
  SleepEx: dll.func('uint32 __stdcall SleepEx(uint32 milliseconds, bool alertable)'),
  QueryPerformanceCounter: dll.func('bool __stdcall QueryPerformanceCounter(_Out_ int64_t *count)'),
  QueryPerformanceFrequency: dll.func('bool __stdcall QueryPerformanceFrequency(_Out_ int64_t *frequency)'),
  GetComputerNameW: dll.func('bool __stdcall GetComputerNameW(_Out_ uint8_t *buffer, _Inout_ uint32 *size)'),
}));

/** QueryPerformanceCounter: the high-resolution tick count. https://learn.microsoft.com/windows/win32/api/profileapi/nf-profileapi-queryperformancecounter */
export function queryPerformanceCounter(): bigint {
  const out: [bigint | number] = [0];
  api().QueryPerformanceCounter(out);
  return BigInt(out[0]);
}

/** QueryPerformanceFrequency: ticks a second of {@link queryPerformanceCounter}. https://learn.microsoft.com/windows/win32/api/profileapi/nf-profileapi-queryperformancefrequency */
export function queryPerformanceFrequency(): bigint {
  const out: [bigint | number] = [0];
  if (!api().QueryPerformanceFrequency(out)) throw lastError('QueryPerformanceFrequency');
  return BigInt(out[0]);
}

/** MAX_COMPUTERNAME_LENGTH + 1: a NetBIOS name and its NUL. */
const COMPUTER_NAME_CHARS = 16;

/**
 * GetComputerNameW: this machine's NetBIOS name, the one LookupAccountNameW knows local accounts
 * by (COMPUTER\user). Not os.hostname(), which is the DNS host name and may be longer or differ.
 * https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-getcomputernamew
 */
export function getComputerName(): string {
  let chars = COMPUTER_NAME_CHARS;
  for (;;) {
    const buffer = Buffer.alloc(chars * 2);
    const size = [chars];
    if (api().GetComputerNameW(buffer, size) as boolean) return buffer.toString('utf16le', 0, size[0]! * 2);
    const error = lastError('GetComputerNameW');
    // ERROR_BUFFER_OVERFLOW: size now holds the characters needed, the NUL included.
    if (error.code !== ErrorCode.ERROR_BUFFER_OVERFLOW || size[0]! <= chars) throw error;
    chars = size[0]!;
  }
}

/** SleepEx's answer when an APC ended the wait. */
const WAIT_IO_COMPLETION = 0xc0;

/**
 * SleepEx(ms, TRUE): blocks this thread for up to `ms`, running the APCs queued to it (such as
 * NotifyServiceStatusChangeW's callback); true when an APC ended the wait early. Blocks the JS
 * thread: only for a worker thread of its own (host/cli/status-notify-thread.ts).
 * https://learn.microsoft.com/windows/win32/api/synchapi/nf-synchapi-sleepex
 */
export function sleepAlertable(ms: number): boolean {
  return (api().SleepEx(ms, true) as number) === WAIT_IO_COMPLETION;
}

/** A loaded module (HMODULE). */
export type ModuleHandle = unknown;

/** The current process id. https://learn.microsoft.com/windows/win32/api/processthreadsapi/nf-processthreadsapi-getcurrentprocessid */
export function getCurrentProcessId(): number {
  return api().GetCurrentProcessId() as number;
}

/** An open process handle (HANDLE). Close it with {@link closeHandle}. */
export type ProcessHandle = { readonly __brand: 'PROCESS_HANDLE' };

/** Process access rights. */
export const ProcessAccess = { QUERY_INFORMATION: 0x400, VM_READ: 0x10 } as const;

/** OpenProcess. https://learn.microsoft.com/windows/win32/api/processthreadsapi/nf-processthreadsapi-openprocess */
export function openProcess(access: number, processId: number): ProcessHandle {
  const handle = api().OpenProcess(access, false, processId);
  if (!handle) throw lastError('OpenProcess');
  return handle as ProcessHandle;
}

/** CloseHandle. https://learn.microsoft.com/windows/win32/api/handleapi/nf-handleapi-closehandle */
export function closeHandle(handle: ProcessHandle): void {
  if (!api().CloseHandle(handle)) throw lastError('CloseHandle');
}

/** Frees memory an API allocated with LocalAlloc (security descriptors, formatted strings). https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-localfree */
export function localFree(memory: unknown): void {
  api().LocalFree(memory);
}

/** A module loaded as a data file (loadResourceModule): its handle, freed with FreeLibrary when disposed, so callers write `using`. */
export type ResourceModule = OwnedHandle<ModuleHandle>;

/** Loads a module's resources only, as a data file, without running it. https://learn.microsoft.com/windows/win32/api/libloaderapi/nf-libloaderapi-loadlibraryexw */
export function loadResourceModule(file: string): ResourceModule {
  const handle = api().LoadLibraryExW(file, null, LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE);
  if (!handle) throw lastError('LoadLibraryExW');
  return new OwnedHandle(
    handle,
    (module) => {
      if (!api().FreeLibrary(module)) throw lastError('FreeLibrary');
    },
    `resource module ${file}`,
  );
}

/**
 * Ends this process at once with `exitCode` (TerminateProcess on itself). For a process that must
 * not wait for a native call still blocking one of its threads: process.exit joins libuv's threads.
 * https://learn.microsoft.com/windows/win32/api/processthreadsapi/nf-processthreadsapi-terminateprocess
 */
export function terminateCurrentProcess(exitCode: number): never {
  api().TerminateProcess(api().GetCurrentProcess(), exitCode);
  throw lastError('TerminateProcess');
}

/** The module of the running executable (host.exe). */
export function currentModule(): ModuleHandle {
  const module = api().GetModuleHandleW(null);
  if (!module) throw lastError('GetModuleHandleW');
  return module;
}

/**
 * True under Wine: its ntdll.dll exports wine_get_version. For the few Wine gaps a caller must
 * step around (an exported stub that ends the process when called).
 */
export function isWine(): boolean {
  const ntdll = api().GetModuleHandleW('ntdll.dll');
  return Boolean(ntdll && api().GetProcAddress(ntdll, 'wine_get_version'));
}

/**
 * Formats message `id` of a module's message table with string inserts (%1…), in the user's
 * language or the first one the table has; undefined when the table has no such message.
 * https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-formatmessagew
 */
export function formatModuleMessage(module: ModuleHandle, id: number, inserts: readonly string[]): string | undefined {
  const args = Array.from({ length: MAX_INSERTS }, (_, i) => inserts[i] ?? '');
  const buffer = Buffer.alloc(MODULE_MESSAGE_BUFFER_CHARS * 2);
  const flags = FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ARGUMENT_ARRAY;
  const chars = api().FormatModuleMessageW(flags, module, id >>> 0, 0, buffer, MODULE_MESSAGE_BUFFER_CHARS, args) as number;
  if (chars === 0) {
    const error = lastError('FormatMessageW');
    if (error.code === ErrorCode.ERROR_MR_MID_NOT_FOUND || error.code === ErrorCode.ERROR_RESOURCE_TYPE_NOT_FOUND) return undefined;
    throw error;
  }
  return buffer.toString('utf16le', 0, chars * 2);
}
