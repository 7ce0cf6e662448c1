import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installFailureOptions } from '../../../../../installer/failure-defaults.ts';
import { parseFailureActions, toServiceOptions } from '../../../../../host/cli/commands/service-options.ts';
import { lookupName, parseAccount } from '../../../../../installer/accounts.ts';
import { readPassword, readSecretVariable } from '../../../../../host/cli/secrets.ts';
import { parseModuleSpec } from '../../../../../runtime/loader/service-module.ts';
import { UsageError } from '../../../../../host/cli/usage-error.ts';
import { requireAdministrator } from '../../../../../installer/admin.ts';
import { serviceNameProblem } from '../../../../../installer/service-name.ts';

describe('toServiceOptions', () => {
  it('maps the command-line options', () => {
    const options = toServiceOptions({
      name: 'S',
      startup: 'delayed',
      depends: 'A, B,,+Net',
      group: 'G',
      username: 'LocalService',
      'error-control': 'severe',
      'failure-actions': 'restart/5000,run,reboot/60000',
      'failure-reset': '86400',
      'failure-command': 'notify.cmd',
      'failure-non-crash': true,
      'preshutdown-timeout': '60000',
      privileges: 'SeChangeNotifyPrivilege, SeImpersonatePrivilege',
      'sid-type': 'restricted',
      env: ['A=1', 'B=x=y', 'C='],
      arg: ['--port', '8080'],
    });
    expect(options).toMatchObject({
      name: 'S',
      startup: 'delayed',
      dependencies: ['A', 'B', '+Net'],
      loadOrderGroup: 'G',
      account: { kind: 'LocalService', name: 'NT AUTHORITY\\LocalService' },
      errorControl: 'severe',
      failure: {
        actions: [
          { type: 'restart', delay: 5000 },
          { type: 'run', delay: 0 },
          { type: 'reboot', delay: 60000 },
        ],
        resetPeriod: 86400,
        command: 'notify.cmd',
        onNonCrashFailures: true,
      },
      preshutdownTimeout: 60000,
      requiredPrivileges: ['SeChangeNotifyPrivilege', 'SeImpersonatePrivilege'],
      sidType: 'restricted',
      environment: { A: '1', B: 'x=y', C: undefined },
      arguments: ['--port', '8080'],
    });
  });

  it('leaves out what is not given, so update changes nothing else', () => {
    const options = toServiceOptions({ description: 'd' });
    expect(Object.entries(options).filter(([, value]) => value !== undefined)).toEqual([['description', 'd']]);
    expect(toServiceOptions({ 'clear-args': true }).arguments).toEqual([]);
  });

  it('refuses bad values and combinations with a usage error that says what is accepted', () => {
    const refuses = (values: Parameters<typeof toServiceOptions>[0], message: RegExp) => {
      expect(() => toServiceOptions(values)).toThrow(UsageError);
      expect(() => toServiceOptions(values)).toThrow(message);
    };
    refuses({ startup: 'sometimes' }, /^--startup must be one of manual, auto, delayed, disabled \(not 'sometimes'\)$/);
    refuses({ password: 'x' }, /--password needs --username/);
    refuses({ username: 'LocalService', password: 'x' }, /NT AUTHORITY\\LocalService has no password/);
    refuses({ username: 'bob' }, /--username: 'bob' is not an account form NodeService knows: use one of LocalSystem, LocalService/);
    refuses({ username: 'NT AUTHORITY\\Bogus' }, /'NT AUTHORITY\\Bogus' is not a built-in account/);
    refuses({ 'error-control': 'loud' }, /--error-control must be one of ignore, normal, severe, critical/);
    refuses({ 'sid-type': 'x' }, /--sid-type must be one of none, unrestricted, restricted/);
    refuses({ 'failure-actions': 'restart/5s' }, /ACTION\[\/DELAY_MS\]/);
    refuses({ 'failure-actions': 'explode' }, /ACTION one of none, restart, reboot, run \(not 'explode'\)/);
    refuses({ 'failure-actions': 'run/1000' }, /'run' failure action needs --failure-command/);
    refuses({ 'failure-reset': '-1' }, /--failure-reset must be a whole number/);
    refuses({ 'preshutdown-timeout': '1.5' }, /--preshutdown-timeout must be a whole number/);
    refuses({ privileges: 'SeDebug' }, /--privileges takes privilege names/);
    refuses({ env: ['NOVALUE'] }, /--env takes NAME=VALUE \(not 'NOVALUE'\)/);
    refuses({ env: ['=x'] }, /--env takes NAME=VALUE/);
    refuses({ arg: ['a'], 'clear-args': true }, /contradict/);
    refuses({ 'secret-env': ['A=b'] }, /--secret-env takes a variable name/);
  });

  it('parses failure actions alone', () => {
    expect(parseFailureActions('none,restart/1')).toEqual([
      { type: 'none', delay: 0 },
      { type: 'restart', delay: 1 },
    ]);
    expect(parseFailureActions('none')).toEqual([]);
    expect(parseFailureActions(' none ')).toEqual([]);
    expect(parseFailureActions('restart/4294967295')).toEqual([{ type: 'restart', delay: 4294967295 }]);
    expect(() => parseFailureActions('restart/4294967296')).toThrow(/more than the SCM's 4294967295 ms/);
    expect(() => parseFailureActions('')).toThrow(/needs ACTION\[\/DELAY_MS\] items, or 'none'/);
    expect(() => parseFailureActions(',')).toThrow(UsageError);
  });

  it('refuses --failure-actions none with settings that need actions', () => {
    expect(() => toServiceOptions({ 'failure-actions': 'none', 'failure-reset': '60' })).toThrow(/--failure-actions none sets no actions/);
    expect(toServiceOptions({ 'failure-actions': 'none' }).failure).toEqual({ actions: [] });
  });

  it('checks --cwd and --dotenv before anything is written, and makes them absolute', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'options-'));
    fs.writeFileSync(path.join(dir, 'good.env'), 'A=1\n');
    fs.writeFileSync(path.join(dir, 'bad.env'), 'A=1\nB\n');
    const options = toServiceOptions({ cwd: dir, dotenv: path.join(dir, 'good.env') });
    expect(options).toMatchObject({ workingDirectory: dir, envFile: path.join(dir, 'good.env') });
    expect(toServiceOptions({ cwd: '', 'clear-dotenv': true })).toMatchObject({ workingDirectory: '', envFile: '' });
    const refuses = (values: Parameters<typeof toServiceOptions>[0], message: string | RegExp) => {
      expect(() => toServiceOptions(values)).toThrow(UsageError);
      expect(() => toServiceOptions(values)).toThrow(message);
    };
    refuses({ cwd: path.join(dir, 'nope') }, `--cwd ${path.join(dir, 'nope')} is not a folder: create it first`);
    refuses({ cwd: path.join(dir, 'good.env') }, /is not a folder/);
    refuses({ dotenv: path.join(dir, 'bad.env') }, `--dotenv ${path.join(dir, 'bad.env')}:2: expected NAME=VALUE`);
    refuses({ dotenv: path.join(dir, 'missing.env') }, `--dotenv ${path.join(dir, 'missing.env')}: no such file`);
    refuses({ dotenv: dir }, /is a folder, not a file/);
    refuses({ dotenv: '' }, /--dotenv needs a file: use --clear-dotenv to remove it/);
    refuses({ dotenv: path.join(dir, 'good.env'), 'clear-dotenv': true }, /contradict/);
    refuses(
      { 'env-file': path.join(dir, 'good.env') },
      "--env-file is Node's own option (Node reads that file before host.exe starts, and applies its NODE_OPTIONS): use --dotenv FILE",
    );
  });
});

describe('installFailureOptions', () => {
  const defaults = [
    { type: 'restart', delay: 1000 },
    { type: 'restart', delay: 5000 },
    { type: 'restart', delay: 30000 },
  ];

  it('restarts by default with growing delays, a daily reset and the non-crash flag', () => {
    expect(installFailureOptions(undefined)).toEqual({ actions: defaults, resetPeriod: 86400, onNonCrashFailures: true });
    expect(installFailureOptions({ resetPeriod: 600 })).toEqual({ actions: defaults, resetPeriod: 600, onNonCrashFailures: true });
    expect(installFailureOptions({ onNonCrashFailures: false })).toMatchObject({ actions: defaults, onNonCrashFailures: false });
  });

  it("takes the user's own actions as given, with a daily reset unless given", () => {
    const actions = [{ type: 'reboot', delay: 60000 }] as const;
    expect(installFailureOptions({ actions })).toEqual({ actions, resetPeriod: 86400 });
    expect(installFailureOptions({ actions, resetPeriod: 5, onNonCrashFailures: true })).toEqual({
      actions,
      resetPeriod: 5,
      onNonCrashFailures: true,
    });
  });

  it('sets nothing for --failure-actions none', () => {
    expect(installFailureOptions({ actions: [] })).toBeUndefined();
  });
});

describe('parseAccount', () => {
  it('knows the built-in, virtual and user forms', () => {
    expect(parseAccount('localsystem')).toEqual({ kind: 'LocalSystem', name: 'LocalSystem' });
    expect(parseAccount('NT AUTHORITY\\NetworkService')).toEqual({ kind: 'NetworkService', name: 'NT AUTHORITY\\NetworkService' });
    expect(parseAccount('nt service\\Pipe')).toEqual({ kind: 'virtual', name: 'NT SERVICE\\Pipe' });
    expect(parseAccount('.\\svc-user')).toEqual({ kind: 'user', name: '.\\svc-user' });
    expect(parseAccount('CORP\\svc')).toEqual({ kind: 'user', name: 'CORP\\svc' });
    expect(parseAccount('svc@corp.example')).toEqual({ kind: 'user', name: 'svc@corp.example' });
  });
});

describe('readPassword and readSecretVariable', () => {
  it('takes NODESERVICE_PASSWORD, and says how to give one when it cannot ask', async () => {
    await expect(readPassword('.\\bob', { env: { NODESERVICE_PASSWORD: 's3cret' }, interactive: false })).resolves.toBe('s3cret');
    await expect(readSecretVariable('DB_KEY', { env: { DB_KEY: 'k' }, interactive: false })).resolves.toBe('k');
    await expect(readSecretVariable('DB_KEY', { env: {}, interactive: false })).rejects.toThrow(
      /--secret-env DB_KEY takes its value from the variable DB_KEY of this console/,
    );
    await expect(readPassword('.\\bob', { env: {}, interactive: false })).rejects.toThrow(
      new UsageError('.\\bob needs a password: set NODESERVICE_PASSWORD, pass --password, or run from a console to be asked'),
    );
  });
});

/** This platform's absolute paths (C:\… on Windows), as parseModuleSpec resolves them. */
const drive = path.resolve('/');
const base = path.join(drive, 'base');

describe('parseModuleSpec', () => {
  it('splits the export name off and resolves the path', () => {
    expect(parseModuleSpec('svc/mod.js#Pipe', base)).toEqual({ modulePath: path.join(base, 'svc', 'mod.js'), exportName: 'Pipe' });
    const absolute = path.join(drive, 'abs', 'mod.js');
    expect(parseModuleSpec(absolute, base)).toEqual({ modulePath: absolute, exportName: undefined });
    expect(() => parseModuleSpec('mod.js#')).toThrow(/ends with '#'/);
  });
});

describe('requireAdministrator', () => {
  it('refuses a caller who is not an administrator, saying what to do', () => {
    expect(() => requireAdministrator('install', () => false)).toThrow(
      'install needs an administrator: run it from an elevated prompt ("Run as administrator")',
    );
    expect(() => requireAdministrator('install', () => true)).not.toThrow();
  });
});

describe('parseModuleSpec and a # in a path (issue 15, item 10)', () => {
  it('splits off an export only when an identifier follows the last #', () => {
    const apps = (...parts: string[]) => path.join(drive, 'apps', ...parts);
    expect(parseModuleSpec(apps('c#', 'svc.js'), base)).toEqual({ modulePath: apps('c#', 'svc.js'), exportName: undefined });
    expect(parseModuleSpec(`${apps('c#', 'svc.js')}#Pipe`, base)).toEqual({ modulePath: apps('c#', 'svc.js'), exportName: 'Pipe' });
    expect(parseModuleSpec(apps('#1 build', 'svc.js'), base)).toEqual({ modulePath: apps('#1 build', 'svc.js'), exportName: undefined });
    expect(parseModuleSpec(`${apps('svc.js')}#$Ünïcode_1`, base)).toEqual({ modulePath: apps('svc.js'), exportName: '$Ünïcode_1' });
    expect(parseModuleSpec(`${apps('svc.js')}#1st`, base)).toEqual({ modulePath: `${apps('svc.js')}#1st`, exportName: undefined });
  });
});

describe('serviceNameProblem (the SCM rules, issue 15, item 10)', () => {
  it('accepts ordinary and unicode names up to 256 characters', () => {
    for (const name of ['PipeService', 'my-service.2', 'Dienst ä ö', '服务', 'x'.repeat(256)])
      expect(serviceNameProblem(name)).toBeUndefined();
  });

  it('refuses empty, too long, spaced, slashed and control-character names with a sentence', () => {
    expect(serviceNameProblem('')).toBe('a service name cannot be empty');
    expect(serviceNameProblem('x'.repeat(300))).toBe('a service name has at most 256 characters (this one has 300)');
    expect(serviceNameProblem(' Spacey ')).toBe("' Spacey ' cannot be a service name: it starts or ends with a space");
    expect(serviceNameProblem('a/b')).toMatch(/slash or backslash/);
    expect(serviceNameProblem('a\\b')).toMatch(/slash or backslash/);
    expect(serviceNameProblem('a\nb')).toMatch(/control character/);
  });

  it('makes --name a usage error (exit code 2) before anything is written', () => {
    expect(() => toServiceOptions({ name: ' Spacey ' })).toThrow(
      new UsageError("--name: ' Spacey ' cannot be a service name: it starts or ends with a space"),
    );
    expect(() => toServiceOptions({ name: 'x'.repeat(300) })).toThrow(UsageError);
  });
});

describe('lookupName', () => {
  const computer = () => 'BUILD01';
  it('gives LookupAccountNameW this machine for .\\user, which the LSA does not know as "."', () => {
    expect(lookupName('.\\svc-user', computer)).toBe('BUILD01\\svc-user');
    expect(lookupName('.\\Jürgen Ü', computer)).toBe('BUILD01\\Jürgen Ü');
  });
  it('leaves every other form as it is, and asks the machine name only when needed', () => {
    const never = () => {
      throw new Error('asked for the computer name');
    };
    for (const name of ['CORP\\svc', 'svc@corp.example', 'NT SERVICE\\Pipe', '..\\x', 'x.\\y', 'svc'])
      expect(lookupName(name, never)).toBe(name);
  });
});
