import { describe, expect, it } from 'vitest';
import { AcceptedControls, ServiceTypeFlags } from '../../../../runtime/service/service-flags.ts';
import { AcceptControl, ServiceControl } from '../../../../runtime/service/constants.ts';

describe('AcceptedControls (dwControlsAccepted as a flag type)', () => {
  it('reads a raw mask into names and writes the names back to the same mask', () => {
    const accepted = AcceptedControls.fromRaw(0x1 | 0x2 | 0x100);
    expect(accepted.names).toEqual(['STOP', 'PAUSE_CONTINUE', 'PRESHUTDOWN']);
    expect(accepted.has('STOP')).toBe(true);
    expect(accepted.has('SHUTDOWN')).toBe(false);
    expect(AcceptedControls.of(...accepted.names).toRaw()).toBe(0x103);
    expect(String(accepted)).toBe('STOP|PAUSE_CONTINUE|PRESHUTDOWN');
  });

  it('keeps every named flag through a round trip', () => {
    const all = Object.keys(AcceptControl) as (keyof typeof AcceptControl)[];
    const every = AcceptedControls.of(...all);
    expect(every.raw).toBe(0x7ff);
    expect(AcceptedControls.fromRaw(every.raw).names).toEqual(all);
  });

  it('keeps bits it has no name for, in raw, JSON and text, and names only the known ones', () => {
    const accepted = AcceptedControls.fromRaw(0x8000_0801);
    expect(accepted.names).toEqual(['STOP']);
    expect(accepted.unknownBits).toBe(0x8000_0800);
    expect(accepted.raw).toBe(0x8000_0801);
    expect(JSON.stringify({ controlsAccepted: accepted })).toBe(`{"controlsAccepted":${0x8000_0801}}`);
    expect(String(accepted)).toBe('STOP|0x80000800');
  });

  it('is NONE when nothing is accepted', () => {
    expect(String(AcceptedControls.fromRaw(0))).toBe('NONE');
    expect(AcceptedControls.of().raw).toBe(0);
    expect(AcceptedControls.NONE.names).toEqual([]);
  });

  it('intersects, as the status reporter narrows a service to STOP while it starts', () => {
    const onlyStop = AcceptedControls.of('STOP');
    expect(AcceptedControls.of('STOP', 'PAUSE_CONTINUE').intersect(onlyStop).names).toEqual(['STOP']);
    expect(AcceptedControls.of('PAUSE_CONTINUE').intersect(onlyStop)).toEqual(AcceptedControls.NONE);
    expect(AcceptedControls.fromRaw(0x8000_0001).intersect(AcceptedControls.fromRaw(0x8000_0000)).raw).toBe(0x8000_0000);
  });

  it('refuses what is no DWORD, and a name that is a control code, not an accept flag', () => {
    for (const raw of [-1, 0x1_0000_0000, 1.5, Number.NaN]) expect(() => AcceptedControls.fromRaw(raw)).toThrow(RangeError);
    // SERVICE_CONTROL_PAUSE is 2, the accept flag is PAUSE_CONTINUE: the mistake pywin32's demo makes.
    expect(ServiceControl.PAUSE).toBe(2);
    expect(() => AcceptedControls.of('PAUSE' as never)).toThrow(/'PAUSE' is not an accepted control: use STOP, PAUSE_CONTINUE/);
  });
});

describe('ServiceTypeFlags (dwServiceType as a kind and flags)', () => {
  it('reads each kind, and writes it back', () => {
    for (const [raw, kind] of [
      [0x1, 'KERNEL_DRIVER'],
      [0x2, 'FILE_SYSTEM_DRIVER'],
      [0x10, 'WIN32_OWN_PROCESS'],
      [0x20, 'WIN32_SHARE_PROCESS'],
      [0x50, 'USER_OWN_PROCESS'],
      [0x60, 'USER_SHARE_PROCESS'],
    ] as const) {
      const type = ServiceTypeFlags.fromRaw(raw);
      expect(type.kind).toBe(kind);
      expect(type.unknownBits).toBe(0);
      expect(ServiceTypeFlags.of(kind).raw).toBe(raw);
    }
  });

  it('separates the interactive and user-instance flags from the kind', () => {
    const interactive = ServiceTypeFlags.fromRaw(0x120);
    expect(interactive).toMatchObject({ kind: 'WIN32_SHARE_PROCESS', interactive: true, userInstance: false, shared: true });
    expect(String(interactive)).toBe('WIN32_SHARE_PROCESS|INTERACTIVE_PROCESS');
    expect(ServiceTypeFlags.of('WIN32_SHARE_PROCESS', { interactive: true }).raw).toBe(0x120);
    // A per-user instance of a user service (Windows 10+ reports e.g. 0xe0).
    const instance = ServiceTypeFlags.fromRaw(0xe0);
    expect(instance).toMatchObject({ kind: 'USER_SHARE_PROCESS', userInstance: true, shared: true });
    expect(String(instance)).toBe('USER_SHARE_PROCESS|USERSERVICE_INSTANCE');
    expect(ServiceTypeFlags.of('USER_SHARE_PROCESS', { userInstance: true }).raw).toBe(0xe0);
    expect(ServiceTypeFlags.fromRaw(0x10).shared).toBe(false);
  });

  it('keeps a kind it has no name for (SERVICE_ADAPTER 0x4, a newer bit), in raw, JSON and text', () => {
    const adapter = ServiceTypeFlags.fromRaw(0x4);
    expect(adapter.kind).toBeUndefined();
    expect(adapter.unknownBits).toBe(0x4);
    expect(String(adapter)).toBe('0x4');
    const odd = ServiceTypeFlags.fromRaw(0x1010);
    expect(odd).toMatchObject({ kind: undefined, unknownBits: 0x1010, raw: 0x1010 });
    expect(JSON.stringify([ServiceTypeFlags.fromRaw(0x110)])).toBe('[272]');
  });

  it('refuses what is no DWORD and a kind that is none', () => {
    expect(() => ServiceTypeFlags.fromRaw(-16)).toThrow(RangeError);
    expect(() => ServiceTypeFlags.of('own' as never)).toThrow(/'own' is not a service type/);
  });
});
