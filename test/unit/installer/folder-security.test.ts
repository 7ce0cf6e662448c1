import { describe, expect, it } from 'vitest';
import { rightsOf, untrustedWriters } from '../../../installer/folder-security.ts';

// C:\Program Files on Windows 10/11, as `(Get-Acl).Sddl` prints it.
const PROGRAM_FILES =
  'O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464G:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464' +
  'D:PAI(A;;FA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)(A;CIIO;GA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)' +
  '(A;;0x1301bf;;;SY)(A;OICIIO;GA;;;SY)(A;;0x1301bf;;;BA)(A;OICIIO;GA;;;BA)(A;;0x1200a9;;;BU)(A;OICIIO;GXGR;;;BU)(A;OICIIO;GA;;;CO)' +
  '(A;;0x1200a9;;;AC)(A;OICIIO;GXGR;;;AC)(A;;0x1200a9;;;S-1-15-2-2)(A;OICIIO;GXGR;;;S-1-15-2-2)';
// A folder an elevated installer made under it: owner Administrators, inherited ACEs.
const INSTALLED =
  'O:BAG:DUD:AI(A;ID;FA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)(A;ID;0x1301bf;;;SY)(A;ID;0x1301bf;;;BA)(A;ID;0x1200a9;;;BU)(A;OICIIOID;GA;;;CO)';
// C:\Users\Public: Everyone and interactive users may write.
const USERS_PUBLIC =
  'O:SYG:SYD:PAI(A;OICIIO;FA;;;SY)(A;;FA;;;SY)(A;OICIIO;FA;;;BA)(A;;FA;;;BA)(A;;0x1301bf;;;IU)(A;OICIIO;SDGXGWGR;;;IU)(A;;0x1301bf;;;SU)(A;;0x1200a9;;;WD)';
// A folder in an administrator's profile: the account itself (writable outside elevation too).
const PROFILE = 'O:S-1-5-21-1-2-3-1001G:S-1-5-21-1-2-3-513D:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;FA;;;S-1-5-21-1-2-3-1001)';
// What Wine 8 reports for any folder of mode 0755 (owner: the Unix user).
const WINE = 'O:S-1-5-21-0-0-0-1000D:(A;OICI;FA;;;SY)(A;OICI;FA;;;S-1-5-21-0-0-0-1000)(A;OICI;0x1200a9;;;WD)';

describe('untrustedWriters', () => {
  it('finds nobody in Program Files or a folder an elevated installer made there', () => {
    expect(untrustedWriters(PROGRAM_FILES)).toEqual([]);
    expect(untrustedWriters(INSTALLED)).toEqual([]);
  });

  it('finds interactive users in C:\\Users\\Public, and the owner of a profile folder', () => {
    expect(untrustedWriters(USERS_PUBLIC)).toEqual([
      { sid: 'S-1-5-4', why: 'ace' },
      { sid: 'S-1-5-6', why: 'ace' },
    ]);
    expect(untrustedWriters(PROFILE)).toEqual([{ sid: 'S-1-5-21-1-2-3-1001', why: 'owner' }]);
  });

  it('refuses a NULL DACL, and counts write, delete and permission rights but not reading', () => {
    expect(untrustedWriters('O:BAD:NO_ACCESS_CONTROL')).toEqual([{ sid: 'S-1-1-0', why: 'no DACL' }]);
    for (const rights of ['FA', 'FW', 'GW', 'GA', 'WD', 'WO', 'SD', 'DC', 'LC', 'DT', '0x2', '0x100004']) {
      expect(untrustedWriters(`O:BAD:(A;;${rights};;;BU)`), rights).toEqual([{ sid: 'S-1-5-32-545', why: 'ace' }]);
    }
    for (const rights of ['FR', 'FX', 'GR', 'GRGX', '0x1200a9', 'RC'])
      expect(untrustedWriters(`O:BAD:(A;;${rights};;;BU)`), rights).toEqual([]);
    expect(untrustedWriters('O:BAD:(D;;FA;;;BU)(A;OICIIO;FA;;;BU)')).toEqual([]);
  });

  it('trusts the Unix user under Wine only when told to', () => {
    expect(untrustedWriters(WINE).map((writer) => writer.sid)).toEqual(['S-1-5-21-0-0-0-1000']);
    expect(untrustedWriters(WINE, ['S-1-5-21-0-0-0-1000'])).toEqual([]);
    expect(untrustedWriters(WINE.replace('0x1200a9;;;WD', '0x1201bf;;;WD'), ['S-1-5-21-0-0-0-1000'])).toEqual([
      { sid: 'S-1-1-0', why: 'ace' },
    ]);
  });

  it('reads rights as letters or hex', () => {
    expect(rightsOf('FA')).toBe(0x1f01ff);
    expect(rightsOf('GRGX')).toBe(0xa000_0000 | 0);
    expect(rightsOf('0x1200a9')).toBe(0x1200a9);
  });
});
