import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServiceState } from '../../../../runtime/service/constants.ts';
import { describeStatus, type ServiceStatusInfo } from '../../../../runtime/control/status.ts';
import {
  notificationWaker,
  pollStatus,
  setNotifySource,
  watchStatus,
  type StatusEvent,
  type WatchRequest,
} from '../../../../runtime/control/status-watch.ts';
import { POLL_MAX_NOTIFIED_MS, waitUntilState } from '../../../../runtime/control/wait-for-state.ts';
import { WindowsError } from '../../../../runtime/win32/windows-error.ts';

function status(state: number, checkPoint = 0): ServiceStatusInfo {
  return describeStatus('Svc', {
    serviceType: 0x10,
    currentState: state as ServiceState,
    controlsAccepted: 1,
    win32ExitCode: 0,
    serviceSpecificExitCode: 0,
    checkPoint,
    waitHint: 2000,
    processId: 1,
    serviceFlags: 0,
  });
}

afterEach(() => setNotifySource(undefined));

describe('pollStatus', () => {
  it("reports every status it queries, then the deletion (1060), which ends that service's watch", async () => {
    const answers: Record<string, (ServiceStatusInfo | Error)[]> = {
      A: [status(ServiceState.STOPPED), status(ServiceState.START_PENDING), new WindowsError('OpenServiceW', 1060, 'gone')],
      B: [status(ServiceState.RUNNING), new WindowsError('OpenServiceW', 5, 'Access is denied.')],
    };
    const events: StatusEvent[] = [];
    const pauses: number[] = [];
    const watch = pollStatus(
      { services: ['A', 'B'], onEvent: (event) => events.push(event) },
      {
        query: (service) => {
          const answer = answers[service]!.shift()!;
          if (answer instanceof Error) throw answer;
          return answer;
        },
        now: () => 7,
        sleep: async (ms) => pauses.push(ms),
        pollMs: 40,
      },
    );
    await vi.waitFor(() => expect(events).toHaveLength(5));
    await watch.close();
    expect(watch.mode).toBe('poll');
    expect(events.map((event) => [event.service, event.kind === 'status' ? event.status.stateName : event.kind])).toEqual([
      ['A', 'STOPPED'],
      ['B', 'RUNNING'],
      ['A', 'START_PENDING'],
      ['B', 'error'],
      ['A', 'deleted'],
    ]);
    expect(pauses).toEqual([40, 40]);
  });

  it('stops polling when closed', async () => {
    let queries = 0;
    const watch = pollStatus(
      { services: ['A'], onEvent: () => {} },
      {
        query: () => {
          queries++;
          return status(ServiceState.RUNNING);
        },
        sleep: () => new Promise((resolve) => setTimeout(resolve, 5)),
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    await watch.close();
    const after = queries;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(queries).toBe(after);
    expect(after).toBeGreaterThan(0);
  });
});

describe('watchStatus', () => {
  it('polls when no notification source is registered, or when the source cannot', async () => {
    const seams = { query: () => status(ServiceState.RUNNING), sleep: () => new Promise(() => {}) };
    const request: WatchRequest = { services: ['A'], onEvent: () => {} };
    expect((await watchStatus(request, seams)).mode).toBe('poll');
    setNotifySource(async () => undefined);
    expect((await watchStatus(request, seams)).mode).toBe('poll');
    setNotifySource(async () => ({ mode: 'notify', close: async () => {} }));
    expect((await watchStatus(request, seams)).mode).toBe('notify');
  });
});

/** A notification source the test drives: `fire()` tells the watch of a change, as the SCM's APC would. */
function drivenSource() {
  let onEvent: ((event: StatusEvent) => void) | undefined;
  let closed = 0;
  setNotifySource(async (request) => {
    onEvent = request.onEvent;
    return { mode: 'notify', close: async () => void closed++ };
  });
  return {
    fire: (state: number) => onEvent?.({ kind: 'status', service: 'Svc', at: 0, status: status(state) }),
    closed: () => closed,
  };
}

describe('waiting for a state: notification or polling', () => {
  it('without a notification source there is no waker: the wait polls', async () => {
    expect(await notificationWaker('Svc')).toBeUndefined();
  });

  it('a notification ends the pause at once; without one the pause lasts its time', async () => {
    const source = drivenSource();
    const waker = (await notificationWaker('Svc'))!;
    const began = performance.now();
    const woken = waker.wake(5_000);
    source.fire(ServiceState.RUNNING);
    await woken;
    expect(performance.now() - began).toBeLessThan(1_000);

    const quiet = performance.now();
    await waker.wake(60);
    expect(performance.now() - quiet).toBeGreaterThanOrEqual(55);
    await waker.close();
    expect(source.closed()).toBe(1);
  });

  it('a notification that comes between pauses is not lost: the next pause ends at once', async () => {
    const source = drivenSource();
    const waker = (await notificationWaker('Svc'))!;
    source.fire(ServiceState.STOP_PENDING);
    const began = performance.now();
    await waker.wake(5_000);
    expect(performance.now() - began).toBeLessThan(1_000);
    await waker.close();
  });

  it('waitUntilState with notifications: woken by the change, not after its (longer) poll interval', async () => {
    const source = drivenSource();
    const waker = (await notificationWaker('Svc'))!;
    const states = [status(ServiceState.START_PENDING, 1), status(ServiceState.START_PENDING, 1), status(ServiceState.RUNNING)];
    let queries = 0;
    const query = () => {
      const answer = states[Math.min(queries++, states.length - 1)]!;
      // The SCM notifies as the service moves on, right after the first look.
      if (queries === 1) setTimeout(() => source.fire(ServiceState.RUNNING), 10);
      return answer;
    };
    const began = performance.now();
    const reached = await waitUntilState('Svc', ServiceState.RUNNING, Date.now() + 30_000, 30_000, {
      query,
      pollMaxMs: POLL_MAX_NOTIFIED_MS,
      sleep: waker.wake,
    });
    expect(reached.stateName).toBe('RUNNING');
    // Polling alone would have slept at least 200 ms (a tenth of the 2 s wait hint) twice.
    expect(performance.now() - began).toBeLessThan(300);
    await waker.close();
  });
});
