import { describe, expect, it } from 'vitest';
import { ServiceState } from '../../../../runtime/service/constants.ts';
import { describeStatus } from '../../../../runtime/control/status.ts';
import { MIN_PROGRESS_WAIT_MS, POLL_MAX_LOCAL_MS, waitUntilState } from '../../../../runtime/control/wait-for-state.ts';

/** A fake clock and SCM: each query returns the next status; sleeping advances the clock. */
function scm(statuses: { state: ServiceState; checkPoint?: number; waitHint?: number; exit?: number; specific?: number }[]) {
  let clock = 0;
  let index = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    seams: {
      now: () => clock,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
      },
      query: () => {
        const s = statuses[Math.min(index++, statuses.length - 1)]!;
        return describeStatus('Svc', {
          serviceType: 0x10,
          currentState: s.state,
          controlsAccepted: 1,
          win32ExitCode: s.exit ?? 0,
          serviceSpecificExitCode: s.specific ?? 0,
          checkPoint: s.checkPoint ?? 0,
          waitHint: s.waitHint ?? 0,
          processId: 1,
          serviceFlags: 0,
        });
      },
    },
  };
}

describe('waitUntilState', () => {
  it('polls at a tenth of the wait hint, within bounds, until the state comes', async () => {
    const { seams, sleeps } = scm([
      { state: ServiceState.START_PENDING, checkPoint: 1, waitHint: 1000 },
      { state: ServiceState.START_PENDING, checkPoint: 2, waitHint: 10_000 },
      { state: ServiceState.START_PENDING, checkPoint: 3, waitHint: 100 },
      { state: ServiceState.RUNNING },
    ]);
    const status = await waitUntilState('Svc', ServiceState.RUNNING, 30_000, 30_000, seams);
    expect(status.stateName).toBe('RUNNING');
    expect(sleeps).toEqual([100, POLL_MAX_LOCAL_MS, 50]);
  });

  it('waits as long as the checkpoint moves, and gives up when it stops moving for a wait hint', async () => {
    const moving = Array.from({ length: 100 }, (_, i) => ({ state: ServiceState.STOP_PENDING, checkPoint: i, waitHint: 2000 }));
    const { seams } = scm([...moving, { state: ServiceState.STOPPED }]);
    await expect(waitUntilState('Svc', ServiceState.STOPPED, 60_000, 60_000, seams)).resolves.toMatchObject({ stateName: 'STOPPED' });

    const stuck = scm([{ state: ServiceState.STOP_PENDING, checkPoint: 4, waitHint: 8000 }]);
    const error = await waitUntilState('Svc', ServiceState.STOPPED, 60_000, 60_000, stuck.seams).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 1053,
      message: expect.stringContaining(
        'the Svc service is still STOP_PENDING (its checkpoint has not moved for its wait hint of 8000 ms), not STOPPED',
      ),
    });
    // A wait hint below the floor still gets MIN_PROGRESS_WAIT_MS.
    const short = scm([{ state: ServiceState.STOP_PENDING, checkPoint: 1, waitHint: 10 }]);
    const started = Date.now();
    await expect(waitUntilState('Svc', ServiceState.STOPPED, 60_000, 60_000, short.seams)).rejects.toMatchObject({ code: 1053 });
    expect(short.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThan(MIN_PROGRESS_WAIT_MS);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up at the deadline even while the checkpoint moves, naming the timeout', async () => {
    const moving = Array.from({ length: 1000 }, (_, i) => ({ state: ServiceState.START_PENDING, checkPoint: i, waitHint: 1000 }));
    const { seams } = scm(moving);
    await expect(waitUntilState('Svc', ServiceState.RUNNING, 3000, 3000, seams)).rejects.toMatchObject({
      code: 1053,
      message: expect.stringContaining('the Svc service is still START_PENDING (after 3000 ms), not RUNNING'),
    });
  });

  it('fails at once when the service settles in another state, with its exit codes', async () => {
    const { seams, sleeps } = scm([
      { state: ServiceState.START_PENDING, checkPoint: 1, waitHint: 1000 },
      { state: ServiceState.STOPPED, exit: 1066, specific: 2 },
    ]);
    await expect(waitUntilState('Svc', ServiceState.RUNNING, 30_000, 30_000, seams)).rejects.toMatchObject({
      code: 1066,
      message: expect.stringContaining('the Svc service is STOPPED (exit code 1066, service code 2), not RUNNING'),
    });
    expect(sleeps).toHaveLength(1);
    const plain = scm([{ state: ServiceState.STOPPED }]);
    await expect(waitUntilState('Svc', ServiceState.RUNNING, 30_000, 30_000, plain.seams)).rejects.toMatchObject({ code: 1062 });
  });

  it('after a control, waits for a service that reports its pending state only after its handler returned', async () => {
    // A pause: ControlService answered RUNNING (the host hands the control to the service's thread),
    // PAUSE_PENDING and PAUSED follow.
    const late = scm([
      { state: ServiceState.RUNNING },
      { state: ServiceState.RUNNING },
      { state: ServiceState.PAUSE_PENDING },
      { state: ServiceState.PAUSED },
    ]);
    await expect(
      waitUntilState('Svc', ServiceState.PAUSED, 30_000, 30_000, { ...late.seams, leaving: ServiceState.RUNNING }),
    ).resolves.toMatchObject({ stateName: 'PAUSED' });
    // Without `leaving`, the same answer ends the wait at once (what a plain waitForState does).
    const plain = scm([{ state: ServiceState.RUNNING }, { state: ServiceState.PAUSED }]);
    await expect(waitUntilState('Svc', ServiceState.PAUSED, 30_000, 30_000, plain.seams)).rejects.toMatchObject({ code: 1062 });
  });

  it('gives up on a service that never leaves the state after MIN_PROGRESS_WAIT_MS, as settled there', async () => {
    const stays = scm([{ state: ServiceState.RUNNING }]);
    const error = await waitUntilState('Svc', ServiceState.PAUSED, 60_000, 60_000, { ...stays.seams, leaving: ServiceState.RUNNING }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 1062, message: expect.stringContaining('the Svc service is RUNNING, not PAUSED') });
    const waited = stays.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThan(MIN_PROGRESS_WAIT_MS);
    expect(waited).toBeLessThan(MIN_PROGRESS_WAIT_MS + 1000);
    // Back in that state after a pending one: the control failed, the wait ends at once.
    const back = scm([{ state: ServiceState.PAUSE_PENDING }, { state: ServiceState.RUNNING }]);
    await expect(
      waitUntilState('Svc', ServiceState.PAUSED, 60_000, 60_000, { ...back.seams, leaving: ServiceState.RUNNING }),
    ).rejects.toMatchObject({ code: 1062 });
    expect(back.sleeps).toHaveLength(1);
    // Another settled state still ends it at once.
    const other = scm([{ state: ServiceState.STOPPED, exit: 1067 }]);
    await expect(
      waitUntilState('Svc', ServiceState.PAUSED, 60_000, 60_000, { ...other.seams, leaving: ServiceState.RUNNING }),
    ).rejects.toMatchObject({ code: 1067 });
    expect(other.sleeps).toHaveLength(0);
  });
});
