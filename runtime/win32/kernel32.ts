/**
 * kernel32.dll: process identity, last-error codes and system message text.
 * @module
 */
import { bindLibrary } from './koffi.ts';
import { WindowsError } from './windows-error.ts';

const FORMAT_MESSAGE_IGNORE_INSERTS = 0x200;
const FORMAT_MESSAGE_FROM_SYSTEM = 0x1000;
const MESSAGE_BUFFER_CHARS = 2048;

const api = bindLibrary('kernel32.dll', (dll) => ({
  GetCurrentProcessId: dll.func('uint32 __stdcall GetCurrentProcessId()'),
  GetLastError: dll.func('uint32 __stdcall GetLastError()'),
  LocalFree: dll.func('void * __stdcall LocalFree(void *mem)'),
  FormatMessageW: dll.func(
    'uint32 __stdcall FormatMessageW(uint32 flags, void *source, uint32 messageId, uint32 languageId, _Out_ uint8_t *buffer, uint32 size, void *args)',
  ),
}));

/** The current process id. https://learn.microsoft.com/windows/win32/api/processthreadsapi/nf-processthreadsapi-getcurrentprocessid */
export function getCurrentProcessId(): number {
  return api().GetCurrentProcessId() as number;
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
