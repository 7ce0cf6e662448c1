/**
 * The Windows side's measurements of a service: how long StartServiceW takes to return (the
 * dispatcher has taken the start: ServiceMain is on its way), how long until RUNNING, how long a
 * stop takes until STOPPED, and the service process's memory (GetProcessMemoryInfo).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceControl, ServiceState } from '../../runtime/service/constants.ts';
import { closeHandle, openProcess, ProcessAccess } from '../../runtime/win32/kernel32.ts';
import { OwnedHandle } from '../../runtime/win32/owned-handle.ts';
import { getProcessMemoryInfo, type ProcessMemoryCounters } from '../../runtime/win32/psapi.ts';
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
} from '../../runtime/win32/advapi32/services.ts';

/** How often the state is polled while timing: fine enough for tens of milliseconds. */
const POLL_MS = 2;
/** How long a state may take before the probe gives up. */
const STATE_TIMEOUT_MS = 60_000;

/** One start and stop of one service. */
export interface LifecycleSample {
  pid: number;
  /** StartServiceW call → return. */
  startReturnedMs: number;
  /** StartServiceW call → RUNNING seen. */
  runningMs: number;
  /** Stop control sent → STOPPED seen. */
  stoppedMs: number;
  memory: ProcessMemoryCounters;
}

/**
 * A service opened for the probe, with the SCM connection it came from; `using` closes both. The
 * probe keeps the raw advapi32 calls (no ServiceManager between the timer and StartServiceW).
 */
export class ProbeService implements Disposable {
  readonly #scm: OwnedHandle<ScHandle>;
  readonly #service: OwnedHandle<ScHandle>;

  constructor(name: string) {
    this.#scm = new OwnedHandle(openSCManager(null, ScmAccess.CONNECT), closeServiceHandle, 'SCM handle');
    try {
      const handle = openService(this.#scm.handle, name, ServiceAccess.QUERY_STATUS | ServiceAccess.START | ServiceAccess.STOP);
      this.#service = new OwnedHandle(handle, closeServiceHandle, `handle to ${name}`);
    } catch (error) {
      this.#scm[Symbol.dispose]();
      throw error;
    }
  }

  get handle(): ScHandle {
    return this.#service.handle;
  }

  [Symbol.dispose](): void {
    this.#service[Symbol.dispose]();
    this.#scm[Symbol.dispose]();
  }
}

/** Polls until the service is in `state`; throws if it settles in another one. */
export async function waitFor(service: ScHandle, state: number): Promise<ServiceStatusProcess> {
  const deadline = performance.now() + STATE_TIMEOUT_MS;
  for (;;) {
    const status = queryServiceStatusEx(service);
    if (status.currentState === state) return status;
    if (status.currentState === ServiceState.STOPPED || performance.now() > deadline) {
      throw new Error(
        `the service is in state ${status.currentState} (exit code ${status.win32ExitCode}/${status.serviceSpecificExitCode}), not ${state}`,
      );
    }
    await sleep(POLL_MS);
  }
}

/** The memory of process `pid`. */
export function processMemory(pid: number): ProcessMemoryCounters {
  using process = new OwnedHandle(openProcess(ProcessAccess.QUERY_INFORMATION | ProcessAccess.VM_READ, pid), closeHandle, 'process handle');
  return getProcessMemoryInfo(process.handle);
}

/** Starts service `name`, waits for RUNNING, lets it settle, reads its memory, stops it. */
export async function lifecycle(name: string, settleMs: number): Promise<LifecycleSample> {
  using opened = new ProbeService(name);
  const service = opened.handle;
  const started = performance.now();
  await startService(service);
  const startReturnedMs = performance.now() - started;
  const running = await waitFor(service, ServiceState.RUNNING);
  const runningMs = performance.now() - started;
  await sleep(settleMs);
  const memory = processMemory(running.processId);
  const stopping = performance.now();
  await controlService(service, ServiceControl.STOP);
  await waitFor(service, ServiceState.STOPPED);
  const stoppedMs = performance.now() - stopping;
  return { pid: running.processId, startReturnedMs, runningMs, stoppedMs, memory };
}

/** Waits until service `name` is STOPPED (one that stops by itself). */
export async function whenStopped(name: string): Promise<void> {
  using service = new ProbeService(name);
  await waitFor(service.handle, ServiceState.STOPPED);
}
