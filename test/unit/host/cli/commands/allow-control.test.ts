import { describe, expect, it } from 'vitest';
import { resolveSids } from '../../../../../installer/accounts.ts';
import { allowControlOption } from '../../../../../host/cli/commands/service-options.ts';
import { UsageError } from '../../../../../host/cli/usage-error.ts';
import { WindowsError } from '../../../../../runtime/win32/windows-error.ts';

/** A LookupAccountNameW stand-in: two known names, 1332 for the rest. */
function lookup(name: string): string {
  const known: Record<string, string> = { operators: 'S-1-5-21-1-2-3-1010', 'builtin\\users': 'S-1-5-32-545' };
  const sid = known[name.toLowerCase()];
  if (!sid) throw new WindowsError('LookupAccountNameW', 1332, 'No mapping between account names and security IDs was done.');
  return sid;
}

describe('--allow-control on the command line', () => {
  it('keeps names and well-formed SIDs, trimmed', () => {
    expect(allowControlOption([' Operators ', 'S-1-5-32-545', 'DOMAIN\\Ops'])).toEqual(['Operators', 'S-1-5-32-545', 'DOMAIN\\Ops']);
    expect(allowControlOption(undefined)).toBeUndefined();
  });

  it('refuses an empty value and a malformed SID as usage errors', () => {
    expect(() => allowControlOption([''])).toThrow(UsageError);
    expect(() => allowControlOption(['S-1-5-32-'])).toThrow(/not a well-formed SID/);
    expect(() => allowControlOption(['S-1-5-32-99999999999'])).toThrow(UsageError);
  });
});

describe('resolving --allow-control to SIDs', () => {
  it('looks names up and keeps SIDs, upper-cased', () => {
    expect(resolveSids(['Operators', 's-1-5-32-545', 'BUILTIN\\Users'], lookup)).toEqual([
      'S-1-5-21-1-2-3-1010',
      'S-1-5-32-545',
      'S-1-5-32-545',
    ]);
  });

  it('names an unknown account, and a malformed SID, before anything changes', () => {
    expect(() => resolveSids(['Operators', 'NoSuchGroup'], lookup)).toThrow(/there is no account or group named 'NoSuchGroup'/);
    expect(() => resolveSids(['S-1-5-x'], lookup)).toThrow(/'S-1-5-x' is not a well-formed SID/);
    expect(() => resolveSids(['  '], lookup)).toThrow(/not an empty value/);
  });

  it('lets other lookup failures through as they are', () => {
    const denied = () => {
      throw new WindowsError('LookupAccountNameW', 5, 'Access is denied.');
    };
    expect(() => resolveSids(['Operators'], denied)).toThrow(/Access is denied/);
  });
});
