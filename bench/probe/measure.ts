/**
 * The Windows side's measurements of a service: how long StartServiceW takes to return (the
 * dispatcher has taken the start: ServiceMain is on its way), how long until RUNNING, how long a
 * stop takes until STOPPED, and the service process's memory (GetProcessMemoryInfo).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceControl, ServiceState } from '../../runtime/service/constants.ts';
import { closeHandle, openProcess, ProcessAccess } from '../../runtime/win32/kernel32.ts';
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

/** An open service, for the length of `use`. */
export async function withOpenService<T>(name: string, use: (service: ScHandle) => Promise<T>): Promise<T> {
  const scm = openSCManager(null, ScmAccess.CONNECT);
  try {
    const service = openService(scm, name, ServiceAccess.QUERY_STATUS | ServiceAccess.START | ServiceAccess.STOP);
    try {
      return await use(service);
    } finally {
      closeServiceHandle(service);
    }
  } finally {
    closeServiceHandle(scm);
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
  const process = openProcess(ProcessAccess.QUERY_INFORMATION | ProcessAccess.VM_READ, pid);
  try {
    return getProcessMemoryInfo(process);
  } finally {
    closeHandle(process);
  }
}

/** Starts service `name`, waits for RUNNING, lets it settle, reads its memory, stops it. */
export async function lifecycle(name: string, settleMs: number): Promise<LifecycleSample> {
  return withOpenService(name, async (service) => {
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
  });
}

/** Waits until service `name` is STOPPED (one that stops by itself). */
export async function whenStopped(name: string): Promise<void> {
  await withOpenService(name, (service) => waitFor(service, ServiceState.STOPPED));
}
