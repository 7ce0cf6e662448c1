/**
 * A service's own SID (`NT SERVICE\<name>`), computed as Windows does: S-1-5-80- followed by the
 * SHA-1 of the upper-cased service name in UTF-16LE, read as five little-endian 32-bit numbers.
 * Computed rather than looked up: LookupAccountNameW knows it only on Windows Vista and later with
 * the service installed, and Wine does not know it at all; the rule is the same `sc showsid` uses.
 * https://learn.microsoft.com/windows/win32/services/service-security-and-access-rights
 * @module
 */
import { createHash } from 'node:crypto';

/** The SID string of service `name`, e.g. S-1-5-80-956008885-… for TrustedInstaller. */
export function serviceSid(name: string): string {
  const digest = createHash('sha1')
    .update(Buffer.from(upcase(name), 'utf16le'))
    .digest();
  const parts = [0, 4, 8, 12, 16].map((offset) => digest.readUInt32LE(offset));
  return `S-1-5-80-${parts.join('-')}`;
}

/** Upper case one UTF-16 unit at a time, as RtlUpcaseUnicodeString does ('ß' stays 'ß', not 'SS'). */
function upcase(name: string): string {
  return [...name].map((char) => (char.toUpperCase().length === char.length ? char.toUpperCase() : char)).join('');
}
