/**
 * A small typed view of the registry under HKEY_LOCAL_MACHINE: strings, string lists, numbers.
 * @module
 */
import {
  HKEY_LOCAL_MACHINE,
  KEY_ALL_ACCESS,
  KEY_READ,
  REG_BINARY,
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_SZ,
  regCloseKey,
  regCreateKey,
  regDeleteTree,
  regDeleteValue,
  regEnumKeys,
  regOpenKey,
  regQueryValue,
  regSetValue,
  type HKey,
} from '../win32/advapi32/registry.ts';
import { multiString, parseMultiString } from '../win32/strings.ts';
import { isWindowsError } from '../win32/windows-error.ts';
import { ErrorCode } from '../win32/errors.ts';
import { OwnedHandle } from '../win32/owned-handle.ts';

/** An open key under HKLM: `using key = RegistryKey.open(…)` (or `close()`); closing twice does nothing. */
export class RegistryKey implements Disposable {
  readonly #owned: OwnedHandle<HKey>;
  /** The path below HKLM, e.g. `SOFTWARE\NodeService`. */
  readonly path: string;

  private constructor(key: HKey, keyPath: string) {
    this.#owned = new OwnedHandle(key, regCloseKey, 'registry key');
    this.path = keyPath;
  }

  get #key(): HKey {
    return this.#owned.handle;
  }

  /** Opens `HKLM\<keyPath>`, or returns undefined when it does not exist. */
  static open(keyPath: string, options: { write?: boolean } = {}): RegistryKey | undefined {
    try {
      return new RegistryKey(regOpenKey(HKEY_LOCAL_MACHINE, keyPath, options.write ? KEY_ALL_ACCESS : KEY_READ), keyPath);
    } catch (error) {
      if (isWindowsError(error) && error.code === ErrorCode.ERROR_FILE_NOT_FOUND) return undefined;
      throw error;
    }
  }

  /** Opens `HKLM\<keyPath>` for writing, creating it if needed. */
  static create(keyPath: string): RegistryKey {
    return new RegistryKey(regCreateKey(HKEY_LOCAL_MACHINE, keyPath, KEY_ALL_ACCESS).key, keyPath);
  }

  /** Deletes `HKLM\<keyPath>` and everything below it; false if it did not exist. */
  static deleteTree(keyPath: string): boolean {
    return regDeleteTree(HKEY_LOCAL_MACHINE, keyPath);
  }

  /** A REG_SZ or REG_EXPAND_SZ value (not expanded), or undefined. */
  getString(name: string): string | undefined {
    const value = regQueryValue(this.#key, name);
    if (!value || (value.type !== REG_SZ && value.type !== REG_EXPAND_SZ)) return undefined;
    return value.data.toString('utf16le').replace(/\0+$/, '');
  }

  /** A REG_MULTI_SZ value, or undefined. */
  getStrings(name: string): string[] | undefined {
    const value = regQueryValue(this.#key, name);
    return value?.type === REG_MULTI_SZ ? parseMultiString(value.data) : undefined;
  }

  /** A REG_DWORD value, or undefined. */
  getNumber(name: string): number | undefined {
    const value = regQueryValue(this.#key, name);
    return value?.type === REG_DWORD ? value.data.readUInt32LE(0) : undefined;
  }

  /** A REG_BINARY value, or undefined. */
  getBinary(name: string): Buffer | undefined {
    const value = regQueryValue(this.#key, name);
    return value?.type === REG_BINARY ? value.data : undefined;
  }

  /** Writes a REG_SZ value. */
  setString(name: string, value: string): void {
    regSetValue(this.#key, name, REG_SZ, Buffer.from(`${value}\0`, 'utf16le'));
  }

  /** Writes a REG_EXPAND_SZ value (a string with %VARIABLES% expanded by its reader). */
  setExpandString(name: string, value: string): void {
    regSetValue(this.#key, name, REG_EXPAND_SZ, Buffer.from(`${value}\0`, 'utf16le'));
  }

  /** Writes a REG_MULTI_SZ value. */
  setStrings(name: string, values: readonly string[]): void {
    regSetValue(this.#key, name, REG_MULTI_SZ, multiString(values));
  }

  /** Writes a REG_DWORD value. */
  setNumber(name: string, value: number): void {
    const data = Buffer.alloc(4);
    data.writeUInt32LE(value >>> 0);
    regSetValue(this.#key, name, REG_DWORD, data);
  }

  /** Writes a REG_BINARY value. */
  setBinary(name: string, value: Buffer): void {
    regSetValue(this.#key, name, REG_BINARY, value);
  }

  /** Deletes a value; false if it did not exist. */
  deleteValue(name: string): boolean {
    return regDeleteValue(this.#key, name);
  }

  /** The names of the subkeys. */
  subkeys(): string[] {
    return regEnumKeys(this.#key);
  }

  /** Closes the key; throws if RegCloseKey fails. Closing twice does nothing. */
  close(): void {
    this.#owned.close();
  }

  /** Closes the key; a failure is a warning, never an error that hides the block's own (see owned-handle.ts). */
  [Symbol.dispose](): void {
    this.#owned[Symbol.dispose]();
  }
}
