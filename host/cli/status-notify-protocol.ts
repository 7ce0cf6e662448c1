/**
 * What host/cli/status-notify.ts and its thread (status-notify-thread.ts) say to each other: kept
 * apart so each side imports only these types, not the other's code.
 * @module
 */
import type { ServiceStatusProcess } from '../../runtime/win32/advapi32/services.ts';

/** What the thread is started with. */
export interface NotifyThreadData {
  /** The koffi addon the main thread checked and loaded (the thread loads the same file). */
  addon: string;
  services: string[];
  /** The SCM's machine; null: this one. */
  machine: string | null;
  /** The caller's SCM handle (scHandleAddress) to use instead of opening one; the caller closes it. */
  connection: bigint | null;
}

/**
 * What the thread posts: `ready` once every service is registered (or `unsupported`, then it
 * ends and the caller polls), then each notification, deletion or failed registration.
 */
export type NotifyThreadMessage =
  | { kind: 'ready' }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'status'; service: string; at: number; status: ServiceStatusProcess }
  | { kind: 'deleted'; service: string; at: number }
  | { kind: 'error'; service: string; at: number; code: number; functionName: string };
