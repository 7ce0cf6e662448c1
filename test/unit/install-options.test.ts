import { describe, expect, it } from 'vitest';
import { toServiceOptions } from '../../host/commands/install.ts';
import { parseModuleSpec } from '../../runtime/loader/service-module.ts';
import { UsageError } from '../../host/usage-error.ts';
import { requireAdministrator } from '../../installer/admin.ts';

describe('toServiceOptions', () => {
  it('maps the command-line options', () => {
    expect(toServiceOptions({ name: 'S', startup: 'delayed', depends: 'A, B,,', username: 'NT AUTHORITY\\LocalService' })).toEqual({
      name: 'S',
      displayName: undefined,
      description: undefined,
      startup: 'delayed',
      dependencies: ['A', 'B'],
      username: 'NT AUTHORITY\\LocalService',
      password: undefined,
      allowOutside: undefined,
    });
  });

  it('refuses an unknown startup and a password without a user', () => {
    expect(() => toServiceOptions({ startup: 'sometimes' })).toThrow(new UsageError("--startup must be one of manual, auto, delayed, disabled (not 'sometimes')"));
    expect(() => toServiceOptions({ password: 'x' })).toThrow(/--password needs --username/);
  });
});

describe('parseModuleSpec', () => {
  it('splits the export name off and resolves the path', () => {
    expect(parseModuleSpec('svc/mod.js#Pipe', '/base')).toEqual({ modulePath: '/base/svc/mod.js', exportName: 'Pipe' });
    expect(parseModuleSpec('/abs/mod.js', '/base')).toEqual({ modulePath: '/abs/mod.js', exportName: undefined });
    expect(() => parseModuleSpec('mod.js#')).toThrow(/ends with '#'/);
  });
});

describe('requireAdministrator', () => {
  it('refuses a caller who is not an administrator, saying what to do', () => {
    expect(() => requireAdministrator('install', () => false)).toThrow('install needs an administrator: run it from an elevated prompt ("Run as administrator")');
    expect(() => requireAdministrator('install', () => true)).not.toThrow();
  });
});
