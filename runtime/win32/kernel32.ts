/**
 * kernel32.dll: process identity and handles, last-error codes, system message text, and messages
 * formatted from a module's message table (loaded as a data file, as Event Viewer does).
 * @module
 */
import { bindLibrary } from './koffi.ts';
import { WindowsError } from './windows-error.ts';

const FORMAT_MESSAGE_IGNORE_INSERTS = 0x200;
const FORMAT_MESSAGE_FROM_HMODULE = 0x800;
const FORMAT_MESSAGE_FROM_SYSTEM = 0x1000;
const FORMAT_MESSAGE_ARGUMENT_ARRAY = 0x2000;
const MESSAGE_BUFFER_CHARS = 2048;
/** The largest buffer FormatMessageW fills without FORMAT_MESSAGE_ALLOCATE_BUFFER: 64 K characters. */
const MODULE_MESSAGE_BUFFER_CHARS = 0x10000;
/** Inserts %1…%99: FormatMessage reads as many as the text names, so always pass 99. */
const MAX_INSERTS = 99;
const LOAD_LIBRARY_AS_DATAFILE = 0x2;
const LOAD_LIBRARY_AS_IMAGE_RESOURCE = 0x20;
const ERROR_INSUFFICIENT_BUFFER = 122;
const ERROR_MORE_DATA = 234;
const ERROR_MR_MID_NOT_FOUND = 317;
const ERROR_RESOURCE_TYPE_NOT_FOUND = 1813;

const api = bindLibrary('kernel32.dll', (dll) => ({
  GetCurrentProcessId: dll.func('uint32 __stdcall GetCurrentProcessId()'),
  GetCurrentProcess: dll.func('void * __stdcall GetCurrentProcess()'),
  TerminateProcess: dll.func('bool __stdcall TerminateProcess(void *process, uint32 exitCode)'),
  OpenProcess: dll.func('void * __stdcall OpenProcess(uint32 access, bool inherit, uint32 processId)'),
  CloseHandle: dll.func('bool __stdcall CloseHandle(void *handle)'),
  GetLastError: dll.func('uint32 __stdcall GetLastError()'),
  SetLastError: dll.func('void __stdcall SetLastError(uint32 code)'),
  LocalFree: dll.func('void * __stdcall LocalFree(void *mem)'),
  FormatMessageW: dll.func(
    'uint32 __stdcall FormatMessageW(uint32 flags, void *source, uint32 messageId, uint32 languageId, _Out_ uint8_t *buffer, uint32 size, void *args)',
  ),
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

/** SleepEx's answer when an APC ended the wait. */
const WAIT_IO_COMPLETION = 0xc0;

/**
 * SleepEx(ms, TRUE): blocks this thread for up to `ms`, running the APCs queued to it (such as
 * NotifyServiceStatusChangeW's callback); true when an APC ended the wait early. Blocks the JS
 * thread: only for a worker thread of its own (host/status-notify-thread.ts).
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

/** The system's text for a Win32 error code, or '' when it has none. https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-formatmessagew */
export function systemMessage(code: number): string {
  const buffer = Buffer.alloc(MESSAGE_BUFFER_CHARS * 2);
  const flags = FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;
  const chars = api().FormatMessageW(flags, null, code, 0, buffer, MESSAGE_BUFFER_CHARS, null) as number;
  return buffer.toString('utf16le', 0, chars * 2).trimEnd();
}

/** Loads a module's resources only, as a data file, without running it. https://learn.microsoft.com/windows/win32/api/libloaderapi/nf-libloaderapi-loadlibraryexw */
export function loadResourceModule(file: string): ModuleHandle {
  const module = api().LoadLibraryExW(file, null, LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE);
  if (!module) throw lastError('LoadLibraryExW');
  return module;
}

/** Releases a module from loadResourceModule. */
export function freeLibrary(module: ModuleHandle): void {
  if (!api().FreeLibrary(module)) throw lastError('FreeLibrary');
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
    if (error.code === ERROR_MR_MID_NOT_FOUND || error.code === ERROR_RESOURCE_TYPE_NOT_FOUND) return undefined;
    throw error;
  }
  return buffer.toString('utf16le', 0, chars * 2);
}

/** A WindowsError for `code` (a result code, for APIs that return one instead of setting the last error). */
export function windowsError(functionName: string, code: number): WindowsError {
  return new WindowsError(functionName, code, systemMessage(code));
}

/**
 * A WindowsError for the calling thread's last error. Call it right after the failed call:
 * koffi keeps the last-error value of its previous call intact across the JS in between.
 */
export function lastError(functionName: string): WindowsError {
  return windowsError(functionName, api().GetLastError() as number);
}

/**
 * Sets the thread's last error to 0 before a call that may fail without setting one (a stub), so
 * {@link lastError} then tells "no code" from a stale code of an earlier call.
 */
export function clearLastError(): void {
  api().SetLastError(0);
}

/** Throws a WindowsError for APIs that return their Win32 code (0 = ERROR_SUCCESS) instead of setting the last error. */
export function checkResult(functionName: string, code: number): void {
  if (code !== 0) throw windowsError(functionName, code);
}

/**
 * Calls a BOOL API that fills a caller's buffer and says how big it must be: first with an empty
 * buffer, then again with one of the size it asked for (ERROR_INSUFFICIENT_BUFFER or
 * ERROR_MORE_DATA), until the call succeeds. Resolves to the filled buffer.
 */
export function callWithSizedBuffer(functionName: string, call: (buffer: Buffer, needed: number[]) => boolean): Buffer {
  let buffer = Buffer.alloc(0);
  for (;;) {
    const needed = [0];
    if (call(buffer, needed)) return buffer;
    const error = lastError(functionName);
    if ((error.code !== ERROR_INSUFFICIENT_BUFFER && error.code !== ERROR_MORE_DATA) || needed[0]! <= buffer.length) throw error;
    buffer = Buffer.alloc(needed[0]!);
  }
}
