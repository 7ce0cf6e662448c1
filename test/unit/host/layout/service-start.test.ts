import { describe, expect, it } from 'vitest';
import { EnvFileError } from '../../../../host/layout/env-file.ts';
import type { ServiceParameters } from '../../../../host/layout/registry-layout.ts';
import { prepareServiceStart, workingDirectory } from '../../../../host/layout/service-start.ts';

const base: ServiceParameters = {
  module: 'C:\\NodeService\\services\\app\\dist\\main.js',
  exportName: 'default',
  environment: {},
  arguments: [],
  secretNames: [],
};
const anyFolder = () => true;

describe('workingDirectory', () => {
  it('is --cwd, else the app folder, else the module folder', () => {
    expect(workingDirectory(base)).toBe('C:\\NodeService\\services\\app\\dist');
    expect(workingDirectory({ ...base, appDir: 'C:\\NodeService\\services\\app' })).toBe('C:\\NodeService\\services\\app');
    expect(workingDirectory({ ...base, appDir: 'C:\\NodeService\\services\\app', workingDirectory: 'D:\\data' })).toBe('D:\\data');
  });
});

describe('prepareServiceStart', () => {
  it('orders the variables: env file, then --env, then secrets (the later wins)', () => {
    const start = prepareServiceStart(
      { ...base, envFile: 'C:\\app.env', environment: { B: 'from --env', C: 'env' } },
      () => ({ A: 'file', B: 'file' }),
      anyFolder,
    );
    expect(start).toEqual({ cwd: 'C:\\NodeService\\services\\app\\dist', variables: { A: 'file', B: 'from --env', C: 'env' } });
  });

  it('reads the env file at every call, so an edited file counts at the next start', () => {
    let value = 'one';
    const read = () => ({ V: value });
    const parameters = { ...base, envFile: 'C:\\app.env' };
    expect(prepareServiceStart(parameters, read, anyFolder).variables.V).toBe('one');
    value = 'two';
    expect(prepareServiceStart(parameters, read, anyFolder).variables.V).toBe('two');
  });

  it('reads no file when none is set', () => {
    expect(prepareServiceStart(base, () => expect.unreachable(), anyFolder).variables).toEqual({});
  });

  it('fails naming the env file or the folder to fix', () => {
    const broken = () => {
      throw new EnvFileError('C:\\app.env', 3, 'expected NAME=VALUE');
    };
    expect(() => prepareServiceStart({ ...base, envFile: 'C:\\app.env' }, broken, anyFolder)).toThrow(
      'its env file cannot be read: C:\\app.env:3: expected NAME=VALUE (fix the file, or change it with "host.exe update --dotenv")',
    );
    expect(() =>
      prepareServiceStart(
        { ...base, workingDirectory: 'D:\\gone' },
        () => ({}),
        () => false,
      ),
    ).toThrow(/its working directory D:\\gone is not a folder/);
  });
});
