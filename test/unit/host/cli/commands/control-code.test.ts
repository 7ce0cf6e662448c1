import { describe, expect, it } from 'vitest';
import { controlCode } from '../../../../../host/cli/commands/control.ts';
import { UsageError } from '../../../../../host/cli/usage-error.ts';

describe('host.exe control <code>', () => {
  it('takes user-defined codes 128-255 and the named controls sc.exe knows, in any case', () => {
    expect(controlCode('128')).toBe(128);
    expect(controlCode('255')).toBe(255);
    expect(controlCode('paramchange')).toBe(6);
    expect(controlCode('NetBindAdd')).toBe(7);
    expect(controlCode('netbindremove')).toBe(8);
    expect(controlCode('netbindenable')).toBe(9);
    expect(controlCode('netbinddisable')).toBe(10);
  });

  it('refuses other codes and names as a usage error (stop has its own verb; the SCM refuses the rest)', () => {
    for (const bad of ['1', '6', '127', '256', '-1', '0x80', '1e2', '', 'stop', 'constructor', '__proto__', 'toString']) {
      expect(() => controlCode(bad)).toThrow(UsageError);
    }
    expect(() => controlCode('100')).toThrow(
      "<code> must be a user-defined control code from 128 to 255, or one of paramchange, netbindadd, netbindremove, netbindenable, netbinddisable; not '100'",
    );
  });
});
