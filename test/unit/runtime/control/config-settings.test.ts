import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RegistryKey } from '../../../../runtime/system/registry.ts';
import type { ScHandle } from '../../../../runtime/win32/advapi32/services.ts';
import { ErrorCode } from '../../../../runtime/win32/errors.ts';
import { WindowsError } from '../../../../runtime/win32/windows-error.ts';

// The SCM's database, in memory: what openServiceKey/openServiceKeyForWrite would find under
// HKLM\SYSTEM\CurrentControlSet\Services\<name>, as one value per service. Every key opened
// must be closed again (`opened` counts them).
const database = new Map<string, number>();
let opened = 0;
const fakeKey = (name: string) => {
  opened++;
  return {
    getNumber: () => database.get(name),
    setNumber: (_: string, value: number) => database.set(name, value),
    [Symbol.dispose]: () => opened--,
  } as unknown as RegistryKey;
};
vi.mock('../../../../runtime/control/service-database.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../../runtime/control/service-database.ts')>()),
  openServiceKey: (name: string) => (database.has(name) ? fakeKey(name) : undefined),
  openServiceKeyForWrite: fakeKey,
}));
const { applySetting, querySetting } = await import('../../../../runtime/control/config-settings.ts');

const service = {} as ScHandle;
const invalidLevel = () => new WindowsError('QueryServiceConfig2W', ErrorCode.ERROR_INVALID_LEVEL, 'The system call level is not correct.');
const wineTag = () => new WindowsError('ChangeServiceConfig2W', ErrorCode.RPC_S_INVALID_TAG, 'The tag is invalid.');
const denied = () => new WindowsError('QueryServiceConfig2W', ErrorCode.ERROR_ACCESS_DENIED, 'Access is denied.');

/** A setting whose SCM side does what `scm` says: keeps the value, or throws on query and/or set. */
function setting(scm: { query?: () => Error; set?: () => Error } = {}) {
  let held = 0;
  const calls: string[] = [];
  return {
    calls,
    setting: {
      level: 7,
      initial: 180_000,
      query: () => {
        calls.push('query');
        if (scm.query) throw scm.query();
        return held;
      },
      set: (_: ScHandle, value: number) => {
        calls.push(`set ${value}`);
        if (scm.set) throw scm.set();
        held = value;
      },
      read: (key: RegistryKey) => key.getNumber('PreshutdownTimeout'),
      write: (key: RegistryKey, value: number) => key.setNumber('PreshutdownTimeout', value),
    },
  };
}

beforeEach(() => database.clear());
afterEach(() => expect(opened, 'every service key opened is closed').toBe(0));

describe('querySetting', () => {
  it('gives what the SCM reports where it knows the level', () => {
    const { setting: s } = setting();
    s.set(service, 5000);
    database.set('Svc', 1);
    expect(querySetting(service, 'Svc', s, true)).toBe(5000);
  });

  it.each([
    ['ERROR_INVALID_LEVEL', invalidLevel],
    ["Wine's RPC_S_INVALID_TAG", wineTag],
  ])('falls back to the database on %s, on this machine only, else to the initial value', (_, error) => {
    const { setting: s } = setting({ query: error });
    database.set('Svc', 60_000);
    expect(querySetting(service, 'Svc', s, true)).toBe(60_000);
    expect(querySetting(service, 'Svc', s, false)).toBe(180_000);
    expect(querySetting(service, 'Other', s, true)).toBe(180_000);
  });

  it('throws any other error, and errors that are no WindowsError', () => {
    expect(() => querySetting(service, 'Svc', setting({ query: denied }).setting, true)).toThrow('Access is denied');
    expect(() => querySetting(service, 'Svc', setting({ query: () => new TypeError('bug') }).setting, true)).toThrow(TypeError);
  });
});

describe('applySetting', () => {
  it('sets through the SCM and writes no database where the SCM reports the level back', () => {
    const { setting: s, calls } = setting();
    applySetting(service, 'Svc', s, 5000);
    expect(calls).toEqual(['set 5000', 'query']);
    expect(database.size).toBe(0);
  });

  it('writes the database where the SCM refuses the level (ERROR_INVALID_LEVEL or RPC_S_INVALID_TAG)', () => {
    for (const error of [invalidLevel, wineTag]) {
      database.clear();
      applySetting(service, 'Svc', setting({ set: error }).setting, 5000);
      expect(database.get('Svc')).toBe(5000);
    }
  });

  it('writes the database where the SCM takes the level but cannot report it back (Wine 8)', () => {
    const { setting: s, calls } = setting({ query: invalidLevel });
    applySetting(service, 'Svc', s, 5000);
    expect(calls).toEqual(['set 5000', 'query']);
    expect(database.get('Svc')).toBe(5000);
  });

  it("on another machine: a refused level is an error, and that machine's database is not written", () => {
    expect(() => applySetting(service, 'Svc', setting({ set: invalidLevel }).setting, 5000, false)).toThrow('level is not correct');
    const { setting: s, calls } = setting({ query: invalidLevel });
    applySetting(service, 'Svc', s, 5000, false);
    expect(calls).toEqual(['set 5000']);
    expect(database.size).toBe(0);
  });

  it('throws any other error of the SCM and writes nothing', () => {
    expect(() => applySetting(service, 'Svc', setting({ set: denied }).setting, 5000)).toThrow('Access is denied');
    expect(() => applySetting(service, 'Svc', setting({ query: denied }).setting, 5000)).toThrow('Access is denied');
    expect(database.size).toBe(0);
  });
});
