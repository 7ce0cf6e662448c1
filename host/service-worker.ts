/**
 * A worker thread of a shared host process: it runs one service (a HostedService, as a process of
 * its own would) and talks over its port to the main thread, which owns the service's SCM side
 * (ServiceMain, HandlerEx, SetServiceStatus on the service's status handle).
 * @module
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ServiceType } from '../runtime/service/constants.ts';
import { StatusReporter } from '../runtime/service/status-reporter.ts';
import type { ServiceStatus } from '../runtime/win32/advapi32/services.ts';
import { eventLogSink, setEventLogSink } from '../runtime/eventlog/servicemanager.ts';
import { HostedService } from './hosted-service.ts';
import { consoleSink } from './service-events.ts';

/** What the main thread sends a service's worker: a control from HandlerEx. */
export interface ToWorker {
  control: number;
}

/** What a service's worker sends the main thread: a status to report, or what the loaded service accepts. */
export type FromWorker = { status: ServiceStatus } | { userControls: boolean };

const WORKER_DATA_KEY = 'nodeservice.service';

interface WorkerStart {
  /** ServiceMain's arguments: the service's name, then its start arguments. */
  args: readonly string[];
  /** Print Event Log entries (debug mode) instead of writing them. */
  console: boolean;
}

/** The workerData of the worker that runs the service ServiceMain was called for with `args`. */
export function serviceWorkerData(args: readonly string[], console: boolean): Record<string, unknown> {
  return { [WORKER_DATA_KEY]: { args, console } satisfies WorkerStart };
}

function workerStart(): WorkerStart | undefined {
  if (isMainThread) return undefined;
  return (workerData as Record<string, WorkerStart | undefined> | null)?.[WORKER_DATA_KEY];
}

/** True in a service's worker thread (host.exe's bundle runs there too, from its first line). */
export function isServiceWorker(): boolean {
  return workerStart() !== undefined;
}

/**
 * Runs this worker's service to its end. Its Event Log entries go to its own source: the sink is
 * per thread, as every module of the bundle is loaded afresh in a worker.
 */
export async function runServiceWorker(): Promise<void> {
  const port = parentPort!;
  const start = workerStart()!;
  const service = new HostedService(start.args);
  setEventLogSink(start.console ? consoleSink(service.name) : eventLogSink(service.name));
  port.on('message', (message: ToWorker) => service.handleControl(message.control));
  const reporter = new StatusReporter((status) => port.postMessage({ status } satisfies FromWorker), ServiceType.WIN32_SHARE_PROCESS);
  await service.run(reporter, (userControls) => port.postMessage({ userControls } satisfies FromWorker));
}
