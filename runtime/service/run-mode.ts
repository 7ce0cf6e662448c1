/**
 * Where the code runs: in a service started by the SCM, under `host.exe debug`, or neither (a
 * script, a test). A service's thread is told by the host before the service's module loads, so
 * these answer from the module's top level on; they are module state because a service's thread
 * has its own copy of the runtime (a worker's modules are its own), and in any other thread or
 * process nobody sets them.
 * @module
 */

/** SERVICE_START_REASON.dwReason flags (winsvc.h SERVICE_START_REASON_*). */
export const StartReasonFlag = {
  DEMAND: 0x1,
  AUTO: 0x2,
  TRIGGER: 0x4,
  RESTART_ON_FAILURE: 0x8,
  DELAYEDAUTO: 0x10,
} as const;

/** Why the SCM started the service; several can hold at once (a delayed automatic start is 'auto' and 'delayed-auto'). */
export type StartReason = 'demand' | 'auto' | 'trigger' | 'restart-on-failure' | 'delayed-auto';

const NAMES: readonly [number, StartReason][] = [
  [StartReasonFlag.DEMAND, 'demand'],
  [StartReasonFlag.AUTO, 'auto'],
  [StartReasonFlag.TRIGGER, 'trigger'],
  [StartReasonFlag.RESTART_ON_FAILURE, 'restart-on-failure'],
  [StartReasonFlag.DELAYEDAUTO, 'delayed-auto'],
];

/** The names of SERVICE_START_REASON flags; bits without a name are left out. */
export function startReasonNames(flags: number): StartReason[] {
  return NAMES.filter(([flag]) => flags & flag).map(([, name]) => name);
}

/** How the host runs this thread's service. Internal: set by the host. */
export interface RunMode {
  debugging: boolean;
  /** SERVICE_START_REASON flags; undefined where Windows cannot tell (Wine, Windows 7, debug). */
  startReason?: number;
}

let current: RunMode | undefined;

/** Records how this thread's service runs. Called by the host before the service's module loads. Internal. */
export function setRunMode(mode: RunMode): void {
  current = { ...mode };
}

/** True in a service the SCM started (its module, its svc* methods, anything they call in its thread). False under `host.exe debug` and anywhere else. */
export function isService(): boolean {
  return current !== undefined && !current.debugging;
}

/** True in a service run by `host.exe debug` (the console, Ctrl+C to stop). */
export function isDebugging(): boolean {
  return current?.debugging === true;
}

/**
 * Why the SCM started this service (QueryServiceDynamicInformation), e.g. ['demand']; undefined
 * where Windows cannot tell: Windows 7, Wine (which lacks the function), `host.exe debug`, or not in a service.
 */
export function startReason(): readonly StartReason[] | undefined {
  return current?.startReason === undefined ? undefined : startReasonNames(current.startReason);
}
