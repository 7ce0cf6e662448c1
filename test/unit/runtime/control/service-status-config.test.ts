import { describe, expect, it } from 'vitest';
import { describeStatus, serviceTypeName, statusToJSON } from '../../../../runtime/control/status.ts';
import { decodeFailureActions, encodeFailureActions } from '../../../../runtime/control/service-database.ts';
import { ErrorControl, nameOf, StartupType } from '../../../../runtime/control/config.ts';

describe('status names', () => {
  it('names types, states and accepted controls', () => {
    expect(serviceTypeName(0x10)).toBe('WIN32_OWN_PROCESS');
    expect(serviceTypeName(0x120)).toBe('WIN32_SHARE_PROCESS|INTERACTIVE_PROCESS');
    expect(serviceTypeName(0x400)).toBe('0x400');
    const status = describeStatus('S', {
      serviceType: 0x10,
      currentState: 4,
      controlsAccepted: 0x5,
      win32ExitCode: 0,
      serviceSpecificExitCode: 0,
      checkPoint: 0,
      waitHint: 0,
      processId: 42,
      serviceFlags: 0,
    });
    expect(status).toMatchObject({ name: 'S', typeName: 'WIN32_OWN_PROCESS', stateName: 'RUNNING', processId: 42 });
    expect(status.accepts.has('SHUTDOWN')).toBe(true);
    expect(status.controlsAccepted.has('SHUTDOWN')).toBe(true);
    expect(status.serviceType.kind).toBe('WIN32_OWN_PROCESS');
    // JSON keeps the numbers it had before the flags were typed (status --json, list --json).
    expect(JSON.parse(JSON.stringify(statusToJSON(status)))).toMatchObject({
      serviceType: 0x10,
      controlsAccepted: 0x5,
      accepts: ['STOP', 'SHUTDOWN'],
    });
    expect(JSON.parse(JSON.stringify(status))).toMatchObject({ serviceType: 0x10, controlsAccepted: 0x5 });
  });

  it('names configuration numbers, and shows unknown ones in hex', () => {
    expect(nameOf(StartupType, 3)).toBe('manual');
    expect(nameOf(ErrorControl, 3)).toBe('critical');
    expect(nameOf(ErrorControl, 9)).toBe('0x9');
  });
});

describe('FailureActions as the SCM stores it', () => {
  it('is SERVICE_FAILURE_ACTIONS in its 32-bit layout followed by the actions, and reads back', () => {
    const failure = {
      resetPeriod: 3600,
      rebootMessage: 'bye',
      command: 'x.cmd',
      actions: [
        { type: 1, delay: 5000 },
        { type: 2, delay: 60000 },
      ],
    };
    const data = encodeFailureActions(failure);
    expect(data.toString('hex').toUpperCase()).toBe('100E000000000000000000000200000000000000010000008813000002000000' + '60EA0000');
    expect(decodeFailureActions(data, 'x.cmd', 'bye')).toEqual(failure);
    expect(decodeFailureActions(Buffer.alloc(4), '', '')).toBeUndefined();
  });
});
