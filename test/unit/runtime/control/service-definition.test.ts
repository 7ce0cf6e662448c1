import { describe, expect, it } from 'vitest';
import {
  baseChange,
  changesBase,
  changesFailureActions,
  checkDefinition,
  checkServiceSecurity,
  levelChanges,
  mergeFailureActions,
  serviceTypeOf,
  startTypeOf,
  type ServiceDefinition,
} from '../../../../runtime/control/service-definition.ts';

/** A valid definition, with `overrides` on top: each test says only what it is about. */
function definition(overrides: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return { name: 'Ok', binaryPath: 'C:\\x.exe', ...overrides };
}

/** Every ChangeServiceConfigW field given, by name; what passes to the SCM as it is. */
const asGiven = {
  binaryPath: '"C:\\host.exe" --shared-group g',
  loadOrderGroup: 'G',
  dependencies: ['Tcpip', '+NetworkProvider'],
  account: 'NT AUTHORITY\\LocalService',
  password: '',
  displayName: 'Shown',
};

describe('the ChangeServiceConfigW fields of a change', () => {
  it('maps every named value to the SCM number', () => {
    expect(baseChange({ ...asGiven, serviceType: 'WIN32_SHARE_PROCESS', startup: 'delayed', errorControl: 'severe' })).toEqual({
      ...asGiven,
      serviceType: 0x20,
      startType: 2,
      errorControl: 2,
    });
  });

  it('leaves what is not given at SERVICE_NO_CHANGE (undefined), and says when nothing changes', () => {
    const change = baseChange({ description: 'only a level' });
    expect(Object.values(change).every((value) => value === undefined)).toBe(true);
    expect(changesBase(change)).toBe(false);
    expect(changesBase(baseChange({ loadOrderGroup: '' }))).toBe(true);
    expect(changesBase(baseChange({ dependencies: [] }))).toBe(true);
  });

  it('names the start types and service types', () => {
    expect(['boot', 'system', 'auto', 'manual', 'disabled', 'delayed'].map((name) => startTypeOf(name as never))).toEqual([
      0, 1, 2, 3, 4, 2,
    ]);
    expect(serviceTypeOf('WIN32_OWN_PROCESS', true)).toBe(0x110);
    expect(serviceTypeOf('KERNEL_DRIVER')).toBe(0x1);
    expect(() => serviceTypeOf('KERNEL_DRIVER', true)).toThrow(/interactive applies only/);
  });

  it('refuses unknown names and bad strings before the SCM is called', () => {
    expect(() => baseChange({ startup: 'sometimes' as never })).toThrow(
      /startup must be one of boot, system, auto, manual, disabled \(not "sometimes"\)/,
    );
    expect(() => baseChange({ errorControl: 3 as never })).toThrow(/errorControl must be one of ignore, normal, severe, critical/);
    expect(() => baseChange({ serviceType: 'own' as never })).toThrow(/serviceType must be one of/);
    expect(() => baseChange({ interactive: true })).toThrow(/interactive needs serviceType/);
    expect(() => baseChange({ binaryPath: '  ' })).toThrow(/binaryPath must not be empty/);
    expect(() => baseChange({ displayName: 'a\0b' })).toThrow(/without NUL/);
    expect(() => baseChange({ dependencies: ['ok', ''] })).toThrow(/dependencies must be non-empty names/);
    expect(() => baseChange({ dependencies: ['+'] })).toThrow(/dependencies/);
  });
});

describe('the ChangeServiceConfig2W levels of a change', () => {
  it('maps each level and follows startup with the delayed flag', () => {
    expect(
      levelChanges({
        startup: 'delayed',
        sidType: 'restricted',
        preshutdownTimeout: 60_000,
        requiredPrivileges: ['SeChangeNotifyPrivilege'],
        description: '',
      }),
    ).toEqual({
      description: '',
      delayedAutoStart: 1,
      failure: undefined,
      preshutdownTimeout: 60_000,
      requiredPrivileges: ['SeChangeNotifyPrivilege'],
      sidType: 3,
    });
    expect(levelChanges({ startup: 'auto' }).delayedAutoStart).toBe(0);
    expect(levelChanges({ startup: 'manual' }).delayedAutoStart).toBe(0);
    expect(levelChanges({ startup: 'disabled' }).delayedAutoStart).toBeUndefined();
    expect(levelChanges({}).delayedAutoStart).toBeUndefined();
    expect(levelChanges({ startup: 'manual', serviceType: 'KERNEL_DRIVER' }).delayedAutoStart).toBeUndefined();
    expect(levelChanges({ sidType: 'none' }).sidType).toBe(0);
  });

  it('refuses numbers the SCM cannot hold and unknown failure actions', () => {
    expect(() => levelChanges({ preshutdownTimeout: -1 })).toThrow(RangeError);
    expect(() => levelChanges({ preshutdownTimeout: 2 ** 32 })).toThrow(/0 to 4294967295/);
    expect(() => levelChanges({ preshutdownTimeout: 1.5 })).toThrow(RangeError);
    expect(() => levelChanges({ failure: { actions: [{ type: 'explode' as never, delay: 0 }] } })).toThrow(
      /failure action type must be one of none, restart, reboot, run/,
    );
    expect(() => levelChanges({ failure: { actions: [{ type: 'restart', delay: 2 ** 32 }] } })).toThrow(RangeError);
    expect(() => levelChanges({ failure: { resetPeriod: -5 } })).toThrow(RangeError);
    expect(() => levelChanges({ sidType: 'sometimes' as never })).toThrow(/sidType must be one of none, unrestricted, restricted/);
    expect(() => levelChanges({ requiredPrivileges: [''] })).toThrow(/requiredPrivileges/);
  });
});

describe('failure changes', () => {
  const current = { resetPeriod: 86_400, command: 'old.cmd', rebootMessage: 'bye', actions: [{ type: 1, delay: 1000 }] };

  it('merge given fields into the current actions, by number', () => {
    expect(
      mergeFailureActions(current, {
        actions: [
          { type: 'run', delay: 5 },
          { type: 'reboot', delay: 6 },
        ],
        command: 'new.cmd',
      }),
    ).toEqual({
      resetPeriod: 86_400,
      command: 'new.cmd',
      rebootMessage: 'bye',
      actions: [
        { type: 3, delay: 5 },
        { type: 2, delay: 6 },
      ],
    });
    expect(mergeFailureActions(current, { actions: [] }).actions).toEqual([]);
    expect(mergeFailureActions(current, { resetPeriod: 60 })).toEqual({ ...current, resetPeriod: 60 });
  });

  it('touch the actions level only when a field of it is given (the flag is a level of its own)', () => {
    expect(changesFailureActions({ onNonCrashFailures: true })).toBe(false);
    expect(changesFailureActions({ resetPeriod: 1 })).toBe(true);
    expect(changesFailureActions({ actions: [] })).toBe(true);
  });
});

describe('a whole definition', () => {
  it('needs a name and a command line, and checks every setting and the security', () => {
    expect(() => checkDefinition(definition({ security: 'D:(A;;GA;;;BA)' }))).not.toThrow();
    expect(() => checkDefinition(definition({ name: '' }))).toThrow(/name must be a non-empty string/);
    expect(() => checkDefinition(definition({ binaryPath: undefined as never }))).toThrow(/binaryPath must be given/);
    expect(() => checkDefinition(definition({ startup: 'often' as never }))).toThrow(/startup/);
    expect(() => checkDefinition(definition({ security: 'D:(A;;GA;;BA)' }))).toThrow(/fields/);
  });

  it('refuses a SACL and a descriptor that sets nothing', () => {
    expect(() => checkServiceSecurity('D:(A;;GA;;;BA)S:(AU;FA;GA;;;WD)')).toThrow(/SACL/);
    expect(() => checkServiceSecurity('D:(A;;GA;;;BA)')).not.toThrow();
    expect(checkServiceSecurity('O:BAG:SY').owner).toBe('BA');
  });
});
