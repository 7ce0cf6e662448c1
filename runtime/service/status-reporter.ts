/**
 * Keeps a service's SERVICE_STATUS and sends it to the SCM: checkpoints rise within a pending
 * state and reset outside it, only STOP is accepted while starting (the host can always end a
 * service that is still loading) and nothing once stopped, and a service-specific exit code comes
 * with ERROR_SERVICE_SPECIFIC_ERROR (a plain Win32 exit code goes alone).
 * @module
 */
import { PENDING_STATES, ServiceState, Win32Code } from './constants.ts';
import { AcceptedControls } from './service-flags.ts';
import type { ServiceStatus } from '../win32/advapi32/services.ts';
import type { StatusOptions } from './framework.ts';

/** SERVICE_STATUS as sent to the SCM. */
export type ReportedStatus = ServiceStatus;

const ONLY_STOP = AcceptedControls.of('STOP');

/** The default wait hint for pending states, in milliseconds. */
export const DEFAULT_WAIT_HINT = 5000;

/** Tracks and reports one service's status. */
export class StatusReporter {
  #last: ReportedStatus;
  readonly #send: (status: ReportedStatus) => void;

  /** @param send delivers a status (SetServiceStatus under the SCM, a console line in debug mode). */
  constructor(send: (status: ReportedStatus) => void, serviceType: number) {
    this.#send = send;
    this.#last = {
      serviceType,
      currentState: ServiceState.STOPPED,
      controlsAccepted: 0,
      win32ExitCode: 0,
      serviceSpecificExitCode: 0,
      checkPoint: 0,
      waitHint: 0,
    };
  }

  /** The controls the service accepts once started. */
  controlsAccepted: AcceptedControls = AcceptedControls.NONE;

  /** The state last reported. */
  get state(): ServiceState {
    return this.#last.currentState as ServiceState;
  }

  /** Reports `state`. */
  report(state: ServiceState, options: StatusOptions = {}): void {
    const pending = PENDING_STATES.has(state);
    const checkPoint = pending ? (options.checkPoint ?? (state === this.#last.currentState ? this.#last.checkPoint + 1 : 1)) : 0;
    const exitCode = options.exitCode ?? 0;
    // A service-specific code wins; a plain Win32 code is reported as it is (exit-codes.ts).
    const win32ExitCode = exitCode !== 0 ? Win32Code.ERROR_SERVICE_SPECIFIC_ERROR : (options.win32ExitCode ?? Win32Code.NO_ERROR);
    const accepted =
      state === ServiceState.STOPPED
        ? AcceptedControls.NONE
        : state === ServiceState.START_PENDING
          ? this.controlsAccepted.intersect(ONLY_STOP)
          : this.controlsAccepted;
    this.#last = {
      serviceType: this.#last.serviceType,
      currentState: state,
      controlsAccepted: accepted.raw,
      win32ExitCode,
      serviceSpecificExitCode: exitCode,
      checkPoint,
      waitHint: pending ? (options.waitHint ?? DEFAULT_WAIT_HINT) : 0,
    };
    this.#send({ ...this.#last });
  }

  /** Sends the last status again (the answer to INTERROGATE). */
  resend(): void {
    this.#send({ ...this.#last });
  }
}
