import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SERVICE_DACL,
  canonicalSid,
  controlDacl,
  describeDacl,
  formatRights,
  grantRights,
  isSidString,
  parseRights,
  parseSddl,
  reportsNoSecurity,
  administratorsKeepControl,
} from '../../../../runtime/control/service-sddl.ts';
import { accessMask, CONTROL_RIGHTS, scmAccessMask, ServiceRight } from '../../../../runtime/control/service-rights.ts';

/** What `sc sdshow` prints for a service Windows has just created, with its owner and group. */
const WINDOWS_DEFAULT = `O:SYG:SY${DEFAULT_SERVICE_DACL}`;

describe('service rights in SDDL', () => {
  it('names the control rights as Windows writes them, by bit', () => {
    expect(formatRights(CONTROL_RIGHTS)).toBe('LCRPWPDTLORC');
    expect(parseRights('LCRPWPDTLORC')).toBe(CONTROL_RIGHTS);
    expect(CONTROL_RIGHTS & ServiceRight.CHANGE_CONFIG).toBe(0);
    expect(CONTROL_RIGHTS & ServiceRight.DELETE).toBe(0);
    expect(CONTROL_RIGHTS & ServiceRight.WRITE_DAC).toBe(0);
  });

  it('reads hex and the generic rights as a service maps them', () => {
    expect(parseRights('0x30')).toBe(ServiceRight.START | ServiceRight.STOP);
    expect(parseRights('GA')).toBe(0xf01ff);
    expect(parseRights('GX') & ServiceRight.START).toBeTruthy();
    expect(parseRights('GR') & ServiceRight.START).toBe(0);
    expect(formatRights(0x1000_0000)).toBe('0x10000000');
  });

  it('refuses what is not a right', () => {
    expect(() => parseRights('RPX')).toThrow(SyntaxError);
    expect(() => parseRights('ZZ')).toThrow(/'ZZ' in 'ZZ' is not a right/);
    expect(() => parseRights('0x1FFFFFFFF')).toThrow(SyntaxError);
  });
});

describe('access by right name', () => {
  it('makes the masks OpenServiceW and OpenSCManagerW take', () => {
    expect(accessMask(['START', 'STOP', 'QUERY_STATUS'])).toBe(0x34);
    expect(accessMask(['READ_CONTROL', 'WRITE_DAC'])).toBe(0x6_0000);
    expect(accessMask('all')).toBe(0xf01ff);
    expect(scmAccessMask(['CONNECT', 'CREATE_SERVICE'])).toBe(0x3);
    expect(scmAccessMask(0x5)).toBe(0x5);
  });

  it('refuses a name that is not a right', () => {
    expect(() => accessMask(['START', 'LAUNCH' as never])).toThrow(/'LAUNCH' is not a service right: use QUERY_CONFIG, CHANGE_CONFIG/);
    expect(() => scmAccessMask(['LOCK' as never])).toThrow(/'LOCK' is not an SCM right/);
  });
});

describe('SID strings', () => {
  it('accepts well-formed SIDs', () => {
    for (const sid of [
      'S-1-5-32-545',
      'S-1-1-0',
      'S-1-5-21-1004336348-1177238915-682003330-512',
      'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
    ]) {
      expect(isSidString(sid), sid).toBe(true);
    }
  });

  it('refuses malformed ones', () => {
    for (const sid of [
      'S-1',
      'S-1-5',
      'S-2-5-32',
      'S-1-5-32-4294967296',
      'S-1-5--32',
      'S-1-5-32-545-',
      'S-1-x-1',
      `S-1-5${'-1'.repeat(16)}`,
      'S-1-5-32-545 ',
      '',
    ]) {
      expect(isSidString(sid), sid).toBe(false);
    }
  });

  it('compares aliases and SIDs as one', () => {
    expect(canonicalSid('bu')).toBe('S-1-5-32-545');
    expect(canonicalSid('s-1-5-32-545')).toBe('S-1-5-32-545');
  });
});

describe('parsing SDDL', () => {
  it('splits owner, group and the ACEs of the DACL', () => {
    const parsed = parseSddl(WINDOWS_DEFAULT);
    expect(parsed.owner).toBe('SY');
    expect(parsed.group).toBe('SY');
    expect(parsed.dacl?.aces.map((ace) => ace.sid)).toEqual(['SY', 'BA', 'IU', 'SU']);
    expect(parsed.sacl).toBeUndefined();
  });

  it('keeps a SACL, DACL flags and conditional ACEs with parentheses inside', () => {
    const parsed = parseSddl('D:PAI(A;;GA;;;BA)(XA;;RP;;;WD;(Member_of {SID(BA)}))S:(AU;FA;GA;;;WD)');
    expect(parsed.dacl?.flags).toBe('PAI');
    expect(parsed.dacl?.aces).toHaveLength(2);
    expect(parsed.sacl?.aces[0]?.type).toBe('AU');
  });

  it('refuses malformed descriptors with a reason', () => {
    expect(() => parseSddl('')).toThrow(/empty/);
    expect(() => parseSddl('X:(A;;GA;;;BA)')).toThrow(/does not start with O:, G:, D: or S:/);
    expect(() => parseSddl('D:(A;;GA;;;BA')).toThrow(/'\(' with no '\)'/);
    expect(() => parseSddl('D:(A;;GA;;BA)')).toThrow(/5 fields, not 6/);
    expect(() => parseSddl('D:(A;;GA;;;nobody)')).toThrow(/not a SID/);
    expect(() => parseSddl('D:(A;;GA;;;BA)junk')).toThrow(/outside any ACE/);
    expect(() => parseSddl('D:(A;;GA;;;BA)D:(A;;GA;;;SY)')).toThrow(/D: appears twice/);
    expect(() => parseSddl('O:nobodyD:')).toThrow(/O:/);
  });

  it('tells an SCM that keeps no security (Wine answers "D:")', () => {
    expect(reportsNoSecurity('D:')).toBe(true);
    expect(reportsNoSecurity(WINDOWS_DEFAULT)).toBe(false);
  });
});

describe('granting control of a service', () => {
  it('adds one allow ACE with the control rights after the explicit ACEs', () => {
    const sddl = grantRights(WINDOWS_DEFAULT, 'S-1-5-21-1-2-3-1001', CONTROL_RIGHTS);
    expect(sddl).toBe(`O:SYG:SY${DEFAULT_SERVICE_DACL}(A;;LCRPWPDTLORC;;;S-1-5-21-1-2-3-1001)`);
  });

  it('puts it before inherited ACEs, keeping canonical order', () => {
    const sddl = grantRights('D:(D;;WP;;;WD)(A;;GA;;;BA)(A;ID;LC;;;AU)', 'BU', CONTROL_RIGHTS);
    expect(sddl).toBe('D:(D;;WP;;;WD)(A;;GA;;;BA)(A;;LCRPWPDTLORC;;;BU)(A;ID;LC;;;AU)');
  });

  it('adds nothing when the SID (by alias or SID) already has those rights, so a second run changes nothing', () => {
    const once = grantRights(WINDOWS_DEFAULT, 'S-1-5-32-545', CONTROL_RIGHTS);
    expect(grantRights(once, 'S-1-5-32-545', CONTROL_RIGHTS)).toBe(once);
    expect(grantRights(once, 'BU', CONTROL_RIGHTS)).toBe(once);
    expect(grantRights('D:(A;;GA;;;S-1-5-32-545)', 'BU', CONTROL_RIGHTS)).toBe('D:(A;;GA;;;S-1-5-32-545)');
  });

  it('does not count a deny ACE, an inherited or inherit-only one as granting', () => {
    expect(grantRights('D:(D;;GA;;;BU)', 'BU', CONTROL_RIGHTS)).toBe('D:(D;;GA;;;BU)(A;;LCRPWPDTLORC;;;BU)');
    expect(grantRights('D:(A;ID;GA;;;BU)', 'BU', CONTROL_RIGHTS)).toBe('D:(A;;LCRPWPDTLORC;;;BU)(A;ID;GA;;;BU)');
  });

  it('leaves a DACL that allows everyone everything, and refuses a descriptor without DACL or a bad SID', () => {
    expect(grantRights('D:NO_ACCESS_CONTROL', 'BU', CONTROL_RIGHTS)).toBe('D:NO_ACCESS_CONTROL');
    expect(() => grantRights('O:SY', 'BU', CONTROL_RIGHTS)).toThrow(/no DACL/);
    expect(() => grantRights(WINDOWS_DEFAULT, 'S-1-5-x', CONTROL_RIGHTS)).toThrow(/not a SID/);
  });

  it("composes on Windows's default DACL where the SCM reports none, never on an empty one", () => {
    const dacl = controlDacl('D:', ['S-1-5-32-545']);
    expect(dacl).toBe(`${DEFAULT_SERVICE_DACL}(A;;LCRPWPDTLORC;;;S-1-5-32-545)`);
    // Administrators keep all rights: an empty base would have locked them out on a real SCM.
    expect(describeDacl(dacl).find((ace) => ace.alias === 'BA')?.rights).toContain('CHANGE_CONFIG');
  });

  it('gives only the DACL to set, with every SID asked for', () => {
    const dacl = controlDacl(WINDOWS_DEFAULT, ['BU', 'S-1-5-21-9-9-9-1005']);
    expect(dacl.startsWith('D:')).toBe(true);
    expect(dacl).not.toMatch(/O:|G:/);
    expect(dacl.endsWith('(A;;LCRPWPDTLORC;;;BU)(A;;LCRPWPDTLORC;;;S-1-5-21-9-9-9-1005)')).toBe(true);
  });
});

describe('describing a DACL', () => {
  it('names each ACE, its SID and its rights', () => {
    const aces = describeDacl(`${DEFAULT_SERVICE_DACL}(A;;LCRPWPDTLORC;;;S-1-5-21-1-2-3-1001)`);
    expect(aces[0]).toEqual({
      type: 'allow',
      sid: 'S-1-5-18',
      alias: 'SY',
      flags: '',
      rights: expect.arrayContaining(['START', 'STOP', 'QUERY_CONFIG']),
    });
    expect(aces.at(-1)).toEqual({
      type: 'allow',
      sid: 'S-1-5-21-1-2-3-1001',
      alias: undefined,
      flags: '',
      rights: ['QUERY_STATUS', 'START', 'STOP', 'PAUSE_CONTINUE', 'INTERROGATE', 'READ_CONTROL'],
    });
  });
});

describe('a DACL an administrator can still change', () => {
  it('needs WRITE_DAC for Administrators, not taken away by a deny before it', () => {
    expect(administratorsKeepControl(DEFAULT_SERVICE_DACL)).toBe(true);
    expect(administratorsKeepControl('D:(A;;GA;;;S-1-5-32-544)')).toBe(true);
    expect(administratorsKeepControl('D:(A;;RPWPLC;;;BA)(A;;GA;;;SY)')).toBe(false);
    expect(administratorsKeepControl('D:(A;;LCRPWPDTLORC;;;BU)')).toBe(false);
    expect(administratorsKeepControl('D:(D;;WD;;;BA)(A;;GA;;;BA)')).toBe(false);
    expect(administratorsKeepControl('D:(A;IO;GA;;;BA)')).toBe(false);
    expect(administratorsKeepControl('D:')).toBe(false);
  });

  it('has nothing to say when the DACL is not set, or allows everything', () => {
    expect(administratorsKeepControl('O:BA')).toBe(true);
    expect(administratorsKeepControl('D:NO_ACCESS_CONTROL')).toBe(true);
  });
});
