import { describe, expect, it } from 'vitest';
import { sharedGroupOption } from '../../../../../host/cli/commands/install.ts';
import { UsageError } from '../../../../../host/cli/usage-error.ts';
import { hostBinaryPath } from '../../../../../host/layout/registry-layout.ts';

describe('shared groups', () => {
  it('--shared is the group "shared", --shared-group names another, neither is a process of its own', () => {
    expect(sharedGroupOption({ shared: true })).toBe('shared');
    expect(sharedGroupOption({ 'shared-group': 'web-1.x' })).toBe('web-1.x');
    expect(sharedGroupOption({ shared: true, 'shared-group': 'web' })).toBe('web');
    expect(sharedGroupOption({})).toBeUndefined();
    expect(sharedGroupOption({ 'own-process': true })).toBe(false);
    expect(() => sharedGroupOption({ 'own-process': true, shared: true })).toThrow(/--own-process and --shared\/--shared-group contradict/);
  });

  it('refuses a group name that would not survive the command line', () => {
    expect(() => sharedGroupOption({ 'shared-group': 'a b' })).toThrow(UsageError);
    expect(() => sharedGroupOption({ 'shared-group': 'x"&y' })).toThrow(/--shared-group takes letters, digits/);
  });

  it('gives a group its one binPath, and a service alone the quoted host', () => {
    expect(hostBinaryPath('C:\\Program Files\\NodeService\\host.exe')).toBe('"C:\\Program Files\\NodeService\\host.exe"');
    expect(hostBinaryPath('C:\\Program Files\\NodeService\\host.exe', 'web')).toBe(
      '"C:\\Program Files\\NodeService\\host.exe" --shared-group web',
    );
  });
});
