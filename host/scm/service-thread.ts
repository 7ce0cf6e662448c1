/**
 * Starting a service's thread: a worker evaluating the service thread's own program (an asset of
 * host.exe's SEA; service-thread-entry.ts says why it is not host.exe's bundle), and the one started
 * ahead of its service.
 *
 * The thread started ahead needs nothing from the host until its service is known: what it needs
 * (its launch, the koffi addon's file, the report lock) comes later, as one ThreadStart. Where it
 * starts (host/main.ts): once the SCM side is loaded, before the dispatcher connects. Started before
 * that, first thing, its bootstrap (the longest part of a service's start, ~200 ms under Wine on a
 * busy 2-core machine) took the CPU from the main thread: ServiceMain came 25–140 ms later and
 * RUNNING no sooner (`npm run bench`, README "Where a start's time goes").
 * @module
 */
import { getAsset, isSea } from 'node:sea';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { ServiceLaunch } from './service-launch.ts';

/** What a service's thread needs to run its service: in its workerData, or as the first message of a thread started ahead. */
export interface ThreadStart {
  launch: ServiceLaunch;
  /** The koffi addon the main thread checked and loaded (native-addon.ts adoptKoffiAddon). */
  koffiAddon: string;
  /** The process's one diagnostic-report lock (diagnostics.ts). */
  reportLock: Int32Array;
}

/** The key of the supervisor's entry in a service thread's workerData. */
export const WORKER_DATA_KEY = 'nodeservice.service';

/** The supervisor's entry in a service thread's workerData. */
export interface WorkerStart {
  /** What to run; absent in a thread started ahead of its service, which receives it first thing. */
  start?: ThreadStart;
  /**
   * The thread's end of a private channel to its supervisor. Not parentPort, which the service's
   * own code can reach: taken out of workerData before the module loads.
   */
  port: MessagePort;
}

/** A worker and the main thread's end of its private channel. */
export interface ServiceWorker {
  worker: Worker;
  port: MessagePort;
}

/** The SEA asset holding the service thread's program (service-thread-entry.ts; named in build/bundle.ts). */
const SERVICE_THREAD_ASSET = 'service-thread.cjs';

function serviceThreadSource(): string {
  if (!isSea()) throw new Error('a service thread runs only in host.exe, which carries its program');
  return getAsset(SERVICE_THREAD_ASSET, 'utf8');
}

/** Starts a service's thread; `start` undefined: sent later. `capture`: its stdout and stderr come to this thread instead of the process's. */
export function newServiceWorker(start: ThreadStart | undefined, capture: boolean): ServiceWorker {
  const { port1, port2 } = new MessageChannel();
  const workerData = { [WORKER_DATA_KEY]: { start, port: port2 } satisfies WorkerStart };
  const worker = new Worker(serviceThreadSource(), { eval: true, workerData, transferList: [port2], stdout: capture, stderr: capture });
  return { worker, port: port1 };
}

/** A service thread started ahead of its service, and whether it died while it waited. */
let prewarmed: (ServiceWorker & { dead: boolean }) | undefined;

/**
 * Starts a service thread before the SCM says which service to run, so that its isolate and Node's
 * bootstrap in it run while the main thread loads the host and the dispatcher connects: the first
 * service of the process takes it (takePrewarmed). Discarded when nobody takes it.
 */
export function prewarmServiceThread(): void {
  // Under the SCM, where output is captured (the process has no console): a service installed
  // with `--log none` discards it (takePrewarmed).
  const entry = { ...newServiceWorker(undefined, true), dead: false };
  // Until a supervisor takes it, its failure only means the next start makes a new thread.
  const died = () => {
    entry.dead = true;
  };
  entry.worker.once('error', died);
  entry.worker.once('exit', died);
  entry.worker.unref();
  entry.port.unref();
  prewarmed = entry;
}

/** Ends the thread prewarmServiceThread started when no service took it. */
export function discardPrewarmed(): void {
  void prewarmed?.worker.terminate();
  prewarmed = undefined;
}

/** The thread started ahead, sent `start`; undefined when there is none (or it died). */
export function takePrewarmed(start: ThreadStart, capture: boolean): ServiceWorker | undefined {
  const entry = prewarmed;
  prewarmed = undefined;
  if (!entry || entry.dead) return undefined;
  if (!capture) {
    // Its stdio was made to be captured: read and drop it, so the service never waits on it.
    entry.worker.stdout.resume();
    entry.worker.stderr.resume();
  }
  entry.worker.ref();
  entry.port.ref();
  entry.port.postMessage(start);
  return entry;
}
