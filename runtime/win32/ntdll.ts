/**
 * ntdll.dll, one question: is this Wine? Wine keeps no file ACLs (it derives a DACL from the Unix
 * mode, with the Unix user as owner), so checks that read a folder's DACL need to know.
 * https://wiki.winehq.org/Developer_FAQ#How_can_I_detect_Wine.3F
 * @module
 */
import { bindLibrary } from './koffi.ts';

const api = bindLibrary('ntdll.dll', (dll) => {
  try {
    return { wine_get_version: dll.func('const char * __cdecl wine_get_version()') };
  } catch {
    // Windows' ntdll has no such export.
    return { wine_get_version: undefined };
  }
});

/** Wine's version when running under Wine, else undefined. */
export function wineVersion(): string | undefined {
  const fn = api().wine_get_version;
  return fn ? (fn() as string) : undefined;
}
