import { describe, expect, it } from 'vitest';
import { serviceSid } from '../../../../host/layout/service-sid.ts';
import { secretsKeySddl } from '../../../../host/layout/secret-store.ts';

describe('serviceSid (NT SERVICE\\<name>)', () => {
  it("computes Windows' own service SIDs, whatever the case of the name", () => {
    // What `sc showsid TrustedInstaller` prints on every Windows.
    expect(serviceSid('TrustedInstaller')).toBe('S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464');
    expect(serviceSid('trustedinstaller')).toBe(serviceSid('TRUSTEDINSTALLER'));
    expect(serviceSid('PipeService')).toMatch(/^S-1-5-80(-\d+){5}$/);
    expect(serviceSid('Straße')).not.toBe(serviceSid('STRASSE'));
  });
});

describe('the Secrets key (issue 15, item 5)', () => {
  it('is readable by SYSTEM, Administrators and the service only, and inherits nothing', () => {
    expect(secretsKeySddl('TrustedInstaller')).toBe(
      'D:P(A;OICI;KA;;;SY)(A;OICI;KA;;;BA)(A;OICI;KR;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)',
    );
  });
});
