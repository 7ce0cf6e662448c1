/**
 * What a service's thread and its supervisor on the main thread say to each other, and the check of
 * what the thread sends. Apart from the thread's program (service-worker.ts) so that host.exe's main
 * script, which needs only this of it, does not bundle and evaluate the runtime the thread loads for
 * its service (issue 13, cost).
 * @module
 */
import { isDeviceInterfaceList } from '../../runtime/service/device-interfaces.ts';
import type { ServiceEvent } from '../../runtime/service/events.ts';
import type { ServiceStatus } from '../../runtime/win32/advapi32/services.ts';
import type { EventLogType } from '../../runtime/eventlog/service-log.ts';

/** What the main thread sends a service's thread: a control the supervisor accepted, with its event decoded. */
export interface ToWorker {
  control: number;
  event?: ServiceEvent;
  /** A query's sequence number: its answer goes back through the shared slot (query-answers.ts). */
  query?: number;
}

/** The supervisor's go once it has taken the loaded service in: only then does svcDoRun start. */
export interface RunMessage {
  run: true;
  /** Where the answers to queries go (query-answers.ts). */
  answers?: SharedArrayBuffer;
}

/** What the loaded service is: the supervisor answers controls and keeps deadlines from it. */
export interface LoadedInfo {
  name: string;
  /** The controls that follow from its methods, as the raw mask (an AcceptedControls does not survive postMessage's clone). */
  accepted: number;
  /** It has svcOtherControl. */
  userControls: boolean;
  /** Its svcStopTimeout (ms; Infinity: no limit). */
  stopTimeoutMs: number;
  /** It has svcDeviceEvent. */
  deviceEvents: boolean;
  /** Its svcDeviceInterfaces, checked (device-interfaces.ts): the main thread registers them. */
  deviceInterfaces: string[];
}

/** What a service's thread sends the main thread. */
export type FromWorker =
  | { loaded: LoadedInfo }
  | { status: ServiceStatus }
  | { child: number; exited: boolean }
  | { exitCalled: { code: number; stack: string } }
  | { entry: LogEntry };

/**
 * An Event Log entry the service (or the host about it) logged in its thread, in debug mode: the
 * main thread prints it, in order with the statuses, so none is lost when the thread is ended
 * right after its last status.
 */
export interface LogEntry {
  source: string;
  type: EventLogType;
  id: number;
  inserts: readonly string[];
}

const STATE_MIN = 1;
const STATE_MAX = 7;
const isUint32 = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;

/**
 * A message from a service's thread, checked: anything else (the service's code can post on the
 * thread's ports too) is undefined and ignored, never an exception on the main thread.
 */
export function parseFromWorker(value: unknown): FromWorker | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if ('status' in message) {
    const status = message.status as Record<string, unknown> | null;
    if (typeof status !== 'object' || status === null) return undefined;
    const { currentState, waitHint, serviceSpecificExitCode, win32ExitCode } = status;
    if (!isUint32(currentState) || currentState < STATE_MIN || currentState > STATE_MAX) return undefined;
    if (!isUint32(waitHint) || !isUint32(serviceSpecificExitCode) || !isUint32(win32ExitCode)) return undefined;
    return { status: status as unknown as ServiceStatus };
  }
  if ('loaded' in message) {
    const loaded = message.loaded as Record<string, unknown> | null;
    if (typeof loaded !== 'object' || loaded === null || typeof loaded.name !== 'string' || !isUint32(loaded.accepted)) return undefined;
    if (typeof loaded.userControls !== 'boolean' || typeof loaded.stopTimeoutMs !== 'number' || !(loaded.stopTimeoutMs > 0))
      return undefined;
    // Checked again here: the main thread hands them to RegisterDeviceNotificationW.
    if (typeof loaded.deviceEvents !== 'boolean' || !isDeviceInterfaceList(loaded.deviceInterfaces)) return undefined;
    return { loaded: loaded as unknown as LoadedInfo };
  }
  if ('child' in message)
    return isUint32(message.child) && typeof message.exited === 'boolean' ? (message as unknown as FromWorker) : undefined;
  if ('exitCalled' in message) {
    const called = message.exitCalled as Record<string, unknown> | null;
    return typeof called === 'object' && called !== null && Number.isInteger(called.code) && typeof called.stack === 'string'
      ? (message as unknown as FromWorker)
      : undefined;
  }
  if ('entry' in message) {
    const entry = message.entry as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null || typeof entry.source !== 'string' || !isUint32(entry.type) || !isUint32(entry.id))
      return undefined;
    return Array.isArray(entry.inserts) && entry.inserts.every((insert) => typeof insert === 'string')
      ? (message as unknown as FromWorker)
      : undefined;
  }
  return undefined;
}
