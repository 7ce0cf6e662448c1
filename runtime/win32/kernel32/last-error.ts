/**
 * kernel32.dll, the two calls every failed Win32 call needs: the thread's last error and the
 * system's text for a code. Apart from kernel32.ts so that errors.ts (which every DLL module
 * imports, kernel32.ts included) reads them without an import circle.
 * @module
 */
import { bindLibrary } from '../koffi.ts';

const FORMAT_MESSAGE_IGNORE_INSERTS = 0x200;
const FORMAT_MESSAGE_FROM_SYSTEM = 0x1000;
const MESSAGE_BUFFER_CHARS = 2048;

const api = bindLibrary('kernel32.dll', (dll) => ({
  GetLastError: dll.func('uint32 __stdcall GetLastError()'),
  SetLastError: dll.func('void __stdcall SetLastError(uint32 code)'),
  FormatMessageW: dll.func(
    'uint32 __stdcall FormatMessageW(uint32 flags, void *source, uint32 messageId, uint32 languageId, _Out_ uint8_t *buffer, uint32 size, void *args)',
  ),
}));

/** GetLastError. https://learn.microsoft.com/windows/win32/api/errhandlingapi/nf-errhandlingapi-getlasterror */
export function lastErrorCode(): number {
  return api().GetLastError() as number;
}

/**
 * Sets the thread's last error to 0 before a call that may fail without setting one (a stub), so
 * lastError then tells "no code" from a stale code of an earlier call.
 */
export function clearLastError(): void {
  api().SetLastError(0);
}

/** The system's text for a Win32 error code, or '' when it has none. https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-formatmessagew */
export function systemMessage(code: number): string {
  const buffer = Buffer.alloc(MESSAGE_BUFFER_CHARS * 2);
  const flags = FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;
  const chars = api().FormatMessageW(flags, null, code, 0, buffer, MESSAGE_BUFFER_CHARS, null) as number;
  return buffer.toString('utf16le', 0, chars * 2).trimEnd();
}
