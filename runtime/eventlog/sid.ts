/**
 * Security identifiers between their text form (`S-1-5-18`) and the binary layout ReportEventW takes
 * and EVENTLOGRECORD holds: revision, sub-authority count, a 48-bit big-endian identifier authority,
 * then 32-bit little-endian sub-authorities. Pure code, so a malformed SID is refused with a clear
 * message before any call, and both directions are unit-tested.
 * https://learn.microsoft.com/windows/win32/api/winnt/ns-winnt-sid
 * @module
 */

/** A SID has at most 15 sub-authorities (SID_MAX_SUB_AUTHORITIES). */
const MAX_SUB_AUTHORITIES = 15;

/** A SID's text form, `S-1-5-21-…`. */
export type SidString = `S-${string}`;

/** A binary SID as `S-R-A-S1-S2…`. */
export function sidToString(sid: Buffer): string {
  const revision = sid[0]!;
  const count = sid[1]!;
  const authority = sid.readUIntBE(2, 6);
  const subAuthorities = Array.from({ length: count }, (_, i) => sid.readUInt32LE(8 + i * 4));
  return ['S', revision, authority, ...subAuthorities].join('-');
}

/** The binary SID of `text` (`S-1-5-18`, an authority in decimal or 0x hex); throws a clear error when malformed. */
export function sidFromString(text: string): Buffer {
  const match = /^S-1-(\d+|0x[0-9a-f]{12})((?:-\d+)*)$/i.exec(text);
  if (!match) throw new Error(`'${text}' is not a SID: expected the form S-1-<authority>-<sub-authority>… (such as S-1-5-18)`);
  const authority = match[1]!.toLowerCase().startsWith('0x') ? Number.parseInt(match[1]!.slice(2), 16) : Number(match[1]);
  const subs = match[2]!.split('-').slice(1).map(Number);
  if (!Number.isSafeInteger(authority) || authority > 0xffff_ffff_ffff)
    throw new Error(`'${text}' is not a SID: its authority is too large`);
  if (subs.length > MAX_SUB_AUTHORITIES) throw new Error(`'${text}' is not a SID: it has more than ${MAX_SUB_AUTHORITIES} sub-authorities`);
  if (subs.some((sub) => sub > 0xffff_ffff)) throw new Error(`'${text}' is not a SID: a sub-authority is larger than 4294967295`);
  const sid = Buffer.alloc(8 + subs.length * 4);
  sid[0] = 1;
  sid[1] = subs.length;
  sid.writeUIntBE(authority, 2, 6);
  for (const [i, sub] of subs.entries()) sid.writeUInt32LE(sub, 8 + i * 4);
  return sid;
}
