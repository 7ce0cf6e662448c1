/**
 * A service's security descriptor as SDDL, read and composed as text: the access rights of a
 * service by name, SID strings checked, and an ACE added to a DACL in canonical order. Pure, so
 * the composition is unit-tested without Windows (Wine's SCM keeps no service security at all:
 * see service-handle.ts), and a malformed descriptor or SID is refused before anything is set.
 * https://learn.microsoft.com/windows/win32/secauthz/security-descriptor-string-format
 * https://learn.microsoft.com/windows/win32/services/service-security-and-access-rights
 * @module
 */
import { CONTROL_RIGHTS, SERVICE_ALL_ACCESS, ServiceRight, type ServiceRightName } from './service-rights.ts';

/**
 * The DACL Windows gives a service that CreateServiceW makes (`sc sdshow` of a new service): SYSTEM
 * queries and controls, Administrators have all rights, interactive and service logons query.
 * Used as the base where an SCM reports no security of its own (Wine).
 */
export const DEFAULT_SERVICE_DACL =
  'D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)';

/** The SDDL letters of the rights a service's ACE can hold, in the order Windows writes them (by bit). */
const RIGHT_LETTERS: readonly [string, number][] = [
  ['CC', 0x1],
  ['DC', 0x2],
  ['LC', 0x4],
  ['SW', 0x8],
  ['RP', 0x10],
  ['WP', 0x20],
  ['DT', 0x40],
  ['LO', 0x80],
  ['CR', 0x100],
  ['SD', 0x1_0000],
  ['RC', 0x2_0000],
  ['WD', 0x4_0000],
  ['WO', 0x8_0000],
];

/** Generic rights as a service maps them (GENERIC_READ…, per "Service Security and Access Rights"). */
const GENERIC_RIGHTS: Record<string, number> = {
  GA: SERVICE_ALL_ACCESS,
  GR:
    ServiceRight.READ_CONTROL |
    ServiceRight.QUERY_CONFIG |
    ServiceRight.QUERY_STATUS |
    ServiceRight.INTERROGATE |
    ServiceRight.ENUMERATE_DEPENDENTS,
  GW: ServiceRight.READ_CONTROL | ServiceRight.CHANGE_CONFIG,
  GX: ServiceRight.READ_CONTROL | ServiceRight.START | ServiceRight.STOP | ServiceRight.PAUSE_CONTINUE | ServiceRight.USER_DEFINED_CONTROL,
};

/** The well-known SIDs SDDL writes as two letters, those that name the same SID on every machine. */
const SID_ALIASES: Record<string, string> = {
  AN: 'S-1-5-7',
  AU: 'S-1-5-11',
  BA: 'S-1-5-32-544',
  BG: 'S-1-5-32-546',
  BO: 'S-1-5-32-551',
  BU: 'S-1-5-32-545',
  CG: 'S-1-3-1',
  CO: 'S-1-3-0',
  IU: 'S-1-5-4',
  LS: 'S-1-5-19',
  NO: 'S-1-5-32-556',
  NS: 'S-1-5-20',
  NU: 'S-1-5-2',
  PU: 'S-1-5-32-547',
  RD: 'S-1-5-32-555',
  SO: 'S-1-5-32-549',
  SU: 'S-1-5-6',
  SY: 'S-1-5-18',
  WD: 'S-1-1-0',
};

const MAX_DWORD = 0xffff_ffff;

/** True for a SID string such as S-1-5-32-545: revision 1, an authority, 1 to 15 sub-authorities, each a 32-bit number. */
export function isSidString(text: string): boolean {
  const match = /^S-1-(\d{1,15}|0x[0-9a-f]{12})((?:-\d{1,10}){1,15})$/i.exec(text);
  if (!match) return false;
  if (Number(match[1]) > 2 ** 48 - 1) return false;
  return match[2]!
    .slice(1)
    .split('-')
    .every((part) => Number(part) <= MAX_DWORD);
}

/** A SID as one comparable form: upper-case SID string; two-letter aliases replaced by their SID. */
export function canonicalSid(text: string): string {
  const upper = text.toUpperCase();
  return SID_ALIASES[upper] ?? upper;
}

/** The rights of an ACE's rights field (letters or a hex/decimal number) as a mask; a service's generic rights are mapped. */
export function parseRights(text: string): number {
  if (/^0x[0-9a-f]{1,8}$/i.test(text) || /^\d{1,10}$/.test(text)) {
    const value = Number(text);
    if (value > MAX_DWORD) throw new SyntaxError(`the rights '${text}' do not fit in 32 bits`);
    return value;
  }
  if (text.length % 2 !== 0)
    throw new SyntaxError(`'${text}' is not a rights string (two-letter codes such as RPWP, or a number such as 0x30)`);
  let mask = 0;
  for (let i = 0; i < text.length; i += 2) {
    const code = text.slice(i, i + 2).toUpperCase();
    const right = GENERIC_RIGHTS[code] ?? RIGHT_LETTERS.find(([letters]) => letters === code)?.[1];
    if (right === undefined) throw new SyntaxError(`'${code}' in '${text}' is not a right a service has`);
    mask |= right;
  }
  return mask >>> 0;
}

/** A rights mask as SDDL letters (by bit, as Windows writes them), or hex when it has bits no letter names. */
export function formatRights(mask: number): string {
  const named = RIGHT_LETTERS.reduce((bits, [, bit]) => bits | bit, 0);
  if (mask & ~named || mask === 0) return `0x${(mask >>> 0).toString(16)}`;
  return RIGHT_LETTERS.filter(([, bit]) => mask & bit)
    .map(([letters]) => letters)
    .join('');
}

/** One ACE: its fields as SDDL writes them, and the whole text as it came. */
export interface Ace {
  type: string;
  flags: string;
  rights: string;
  sid: string;
  text: string;
}

/** An ACL: its flags (P, AI, AR, NO_ACCESS_CONTROL…) and ACEs. */
export interface Acl {
  flags: string;
  aces: Ace[];
}

/** The parts of a security descriptor string; absent parts are undefined. */
export interface ParsedSddl {
  owner?: string;
  group?: string;
  dacl?: Acl;
  sacl?: Acl;
}

/** Splits `text` on `separator` where it is outside parentheses. */
function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseSid(text: string, where: string): string {
  if (!isSidString(text) && !/^[A-Z]{2}$/.test(text))
    throw new SyntaxError(`${where}: '${text}' is not a SID (S-1-…) or a two-letter SID alias`);
  return text;
}

function parseAce(text: string): Ace {
  const fields = splitOutside(text.slice(1, -1), ';');
  if (fields.length < 6)
    throw new SyntaxError(`the ACE ${text} has ${fields.length} fields, not 6 (type;flags;rights;object;inherited object;SID)`);
  const [type = '', flags = '', rights = '', , , sid = ''] = fields;
  if (!/^[A-Z]{1,2}$/.test(type)) throw new SyntaxError(`the ACE ${text} has no type such as A (allow) or D (deny)`);
  if (!/^([A-Z]{2})*$/.test(flags)) throw new SyntaxError(`the ACE ${text} has malformed flags '${flags}'`);
  parseRights(rights);
  return { type, flags, rights, sid: parseSid(sid, `the ACE ${text}`), text };
}

function parseAcl(text: string, tag: string): Acl {
  const first = text.indexOf('(');
  const flags = first < 0 ? text : text.slice(0, first);
  if (!/^(P|AI|AR|NO_ACCESS_CONTROL)*$/.test(flags)) throw new SyntaxError(`${tag} has malformed flags '${flags}'`);
  const aces: Ace[] = [];
  let depth = 0;
  let start = -1;
  for (let i = first < 0 ? text.length : first; i < text.length; i++) {
    const char = text[i];
    if (char === '(') {
      if (depth === 0) start = i;
      depth++;
    } else if (char === ')') {
      depth--;
      if (depth < 0) throw new SyntaxError(`${tag} has a ')' with no '('`);
      if (depth === 0) aces.push(parseAce(text.slice(start, i + 1)));
    } else if (depth === 0) {
      throw new SyntaxError(`${tag} has '${text.slice(i)}' outside any ACE`);
    }
  }
  if (depth !== 0) throw new SyntaxError(`${tag} has a '(' with no ')'`);
  return { flags, aces };
}

/** Parses an SDDL string (O:, G:, D:, S: in any order, each at most once); a SyntaxError says what is wrong. */
export function parseSddl(sddl: string): ParsedSddl {
  const text = sddl.trim();
  if (text === '') throw new SyntaxError('the security descriptor is empty');
  const starts: { tag: string; at: number }[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && 'OGDS'.includes(char) && text[i + 1] === ':') starts.push({ tag: char, at: i });
  }
  if (starts[0]?.at !== 0) throw new SyntaxError(`'${text.slice(0, 20)}' does not start with O:, G:, D: or S:`);
  const parsed: ParsedSddl = {};
  starts.forEach(({ tag, at }, index) => {
    const value = text.slice(at + 2, starts[index + 1]?.at ?? text.length);
    const seen = { O: parsed.owner, G: parsed.group, D: parsed.dacl, S: parsed.sacl }[tag];
    if (seen !== undefined) throw new SyntaxError(`${tag}: appears twice`);
    if (tag === 'O') parsed.owner = parseSid(value, 'O:');
    else if (tag === 'G') parsed.group = parseSid(value, 'G:');
    else if (tag === 'D') parsed.dacl = parseAcl(value, 'the DACL (D:)');
    else parsed.sacl = parseAcl(value, 'the SACL (S:)');
  });
  return parsed;
}

function formatAcl(acl: Acl): string {
  return acl.flags + acl.aces.map((ace) => ace.text).join('');
}

/** The SDDL string of parsed parts, in Windows's order (O:, G:, D:, S:). */
export function formatSddl(parsed: ParsedSddl): string {
  return [
    parsed.owner === undefined ? '' : `O:${parsed.owner}`,
    parsed.group === undefined ? '' : `G:${parsed.group}`,
    parsed.dacl === undefined ? '' : `D:${formatAcl(parsed.dacl)}`,
    parsed.sacl === undefined ? '' : `S:${formatAcl(parsed.sacl)}`,
  ].join('');
}

/** The ACE that allows `sid` the rights of `mask`. */
export function allowAce(sid: string, mask: number): string {
  return `(A;;${formatRights(mask)};;;${sid})`;
}

/**
 * The DACL of `sddl` with `sid` allowed the rights of `mask`, as SDDL (the other parts unchanged).
 * Nothing is added when an explicit allow ACE already grants `sid` all of them; otherwise the new
 * ACE goes after the explicit ACEs and before inherited ones (canonical order). A DACL that allows
 * everyone everything (NO_ACCESS_CONTROL) is left as it is.
 */
export function grantRights(sddl: string, sid: string, mask: number): string {
  const parsed = parseSddl(sddl);
  if (!parsed.dacl) throw new SyntaxError('the security descriptor has no DACL (D:) to add to');
  const dacl = parsed.dacl;
  if (dacl.flags.includes('NO_ACCESS_CONTROL')) return formatSddl(parsed);
  const target = canonicalSid(parseSid(sid, 'the SID to allow'));
  const granted = dacl.aces
    .filter((ace) => ace.type === 'A' && !ace.flags.includes('ID') && !ace.flags.includes('IO') && canonicalSid(ace.sid) === target)
    .reduce((bits, ace) => bits | parseRights(ace.rights), 0);
  if ((granted & mask) === mask) return formatSddl(parsed);
  const inheritedAt = dacl.aces.findIndex((ace) => ace.flags.includes('ID'));
  const at = inheritedAt < 0 ? dacl.aces.length : inheritedAt;
  const ace = parseAce(allowAce(sid, mask));
  return formatSddl({ ...parsed, dacl: { flags: dacl.flags, aces: [...dacl.aces.slice(0, at), ace, ...dacl.aces.slice(at)] } });
}

/** True when an SCM reported a service's security without an owner: it keeps none (Wine's stub answers `D:`). */
export function reportsNoSecurity(sddl: string): boolean {
  return parseSddl(sddl).owner === undefined;
}

/**
 * The DACL (as `D:…`) that adds control of a service for each of `sids` to what an SCM reported
 * (`current`); where it reported no owner (Wine keeps no service security), to the DACL Windows
 * gives a new service.
 */
export function controlDacl(current: string, sids: readonly string[]): string {
  const base = reportsNoSecurity(current) ? DEFAULT_SERVICE_DACL : current;
  const granted = sids.reduce((sddl, sid) => grantRights(sddl, sid, CONTROL_RIGHTS), base);
  return formatSddl({ dacl: parseSddl(granted).dacl });
}

const ACE_TYPES: Record<string, string> = { A: 'allow', D: 'deny', AU: 'audit', AL: 'alarm', OA: 'allow (object)', OD: 'deny (object)' };

/** An ACE of a service's DACL as a person reads it. */
export interface DescribedAce {
  /** 'allow', 'deny', 'audit'… or the SDDL type. */
  type: string;
  /** The SID (aliases such as BA written out as S-1-5-32-544). */
  sid: string;
  /** The SDDL alias of the SID, when it has one (BA, SY, BU…). */
  alias?: string;
  /** The service rights it grants or denies, by name (generic rights mapped). */
  rights: ServiceRightName[];
  /** 'inherited', 'inherit-only'… when its flags say so. */
  flags: string;
}

/** The ACEs of an SDDL string's DACL, with their rights by name; [] when it has none. */
export function describeDacl(sddl: string): DescribedAce[] {
  return (parseSddl(sddl).dacl?.aces ?? []).map((ace) => {
    const mask = parseRights(ace.rights);
    const upper = ace.sid.toUpperCase();
    return {
      type: ACE_TYPES[ace.type] ?? ace.type,
      sid: canonicalSid(ace.sid),
      alias: SID_ALIASES[upper] ? upper : undefined,
      rights: (Object.keys(ServiceRight) as ServiceRightName[]).filter((right) => mask & ServiceRight[right]),
      flags: ace.flags,
    };
  });
}

/**
 * Whether a descriptor's DACL still lets Administrators change it (WRITE_DAC through an explicit or
 * inherited allow ACE that applies to the object, with no deny ACE before it taking it away).
 * True when it has no DACL part (the DACL is not being set) or a NO_ACCESS_CONTROL one.
 */
export function administratorsKeepControl(sddl: string): boolean {
  const dacl = parseSddl(sddl).dacl;
  if (!dacl || dacl.flags.includes('NO_ACCESS_CONTROL')) return true;
  const administrators = canonicalSid('BA');
  for (const ace of dacl.aces) {
    if (ace.flags.includes('IO') || canonicalSid(ace.sid) !== administrators) continue;
    const writesDac = (parseRights(ace.rights) & ServiceRight.WRITE_DAC) !== 0;
    if (ace.type === 'D' && writesDac) return false;
    if (ace.type === 'A' && writesDac) return true;
  }
  return false;
}
