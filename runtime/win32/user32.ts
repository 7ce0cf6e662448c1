/**
 * user32.dll: strings from a module's string table (RT_STRING), as Performance Monitor reads counter
 * names from the binary a counters manifest names.
 * @module
 */
import type { ModuleHandle } from './kernel32.ts';
import { bindLibrary } from './koffi.ts';

/** A string table entry holds at most 65535 characters (a 16-bit length); one more for the NUL. */
const STRING_BUFFER_CHARS = 0x10000;

const api = bindLibrary('user32.dll', (dll) => ({
  LoadStringW: dll.func('int __stdcall LoadStringW(void *instance, uint32 id, _Out_ uint8_t *buffer, int bufferMax)'),
}));

/**
 * String `id` of a module's string table (a module from loadResourceModule works), in the user's
 * language or another the module has; undefined when the table has no such string (an empty
 * string is stored as none). https://learn.microsoft.com/windows/win32/api/winuser/nf-winuser-loadstringw
 */
export function loadString(module: ModuleHandle, id: number): string | undefined {
  const buffer = Buffer.alloc(STRING_BUFFER_CHARS * 2);
  const chars = api().LoadStringW(module, id, buffer, STRING_BUFFER_CHARS) as number;
  return chars > 0 ? buffer.toString('utf16le', 0, chars * 2) : undefined;
}
