/**
 * The only door to koffi: loads it lazily (after the addon check) and binds DLL functions on first use.
 * Nothing outside runtime/win32 imports koffi.
 * @module
 */
import type * as Koffi from 'koffi';
import { loadKoffiAddon } from './native-addon.ts';

/** The koffi module's type. */
export type KoffiModule = typeof Koffi;
/** A loaded DLL, as koffi returns it. */
export type Library = Koffi.LibraryHandle;
/** A bound foreign function. */
export type ForeignFunction = ReturnType<Library['func']>;

let instance: KoffiModule | undefined;

/** Returns koffi, loading its verified native addon first so a bad addon fails with a clear reason. */
export function koffi(): KoffiModule {
  if (instance === undefined) {
    loadKoffiAddon();
    // esbuild resolves this to the koffi package and its '@koromix/koffi-win32-x64' import
    // to loadKoffiAddon (see build/bundle.ts), so koffi gets the addon checked above.
    instance = require('koffi') as KoffiModule;
  }
  return instance;
}

/**
 * Declares the functions of one DLL, bound the first time the returned getter is called.
 * Each DLL module (kernel32.ts, advapi32.ts, …) uses this once.
 */
export function bindLibrary<T>(dllName: string, declare: (dll: Library, k: KoffiModule) => T): () => T {
  let bound: T | undefined;
  return () => {
    bound ??= declare(koffi().load(dllName), koffi());
    return bound;
  };
}

/** The NUL-terminated UTF-16 string at a pointer an API returned (the caller frees it). */
export function wideStringAt(pointer: unknown): string {
  return koffi().decode.string16(pointer) as string;
}

/** The REG_MULTI_SZ-style list at a pointer an API returned: strings ended by NUL, the list by another NUL. */
export function wideMultiStringAt(pointer: unknown): string[] {
  const items: string[] = [];
  for (let offset = 0; ; ) {
    const item = koffi().decode(pointer, offset, 'char16_t', -1) as string;
    if (item === '') return items;
    items.push(item);
    offset += (item.length + 1) * 2;
  }
}

/**
 * A reader over memory at a pointer a callback received, for the decoders in runtime/service
 * (event-decoders.ts): each read copies its bytes, so what was read stays valid after the callback
 * returns and the memory is freed. The caller bounds the lengths.
 */
export function memoryReader(pointer: unknown): (offset: number, length: number) => Uint8Array {
  return (offset, length) => {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0)
      throw new RangeError(`cannot read ${length} bytes at ${offset}`);
    return new Uint8Array(koffi().view(pointer, offset + length), offset, length).slice();
  };
}
