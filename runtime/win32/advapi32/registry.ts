/**
 * advapi32.dll, registry surface: open/create keys, read/write/delete values, delete trees.
 * https://learn.microsoft.com/windows/win32/sysinfo/registry-functions
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import { checkResult, ErrorCode } from '../errors.ts';

/** An open registry key (HKEY), as a pointer-sized integer. */
export type HKey = number;

/** HKEY_LOCAL_MACHINE: (HKEY)(LONG)0x80000002, sign-extended on 64-bit Windows. */
export const HKEY_LOCAL_MACHINE: HKey = 0x80000002 | 0;

/** Registry value types NodeService reads and writes. */
export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_BINARY = 3;
export const REG_DWORD = 4;
export const REG_MULTI_SZ = 7;

export const KEY_READ = 0x20019;
export const KEY_ALL_ACCESS = 0xf003f;

const REG_OPTION_NON_VOLATILE = 0;

const api = bindLibrary('advapi32.dll', (dll) => ({
  RegOpenKeyExW: dll.func(
    'int32 __stdcall RegOpenKeyExW(intptr key, const char16_t *subKey, uint32 options, uint32 access, _Out_ intptr *result)',
  ),
  RegCreateKeyExW: dll.func(
    'int32 __stdcall RegCreateKeyExW(intptr key, const char16_t *subKey, uint32 reserved, void *className, uint32 options, uint32 access, void *security, _Out_ intptr *result, _Out_ uint32 *disposition)',
  ),
  RegCloseKey: dll.func('int32 __stdcall RegCloseKey(intptr key)'),
  RegSetValueExW: dll.func(
    'int32 __stdcall RegSetValueExW(intptr key, const char16_t *name, uint32 reserved, uint32 type, const uint8_t *data, uint32 size)',
  ),
  RegQueryValueExW: dll.func(
    'int32 __stdcall RegQueryValueExW(intptr key, const char16_t *name, void *reserved, _Out_ uint32 *type, _Out_ uint8_t *data, _Inout_ uint32 *size)',
  ),
  RegDeleteValueW: dll.func('int32 __stdcall RegDeleteValueW(intptr key, const char16_t *name)'),
  RegDeleteTreeW: dll.func('int32 __stdcall RegDeleteTreeW(intptr key, const char16_t *subKey)'),
  RegEnumKeyExW: dll.func(
    'int32 __stdcall RegEnumKeyExW(intptr key, uint32 index, _Out_ uint8_t *name, _Inout_ uint32 *nameChars, void *reserved, void *className, void *classChars, void *lastWrite)',
  ),
}));

/** RegOpenKeyExW. */
export function regOpenKey(key: HKey, subKey: string, access: number): HKey {
  const out = [0];
  checkResult('RegOpenKeyExW', api().RegOpenKeyExW(key, subKey, 0, access, out) as number);
  return out[0]!;
}

/** RegCreateKeyExW: opens the key, creating it (and missing parents) if needed. */
export function regCreateKey(key: HKey, subKey: string, access: number): { key: HKey; created: boolean } {
  const out = [0];
  const disposition = [0];
  checkResult(
    'RegCreateKeyExW',
    api().RegCreateKeyExW(key, subKey, 0, null, REG_OPTION_NON_VOLATILE, access, null, out, disposition) as number,
  );
  return { key: out[0]!, created: disposition[0] === 1 };
}

/** RegCloseKey. */
export function regCloseKey(key: HKey): void {
  checkResult('RegCloseKey', api().RegCloseKey(key) as number);
}

/** RegSetValueExW with raw bytes of `type`. */
export function regSetValue(key: HKey, name: string, type: number, data: Buffer): void {
  checkResult('RegSetValueExW', api().RegSetValueExW(key, name, 0, type, data, data.length) as number);
}

/** RegQueryValueExW: the value's type and bytes, or undefined when it does not exist. */
export function regQueryValue(key: HKey, name: string): { type: number; data: Buffer } | undefined {
  let capacity = 256;
  for (;;) {
    const type = [0];
    const size = [capacity];
    const data = Buffer.alloc(capacity);
    const status = api().RegQueryValueExW(key, name, null, type, data, size) as number;
    if (status === ErrorCode.ERROR_FILE_NOT_FOUND) return undefined;
    if (status === ErrorCode.ERROR_MORE_DATA) {
      capacity = Math.max(size[0]!, capacity * 2);
      continue;
    }
    checkResult('RegQueryValueExW', status);
    return { type: type[0]!, data: data.subarray(0, size[0]) };
  }
}

/** RegDeleteValueW; true if it existed. */
export function regDeleteValue(key: HKey, name: string): boolean {
  const status = api().RegDeleteValueW(key, name) as number;
  if (status === ErrorCode.ERROR_FILE_NOT_FOUND) return false;
  checkResult('RegDeleteValueW', status);
  return true;
}

/** RegDeleteTreeW: deletes `subKey` with everything below it; true if it existed. */
export function regDeleteTree(key: HKey, subKey: string): boolean {
  const status = api().RegDeleteTreeW(key, subKey) as number;
  if (status === ErrorCode.ERROR_FILE_NOT_FOUND) return false;
  checkResult('RegDeleteTreeW', status);
  return true;
}

/** RegEnumKeyExW over every subkey name. */
export function regEnumKeys(key: HKey): string[] {
  const names: string[] = [];
  const buffer = Buffer.alloc(512);
  for (let index = 0; ; index++) {
    const chars = [buffer.length / 2];
    const status = api().RegEnumKeyExW(key, index, buffer, chars, null, null, null, null) as number;
    if (status === ErrorCode.ERROR_NO_MORE_ITEMS) return names;
    checkResult('RegEnumKeyExW', status);
    names.push(buffer.toString('utf16le', 0, chars[0]! * 2));
  }
}
