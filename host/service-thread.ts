/**
 * The main thread's side of a service that runs in a worker thread: starts the worker, passes it
 * the controls, and reports the statuses it sends, or STOPPED with an error when the worker dies
 * (an uncaught throw, `process.exit()`) before its service stopped. See shared-dispatch.ts for why
 * a worker.
 * @module
 */
import { Worker } from 'node:worker_threads';
import { AcceptControl, ServiceControl, ServiceState, ServiceType, Win32Code } from '../runtime/service/constants.ts';
import { DEFAULT_FAILURE_EXIT_CODE, describeError, type ServiceEvents } from '../runtime/service/runner.ts';
import { StatusReporter } from '../runtime/service/status-reporter.ts';
import type { ServiceStatus } from '../runtime/win32/advapi32/services.ts';
import { serviceWorkerData, type FromWorker, type ToWorker } from './service-worker.ts';

/** HandlerEx's answer for a control the worker will handle, from what the service reported it accepts. */
function controlResult(control: number, accepted: number, userControls: boolean): number {
  switch (control) {
    case ServiceControl.STOP:
    case ServiceControl.INTERROGATE:
      return Win32Code.NO_ERROR;
    case ServiceControl.PAUSE:
    case ServiceControl.CONTINUE:
      return accepted & AcceptControl.PAUSE_CONTINUE ? Win32Code.NO_ERROR : Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
    case ServiceControl.SHUTDOWN:
      return accepted & AcceptControl.SHUTDOWN ? Win32Code.NO_ERROR : Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
    default:
      return control >= 128 && control <= 255 && userControls ? Win32Code.NO_ERROR : Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
  }
}

/** Where a service thread's statuses and failures go. */
export interface ServiceThreadOptions {
  /** Receives every status, last of all STOPPED (SetServiceStatus under the SCM). */
  report: (status: ServiceStatus) => void;
  /** Logs that the worker died before its service stopped. */
  failed: ServiceEvents['failed'];
  /** Print the service's Event Log entries instead of writing them (debug mode). */
  console?: boolean;
}

/** One service of a shared process, in its own worker thread. */
export class ServiceThread {
  readonly #worker: Worker;
  readonly #options: ServiceThreadOptions;
  readonly #stopped = Promise.withResolvers<void>();
  #accepted = 0;
  #userControls = false;
  #done = false;

  /** Starts the worker for ServiceMain's `args` (the service's name, then its start arguments). */
  constructor(args: readonly string[], options: ServiceThreadOptions) {
    this.#options = options;
    this.#worker = new Worker(__filename, { workerData: serviceWorkerData(args, options.console ?? false) });
    this.#worker.on('message', (message: FromWorker) => {
      if ('status' in message) this.#report(message.status);
      else this.#userControls = message.userControls;
    });
    this.#worker.on('error', (error) => this.#fail(describeError(error), DEFAULT_FAILURE_EXIT_CODE));
    this.#worker.on('exit', (code) => this.#fail(`the service's thread ended with exit code ${code} before the service stopped`, code || DEFAULT_FAILURE_EXIT_CODE));
  }

  /** Settles when the service has reported STOPPED. */
  get stopped(): Promise<void> {
    return this.#stopped.promise;
  }

  /** Passes a control (HandlerEx) to the service; returns HandlerEx's answer. */
  control(control: number): number {
    if (!this.#done) this.#worker.postMessage({ control } satisfies ToWorker);
    return controlResult(control, this.#accepted, this.#userControls);
  }

  #report(status: ServiceStatus): void {
    if (this.#done) return;
    this.#accepted = status.controlsAccepted;
    if (status.currentState === ServiceState.STOPPED) {
      this.#done = true;
      // Whatever the service left open (sockets, timers) goes with its thread.
      void this.#worker.terminate();
      this.#stopped.resolve();
    }
    this.#options.report(status);
  }

  #fail(reason: string, exitCode: number): void {
    if (this.#done) return;
    this.#options.failed(reason);
    new StatusReporter((status) => this.#report(status), ServiceType.WIN32_SHARE_PROCESS).report(ServiceState.STOPPED, { exitCode });
  }
}
