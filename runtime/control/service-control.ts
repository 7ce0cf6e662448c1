/**
 * Controlling any service from JavaScript, as win32serviceutil does for Python: start, stop,
 * pause, continue, query, and wait for a state. Handles are closed before each function returns.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  closeServiceHandle,
  controlService,
  openSCManager,
  openService,
  queryServiceStatusEx,
  ScmAccess,
  ServiceAccess,
  startService,
  type ScHandle,
  type ServiceStatusProcess,
} from '../win32/advapi32/services.ts';
import { PENDING_STATES, ServiceControl, ServiceState, stateName } from '../service/constants.ts';


/** A service's status, with its state named. */
export interface ServiceStatusInfo extends ServiceStatusProcess {
  /** The service's name. */
  name: string;
  /** `currentState` as a name, e.g. 'RUNNING'. */
  stateName: string;
}

/** Where a service lives: this machine unless `machine` names another. */
export interface Target {
  machine?: string;
}

/** Options for functions that wait for a state. */
export interface WaitOptions extends Target {
  /** Milliseconds before giving up (default 30 000). */
  timeout?: number;
}

/** Opens the SCM with `access`, runs `use`, and closes it. */
export function withScm<T>(access: number, use: (scm: ScHandle) => T, target: Target = {}): T {
  const scm = openSCManager(target.machine ?? null, access);
  try {
    return use(scm);
  } finally {
    closeServiceHandle(scm);
  }
}

/** Opens the SCM and a service with `access`, runs `use`, and closes both. */
export function withService<T>(name: string, access: number, use: (service: ScHandle) => T, target: Target = {}): T {
  return withScm(
    ScmAccess.CONNECT,
    (scm) => {
      const service = openService(scm, name, access);
      try {
        return use(service);
      } finally {
        closeServiceHandle(service);
      }
    },
    target,
  );
}

/** The service's current status. Throws WindowsError 1060 when there is no such service. */
export function queryStatus(name: string, target: Target = {}): ServiceStatusInfo {
  const status = withService(name, ServiceAccess.QUERY_STATUS, queryServiceStatusEx, target);
  return { name, ...status, stateName: stateName(status.currentState) };
}

/**
 * Waits until the service reaches `state`, polling as the SCM documents: every tenth of the wait
 * hint, but at least every 250 ms for quick local services. Throws when the timeout passes or
 * the service settles in another state (a failed start ends STOPPED, with its exit code).
 */
export async function waitForState(name: string, state: ServiceState, options: WaitOptions = {}): Promise<ServiceStatusInfo> {
  const deadline = Date.now() + (options.timeout ?? 30_000);
  for (;;) {
    const status = queryStatus(name, options);
    if (status.currentState === state) return status;
    if (!PENDING_STATES.has(status.currentState) || Date.now() >= deadline) {
      const exit = status.win32ExitCode ? ` (exit code ${status.win32ExitCode}${status.serviceSpecificExitCode ? `, service code ${status.serviceSpecificExitCode}` : ''})` : '';
      const waited = PENDING_STATES.has(status.currentState) ? ` after ${options.timeout ?? 30_000} ms` : '';
      throw new Error(`the ${name} service is ${status.stateName}${exit}${waited}, not ${stateName(state)}`);
    }
    await sleep(Math.min(250, Math.max(50, status.waitHint / 10)));
  }
}

/** Starts the service with `args` and waits until it is RUNNING. */
export async function start(name: string, args: readonly string[] = [], options: WaitOptions = {}): Promise<ServiceStatusInfo> {
  withService(name, ServiceAccess.START, (service) => startService(service, args), options);
  return waitForState(name, ServiceState.RUNNING, options);
}

/** Sends `control` to the service (a ServiceControl or a user code 128–255) and returns the status it reported. */
export function control(name: string, code: number, target: Target = {}): ServiceStatusInfo {
  const access = code >= 128 ? ServiceAccess.USER_DEFINED_CONTROL : code === ServiceControl.STOP ? ServiceAccess.STOP : code === ServiceControl.INTERROGATE ? ServiceAccess.INTERROGATE : ServiceAccess.PAUSE_CONTINUE;
  const status = withService(name, access, (service) => controlService(service, code), target);
  return { name, processId: 0, serviceFlags: 0, ...status, stateName: stateName(status.currentState) };
}

/** Stops the service and waits until it is STOPPED. */
export async function stop(name: string, options: WaitOptions = {}): Promise<ServiceStatusInfo> {
  control(name, ServiceControl.STOP, options);
  return waitForState(name, ServiceState.STOPPED, options);
}

/** Pauses the service and waits until it is PAUSED. */
export async function pause(name: string, options: WaitOptions = {}): Promise<ServiceStatusInfo> {
  control(name, ServiceControl.PAUSE, options);
  return waitForState(name, ServiceState.PAUSED, options);
}

/** Resumes a paused service and waits until it is RUNNING. */
async function resume(name: string, options: WaitOptions = {}): Promise<ServiceStatusInfo> {
  control(name, ServiceControl.CONTINUE, options);
  return waitForState(name, ServiceState.RUNNING, options);
}
export { resume as continue };

/** Stops the service if it runs, then starts it. */
export async function restart(name: string, options: WaitOptions = {}): Promise<ServiceStatusInfo> {
  if (queryStatus(name, options).currentState !== ServiceState.STOPPED) await stop(name, options);
  return start(name, [], options);
}
