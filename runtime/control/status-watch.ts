/**
 * Watching services' statuses: one interface for the two ways Windows allows. Notifications
 * (NotifyServiceStatusChangeW) need a thread that waits alertably, which only host.exe can start (a
 * worker evaluating a program it carries, host/cli/status-notify.ts); so the host registers that source
 * here when its command line starts, and everything else (a script, a service's own thread, a
 * Windows or Wine without notifications) polls. Keeping the worker out of the runtime keeps it out
 * of every service's start path: the service thread's bundle never contains it.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceStatusInfo } from './status.ts';
import { ServiceErrorCode } from './service-errors.ts';
import { isWindowsError } from '../win32/windows-error.ts';
import { ErrorCode } from '../win32/errors.ts';

/** What a watch reports. `at` is the time it was seen (ms since the epoch). */
export type StatusEvent =
  | { kind: 'status'; service: string; at: number; status: ServiceStatusInfo }
  | { kind: 'deleted'; service: string; at: number }
  | { kind: 'error'; service: string; at: number; error: Error };

/** A watch in progress: how it learns of changes, and how to end it. */
export interface StatusWatch {
  /** `notify`: the SCM tells (NotifyServiceStatusChangeW); `poll`: the status is queried every `pollMs`. */
  readonly mode: 'notify' | 'poll';
  /** Ends the watch; resolves once its thread (if any) has ended. */
  close(): Promise<void>;
}

/** What starting a watch needs. */
export interface WatchRequest {
  services: readonly string[];
  onEvent: (event: StatusEvent) => void;
  /** The SCM's machine (undefined: this one). */
  machine?: string;
  /**
   * An SCM connection of the caller's the watch may use (scHandleAddress), open until the watch is
   * closed: a command then keeps to one connection (the SCM counts and logs each).
   */
  connection?: bigint;
}

/** A source of notifications: starts a watch, or returns undefined when it cannot (then polling is used). */
export type NotifySource = (request: WatchRequest) => Promise<StatusWatch | undefined>;

let notifySource: NotifySource | undefined;

/** host.exe's command line registers its notification thread here (host/cli/status-notify.ts). */
export function setNotifySource(source: NotifySource | undefined): void {
  notifySource = source;
}

/** How often a polling watch queries (ms). */
export const WATCH_POLL_MS = 250;

/** Whether an error says the service is gone (1060) or going (1072). */
export function isGoneError(error: unknown): boolean {
  return (
    isWindowsError(error) &&
    (error.code === ServiceErrorCode.ERROR_SERVICE_DOES_NOT_EXIST || error.code === ErrorCode.ERROR_SERVICE_MARKED_FOR_DELETE)
  );
}

/** What a polling watch needs: the status query, and for tests a clock and a pause. */
export interface PollSeams {
  query(service: string): ServiceStatusInfo;
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
  pollMs?: number;
}

/**
 * Polls each service every `pollMs` and reports each status (the caller keeps what changed), the
 * service's deletion (its watch ends) or an error (likewise).
 */
export function pollStatus(request: WatchRequest, seams: PollSeams): StatusWatch {
  const now = seams.now ?? Date.now;
  const pause = seams.sleep ?? sleep;
  const pollMs = seams.pollMs ?? WATCH_POLL_MS;
  let closed = false;
  const live = new Set(request.services);
  const loop = (async () => {
    while (!closed && live.size > 0) {
      for (const service of [...live]) {
        try {
          request.onEvent({ kind: 'status', service, at: now(), status: seams.query(service) });
        } catch (error) {
          live.delete(service);
          if (isGoneError(error)) request.onEvent({ kind: 'deleted', service, at: now() });
          else request.onEvent({ kind: 'error', service, at: now(), error: error as Error });
        }
      }
      if (live.size > 0 && !closed) await pause(pollMs);
    }
  })();
  return {
    mode: 'poll',
    close: async () => {
      closed = true;
      await loop;
    },
  };
}

/**
 * Watches `request.services`: through the registered notification source when there is one and
 * it can (the host's thread), else by polling with `seams`.
 */
export async function watchStatus(request: WatchRequest, seams: PollSeams): Promise<StatusWatch> {
  const notified = notifySource === undefined ? undefined : await notifySource(request);
  return notified ?? pollStatus(request, seams);
}

/** A wait's pause that ends early when a notification comes: what waitUntilState's `sleep` seam takes. */
export interface Waker {
  /** Resolves after `ms`, or sooner when the service's status changes. */
  wake(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A waker for `service` through the registered notification source, or undefined (no source, or it
 * cannot: the wait then just polls). Events only wake the wait; it queries the status itself.
 */
export async function notificationWaker(service: string, machine?: string, connection?: bigint): Promise<Waker | undefined> {
  if (notifySource === undefined) return undefined;
  let pending: (() => void) | undefined;
  let missed = false;
  const onEvent = () => {
    if (pending) pending();
    else missed = true;
  };
  const watch = await notifySource({ services: [service], onEvent, machine, connection });
  if (watch === undefined) return undefined;
  return {
    async wake(ms) {
      if (missed) {
        missed = false;
        return;
      }
      const controller = new AbortController();
      await Promise.race([
        sleep(ms, undefined, { signal: controller.signal }).catch(() => {}),
        new Promise<void>((resolve) => {
          pending = resolve;
        }),
      ]);
      pending = undefined;
      controller.abort();
    },
    close: () => watch.close(),
  };
}
