/**
 * Name-based GUIDs (RFC 9562 UUID version 5) for providers and counter sets, so a service keeps
 * the same GUIDs across reinstalls and updates, and their Windows byte layout.
 * @module
 */
import { createHash } from 'node:crypto';

/** NodeService's namespace for its name-based GUIDs (a fixed random UUID). */
const NAMESPACE = 'a4f3c1d2-6b8e-4f0a-9c7d-2e5b8a1f3c60';

/** The UUID version 5 of `name` in `namespace`, lower case without braces. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The provider GUID of service `serviceName` (case-insensitive, as the SCM treats names). */
export function providerGuid(serviceName: string): string {
  return uuidV5(NAMESPACE, `provider/${serviceName.toLowerCase()}`);
}

/** The GUID of counter set `setName` of service `serviceName`. */
export function counterSetGuid(serviceName: string, setName: string): string {
  return uuidV5(NAMESPACE, `counterset/${serviceName.toLowerCase()}/${setName}`);
}

/** A GUID as Windows stores it (struct GUID: Data1, Data2 and Data3 little-endian, then 8 bytes). */
export function guidBytes(guid: string): Buffer {
  const hex = guid.replaceAll(/[{}-]/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`'${guid}' is not a GUID`);
  const bytes = Buffer.from(hex, 'hex');
  bytes.subarray(0, 4).reverse();
  bytes.subarray(4, 6).reverse();
  bytes.subarray(6, 8).reverse();
  return bytes;
}

/** A GUID in registry form: `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`. */
export function braced(guid: string): string {
  return `{${guid.toUpperCase()}}`;
}

/** The GUID stored at `offset` of `bytes` (struct GUID, as {@link guidBytes} writes it), lower case without braces. */
export function guidFromBytes(bytes: Uint8Array, offset = 0): string {
  const raw = Buffer.from(bytes.subarray(offset, offset + 16));
  if (raw.length !== 16) throw new RangeError(`a GUID needs 16 bytes, ${raw.length} are left at offset ${offset}`);
  raw.subarray(0, 4).reverse();
  raw.subarray(4, 6).reverse();
  raw.subarray(6, 8).reverse();
  const hex = raw.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
