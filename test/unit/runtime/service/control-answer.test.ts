import { describe, expect, it } from 'vitest';
import { controlAnswer, isStopControl } from '../../../../runtime/service/control-answer.ts';
import { AcceptControl, ServiceControl, Win32Code } from '../../../../runtime/service/constants.ts';

const OK = Win32Code.NO_ERROR;
const NO = Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
type Flag = keyof typeof AcceptControl;

// The accept flag each control needs, as the SERVICE_STATUS documentation pairs them, written out
// here rather than read from control-answer.ts so the test can catch a wrong pairing there.
const NEEDS: [keyof typeof ServiceControl, Flag][] = [
  ['STOP', 'STOP'],
  ['PAUSE', 'PAUSE_CONTINUE'],
  ['CONTINUE', 'PAUSE_CONTINUE'],
  ['SHUTDOWN', 'SHUTDOWN'],
  ['PARAMCHANGE', 'PARAMCHANGE'],
  ['NETBINDADD', 'NETBINDCHANGE'],
  ['NETBINDREMOVE', 'NETBINDCHANGE'],
  ['NETBINDENABLE', 'NETBINDCHANGE'],
  ['NETBINDDISABLE', 'NETBINDCHANGE'],
  ['HARDWAREPROFILECHANGE', 'HARDWAREPROFILECHANGE'],
  ['POWEREVENT', 'POWEREVENT'],
  ['SESSIONCHANGE', 'SESSIONCHANGE'],
  ['PRESHUTDOWN', 'PRESHUTDOWN'],
  ['TIMECHANGE', 'TIMECHANGE'],
  ['TRIGGEREVENT', 'TRIGGEREVENT'],
];
const FLAGS = Object.keys(AcceptControl) as Flag[];
const ALL = FLAGS.reduce((mask, flag) => mask | AcceptControl[flag], 0);
/** Every accepted-controls value the table is checked with: none, each flag alone, all but one, all. */
const ACCEPTED: [string, number][] = [
  ['none', 0],
  ...FLAGS.map((flag): [string, number] => [flag, AcceptControl[flag]]),
  ...FLAGS.map((flag): [string, number] => [`all but ${flag}`, ALL & ~AcceptControl[flag]]),
  ['all', ALL],
];

describe('controlAnswer', () => {
  it('pairs every control with an accept flag (the table above covers them all)', () => {
    const named = new Set(NEEDS.map(([control]) => control));
    const others = Object.keys(ServiceControl).filter((control) => !named.has(control as keyof typeof ServiceControl));
    expect(others.sort()).toEqual(['DEVICEEVENT', 'INTERROGATE']);
  });

  for (const [control, flag] of NEEDS) {
    it(`answers ${control} exactly when ${flag} is accepted, whatever else is`, () => {
      for (const [label, accepted] of ACCEPTED) {
        for (const userControls of [false, true]) {
          for (const deviceEvents of [false, true]) {
            const want = accepted & AcceptControl[flag] ? OK : NO;
            expect(
              controlAnswer(ServiceControl[control], { accepted, userControls, deviceEvents }),
              `${label} ${userControls} ${deviceEvents}`,
            ).toBe(want);
          }
        }
      }
    });
  }

  it('answers INTERROGATE always, even with nothing accepted', () => {
    for (const [, accepted] of ACCEPTED) {
      expect(controlAnswer(ServiceControl.INTERROGATE, { accepted, userControls: false })).toBe(OK);
    }
  });

  it('answers DEVICEEVENT exactly when the service takes device events: it has no accept flag', () => {
    for (const [, accepted] of ACCEPTED) {
      expect(controlAnswer(ServiceControl.DEVICEEVENT, { accepted, userControls: true, deviceEvents: false })).toBe(NO);
      expect(controlAnswer(ServiceControl.DEVICEEVENT, { accepted, userControls: false })).toBe(NO);
      expect(controlAnswer(ServiceControl.DEVICEEVENT, { accepted, userControls: false, deviceEvents: true })).toBe(OK);
    }
  });

  it('answers the user-defined codes 128–255 exactly when the service has svcOtherControl, whatever it accepts', () => {
    for (const code of [128, 129, 200, 254, 255]) {
      for (const [, accepted] of ACCEPTED) {
        expect(controlAnswer(code, { accepted, userControls: true })).toBe(OK);
        expect(controlAnswer(code, { accepted, userControls: false, deviceEvents: true })).toBe(NO);
      }
    }
  });

  it('refuses codes that are no control, with everything accepted', () => {
    for (const code of [0, 17, 31, 33, 64, 127, 256, 0xffff, -1]) {
      expect(controlAnswer(code, { accepted: 0xffff_ffff, userControls: true, deviceEvents: true }), String(code)).toBe(NO);
    }
  });
});

describe('isStopControl', () => {
  it('is true for stop, shutdown and pre-shutdown only', () => {
    const stops = Object.entries(ServiceControl)
      .filter(([, code]) => isStopControl(code))
      .map(([name]) => name);
    expect(stops).toEqual(['STOP', 'SHUTDOWN', 'PRESHUTDOWN']);
    expect(isStopControl(128)).toBe(false);
  });
});
