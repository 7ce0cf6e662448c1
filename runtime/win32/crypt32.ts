/**
 * crypt32.dll, DPAPI: data sealed for this machine, which any account on it can open and no other
 * machine can. https://learn.microsoft.com/windows/win32/api/dpapi/nf-dpapi-cryptprotectdata
 * @module
 */
import { bindLibrary } from './koffi.ts';
import { localFree } from './kernel32.ts';
import { lastError } from './errors.ts';

const CRYPTPROTECT_UI_FORBIDDEN = 0x1;
const CRYPTPROTECT_LOCAL_MACHINE = 0x4;

const api = bindLibrary('crypt32.dll', (dll, k) => {
  k.struct('DATA_BLOB', { cbData: 'uint32', pbData: 'void *' });
  return {
    k,
    CryptProtectData: dll.func(
      'bool __stdcall CryptProtectData(const DATA_BLOB *data, const char16_t *description, const DATA_BLOB *entropy, void *reserved, void *prompt, uint32 flags, _Out_ DATA_BLOB *out)',
    ),
    CryptUnprotectData: dll.func(
      'bool __stdcall CryptUnprotectData(const DATA_BLOB *data, void *description, const DATA_BLOB *entropy, void *reserved, void *prompt, uint32 flags, _Out_ DATA_BLOB *out)',
    ),
  };
});

/** Copies an output DATA_BLOB into a Buffer and frees it (LocalFree). */
function takeBlob(blob: { cbData: number; pbData: unknown }): Buffer {
  try {
    // A copy (Buffer.from of a Uint8Array), not a view of the memory freed below.
    return Buffer.from(new Uint8Array(api().k.view(blob.pbData, blob.cbData)));
  } finally {
    if (blob.pbData) localFree(blob.pbData);
  }
}

/** Runs `use` with a DATA_BLOB holding a native copy of `data` (koffi passes no Buffer inside a struct). */
function withBlob<T>(data: Buffer, use: (blob: { cbData: number; pbData: unknown }) => T): T {
  const { k } = api();
  const native = k.alloc('uint8_t', Math.max(1, data.length));
  try {
    new Uint8Array(k.view(native, data.length)).set(data);
    return use({ cbData: data.length, pbData: native });
  } finally {
    k.free(native);
  }
}

/** CryptProtectData with CRYPTPROTECT_LOCAL_MACHINE: `data` sealed for this machine. */
export function protectData(data: Buffer, description: string): Buffer {
  const out: { cbData: number; pbData: unknown }[] = [{ cbData: 0, pbData: null }];
  const flags = CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN;
  const ok = withBlob(data, (blob) => api().CryptProtectData(blob, description, null, null, null, flags, out) as boolean);
  if (!ok) throw lastError('CryptProtectData');
  return takeBlob(out[0]!);
}

/** CryptUnprotectData: what protectData sealed. */
export function unprotectData(sealed: Buffer): Buffer {
  const out: { cbData: number; pbData: unknown }[] = [{ cbData: 0, pbData: null }];
  const ok = withBlob(sealed, (blob) => api().CryptUnprotectData(blob, null, null, null, null, CRYPTPROTECT_UI_FORBIDDEN, out) as boolean);
  if (!ok) throw lastError('CryptUnprotectData');
  return takeBlob(out[0]!);
}
