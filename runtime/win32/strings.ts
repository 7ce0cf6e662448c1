/**
 * Win32 string encodings koffi has no type for.
 * @module
 */

/** A REG_MULTI_SZ-style list: UTF-16LE strings each ended by NUL, the list ended by another NUL. */
export function multiString(items: readonly string[]): Buffer {
  return Buffer.from(`${items.map((item) => `${item}\0`).join('')}\0`, 'utf16le');
}

/** Reads a REG_MULTI_SZ-style list back. */
export function parseMultiString(data: Buffer): string[] {
  const text = data.toString('utf16le');
  const end = text.indexOf('\0\0');
  const body = end === -1 ? text.replace(/\0$/, '') : text.slice(0, end);
  return body === '' ? [] : body.split('\0');
}
