import { describe, expect, it } from 'vitest';
import { pipePath, resolvePipeOptions } from '../../../../runtime/pipes/options.ts';

describe('pipePath', () => {
  it('prefixes a bare name and keeps a full one (any case of the prefix)', () => {
    expect(pipePath('NodeServicePipe')).toBe('\\\\.\\pipe\\NodeServicePipe');
    expect(pipePath('\\\\.\\PIPE\\Odd name $&!é')).toBe('\\\\.\\pipe\\Odd name $&!é');
  });

  it('refuses what Windows would: empty, over 256 characters, NUL', () => {
    expect(() => pipePath('\\\\.\\pipe\\')).toThrow(/cannot be empty/);
    expect(pipePath('x'.repeat(256))).toHaveLength(9 + 256);
    expect(() => pipePath('x'.repeat(257))).toThrow(/at most 256 characters.*not 257/);
    expect(() => pipePath('a\0b')).toThrow(/NUL/);
  });
});

describe('resolvePipeOptions', () => {
  it('fills in message mode, unlimited instances, 16 listeners, 1 MiB messages, local clients only', () => {
    const resolved = resolvePipeOptions({ name: 'P' });
    expect(resolved).toMatchObject({
      name: '\\\\.\\pipe\\P',
      mode: 'message',
      sddl: undefined,
      maxInstances: Infinity,
      rawMaxInstances: 255,
      listeners: 16,
      maxMessageBytes: 2 ** 20,
      bufferBytes: 2 ** 16,
      acceptRemoteClients: false,
      readTimeoutMs: Infinity,
    });
  });

  it('keeps listeners within maxInstances and passes a finite maxInstances through', () => {
    expect(resolvePipeOptions({ name: 'P', maxInstances: 3 })).toMatchObject({ listeners: 3, rawMaxInstances: 3 });
    expect(resolvePipeOptions({ name: 'P', maxInstances: 100, listeners: 64 })).toMatchObject({ listeners: 64, rawMaxInstances: 100 });
  });

  it('refuses values CreateNamedPipeW would misread', () => {
    expect(() => resolvePipeOptions({ name: 'P', maxInstances: 255 })).toThrow(/maxInstances must be a whole number from 1 to 254/);
    expect(() => resolvePipeOptions({ name: 'P', maxInstances: 0 })).toThrow(/maxInstances/);
    expect(() => resolvePipeOptions({ name: 'P', listeners: 1.5 })).toThrow(/listeners/);
    expect(() => resolvePipeOptions({ name: 'P', mode: 'stream' as 'byte' })).toThrow(/mode must be 'message' or 'byte'/);
    expect(() => resolvePipeOptions({ name: 'P', bufferBytes: 10 })).toThrow(/bufferBytes/);
    expect(() => resolvePipeOptions({ name: 'P', sddl: 'SYSTEM only' })).toThrow(/SDDL/);
    expect(() => resolvePipeOptions({ name: 'P', readTimeoutMs: 0 })).toThrow(/readTimeoutMs/);
    expect(() => resolvePipeOptions({ name: 'P', readTimeoutMs: 2 ** 31 })).toThrow(
      /readTimeoutMs must be a whole number from 1 to 2147483647/,
    );
    expect(resolvePipeOptions({ name: 'P', readTimeoutMs: 5000 }).readTimeoutMs).toBe(5000);
  });

  it('accepts an SDDL DACL as given', () => {
    expect(resolvePipeOptions({ name: 'P', sddl: 'D:P(A;;GA;;;SY)(A;;GA;;;BA)' }).sddl).toBe('D:P(A;;GA;;;SY)(A;;GA;;;BA)');
  });
});
