/**
 * Who can change a file or folder, read from its security descriptor in SDDL: the owner (who can
 * always rewrite the DACL) and every allow ACE that applies to the object itself with a right that
 * writes, deletes, or changes permissions. host.exe and the koffi.node beside it run as LocalSystem,
 * so `/register` refuses a host whose folder anyone but SYSTEM, Administrators and TrustedInstaller
 * can change (issue 15, item 3). Deny ACEs are ignored: that can only make the answer stricter.
 * Pure code, unit-tested against descriptors Windows really has.
 * https://learn.microsoft.com/windows/win32/secauthz/security-descriptor-string-format
 * @module
 */

/** SIDs trusted to write where code runs as LocalSystem: SYSTEM, Administrators, TrustedInstaller. */
export const TRUSTED_SIDS: readonly string[] = [
  'S-1-5-18',
  'S-1-5-32-544',
  'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
];

const SID_ALIASES: Record<string, string> = {
  SY: 'S-1-5-18',
  BA: 'S-1-5-32-544',
  BU: 'S-1-5-32-545',
  BG: 'S-1-5-32-546',
  PU: 'S-1-5-32-547',
  WD: 'S-1-1-0',
  AU: 'S-1-5-11',
  IU: 'S-1-5-4',
  AN: 'S-1-5-7',
  NU: 'S-1-5-2',
  CO: 'S-1-3-0',
  CG: 'S-1-3-1',
  OW: 'S-1-3-4',
  SU: 'S-1-5-6',
  LS: 'S-1-5-19',
  NS: 'S-1-5-20',
  AC: 'S-1-15-2-1',
};

const RIGHTS: Record<string, number> = {
  GA: 0x1000_0000,
  GX: 0x2000_0000,
  GW: 0x4000_0000,
  GR: 0x8000_0000,
  FA: 0x1f01ff,
  FR: 0x120089,
  FW: 0x120116,
  FX: 0x1200a0,
  KA: 0xf003f,
  KR: 0x20019,
  KW: 0x20006,
  KX: 0x20019,
  RC: 0x20000,
  SD: 0x10000,
  WD: 0x40000,
  WO: 0x80000,
  CC: 0x1,
  DC: 0x2,
  LC: 0x4,
  SW: 0x8,
  RP: 0x10,
  WP: 0x20,
  DT: 0x40,
  LO: 0x80,
  CR: 0x100,
};

/**
 * Rights that change a file or folder: write data / add file, append / add subfolder, write
 * extended attributes, delete child, DELETE, WRITE_DAC, WRITE_OWNER, GENERIC_WRITE, GENERIC_ALL.
 */
const CHANGING_RIGHTS = 0x2 | 0x4 | 0x10 | 0x40 | 0x10000 | 0x40000 | 0x80000 | 0x4000_0000 | 0x1000_0000;
const INHERIT_ONLY = 'IO';

/** A SID in SDDL (an alias such as BA, or S-1-…) as S-1-… */
export function sidOf(text: string): string {
  return SID_ALIASES[text.toUpperCase()] ?? text.toUpperCase();
}

/** An access mask in SDDL (0x1200a9, or letters such as FA or GRGX) as a number. */
export function rightsOf(text: string): number {
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  let mask = 0;
  for (let i = 0; i < text.length; i += 2) mask |= RIGHTS[text.slice(i, i + 2).toUpperCase()] ?? 0;
  return mask;
}

/** One who can change the object, and why. */
export interface Writer {
  sid: string;
  why: 'owner' | 'ace' | 'no DACL';
}

/**
 * Everyone but the trusted SIDs (and `alsoTrusted`) who can change the object `sddl` describes:
 * its owner, and the SIDs of allow ACEs with changing rights that apply to the object itself.
 */
export function untrustedWriters(sddl: string, alsoTrusted: readonly string[] = []): Writer[] {
  const trusted = new Set([...TRUSTED_SIDS, ...alsoTrusted.map(sidOf)]);
  const writers: Writer[] = [];
  const owner = /O:([^:()]+?)(?=[GDS]:|$)/.exec(sddl)?.[1];
  if (owner && !trusted.has(sidOf(owner))) writers.push({ sid: sidOf(owner), why: 'owner' });
  const dacl = /D:([^:]*?)(?=S:|$)/.exec(sddl)?.[1];
  if (dacl === undefined || /NO_ACCESS_CONTROL/.test(dacl)) return [...writers, { sid: 'S-1-1-0', why: 'no DACL' }];
  for (const [, body] of dacl.matchAll(/\(([^)]*)\)/g)) {
    const [type = '', flags = '', rights = '', , , sid = ''] = body!.split(';');
    if (type.toUpperCase() !== 'A' || flags.toUpperCase().includes(INHERIT_ONLY)) continue;
    if ((rightsOf(rights) & CHANGING_RIGHTS) === 0) continue;
    const full = sidOf(sid);
    if (!trusted.has(full) && !writers.some((writer) => writer.sid === full)) writers.push({ sid: full, why: 'ace' });
  }
  return writers;
}
