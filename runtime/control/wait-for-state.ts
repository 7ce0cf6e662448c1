/**
 * Waiting for a service to reach a state, as the SCM documents it: poll at a tenth of the wait
 * hint (within bounds; longer where a notification wakes it at each change), give up when the checkpoint has not moved for a wait hint or the deadline
 * passes, and fail at once when the service settles in another state. Kept apart from the SCM
 * connection, with the status query and the clock passed in, so it is unit-tested without Windows.
 * https://learn.microsoft.com/windows/win32/services/starting-a-service
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { WindowsError } from '../win32/windows-error.ts';
import { PENDING_STATES, stateName, type ServiceState } from '../service/constants.ts';
import { ServiceErrorCode } from './service-errors.ts';
import type { ServiceStatusInfo } from './status.ts';

/** The documented polling bounds are one and ten seconds; a local SCM answers fast enough to poll more often. */
export const POLL_MIN_MS = 50;
export const POLL_MAX_LOCAL_MS = 250;
export const POLL_MAX_REMOTE_MS = 10_000;
/**
 * With notifications (NotifyServiceStatusChangeW) a state change wakes the wait at once; it still
 * queries this often to see a pending service's checkpoint move (no notification says that).
 */
export const POLL_MAX_NOTIFIED_MS = 1_000;
/** A pending service whose checkpoint has not moved for its wait hint (at least this long) is hung. */
export const MIN_PROGRESS_WAIT_MS = 5_000;

/** What a wait needs besides the service: its status, the time, a pause. Real ones by default. */
export interface WaitSeams {
  query(): ServiceStatusInfo;
  now?: () => number;
  /** Pauses between queries; a notification source's pause ends early when the status changes. */
  sleep?: (ms: number) => Promise<unknown>;
  /** Poll at most this often (ms): POLL_MAX_LOCAL_MS, or POLL_MAX_REMOTE_MS for another machine. */
  pollMaxMs?: number;
  /**
   * The settled state a control just accepted moves the service out of (RUNNING for a pause).
   * A service may report its pending state only after its handler has returned (NodeService's
   * host hands the control to the service's thread first), so seeing this state is not the end
   * of the wait until it has lasted MIN_PROGRESS_WAIT_MS.
   */
  leaving?: ServiceState;
}

/**
 * Resolves with the status once the service is in `state`; throws a WindowsError naming `name`
 * when it settles elsewhere (its exit code, or ERROR_SERVICE_NOT_ACTIVE), when its checkpoint
 * stops moving, or at `deadline` (ERROR_SERVICE_REQUEST_TIMEOUT; `timeout` is what the message names).
 */
export async function waitUntilState(
  name: string,
  state: ServiceState,
  deadline: number,
  timeout: number,
  seams: WaitSeams,
): Promise<ServiceStatusInfo> {
  const now = seams.now ?? Date.now;
  const pause = seams.sleep ?? sleep;
  const pollMax = seams.pollMaxMs ?? POLL_MAX_LOCAL_MS;
  let checkPoint = -1;
  let left = false;
  let progressAt = now();
  for (;;) {
    const status = seams.query();
    if (status.currentState === state) return status;
    const at = now();
    // Once it was pending, back in the state it left means the control failed (a svcPause that threw).
    if (PENDING_STATES.has(status.currentState)) left = true;
    const notYetLeft = !left && status.currentState === seams.leaving;
    if (!PENDING_STATES.has(status.currentState) && !notYetLeft) throw settledError(status, state);
    if (status.checkPoint !== checkPoint) {
      checkPoint = status.checkPoint;
      progressAt = at;
    }
    const hung = at - progressAt > Math.max(status.waitHint, MIN_PROGRESS_WAIT_MS);
    if (hung && notYetLeft) throw settledError(status, state);
    if (hung || at >= deadline) {
      const why = hung ? `its checkpoint has not moved for its wait hint of ${status.waitHint} ms` : `after ${timeout} ms`;
      throw new WindowsError(
        'QueryServiceStatusEx',
        ServiceErrorCode.ERROR_SERVICE_REQUEST_TIMEOUT,
        `the ${name} service is still ${status.stateName} (${why}), not ${stateName(state)}`,
      );
    }
    await pause(Math.min(pollMax, Math.max(POLL_MIN_MS, status.waitHint / 10), Math.max(0, deadline - at)));
  }
}

/** The error of a wait that ended in another settled state. */
export function settledError(status: ServiceStatusInfo, wanted: ServiceState): WindowsError {
  const codes = status.win32ExitCode
    ? ` (exit code ${status.win32ExitCode}${status.serviceSpecificExitCode ? `, service code ${status.serviceSpecificExitCode}` : ''})`
    : '';
  const code = status.win32ExitCode || ServiceErrorCode.ERROR_SERVICE_NOT_ACTIVE;
  return new WindowsError(
    'QueryServiceStatusEx',
    code,
    `the ${status.name} service is ${status.stateName}${codes}, not ${stateName(wanted)}`,
  );
}
