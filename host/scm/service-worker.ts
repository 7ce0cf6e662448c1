/**
 * The service's own thread. Every service runs in a worker thread, in a process of its own as in
 * a shared group or `debug` (see supervisor.ts for why): this side loads the module, runs it with
 * a ServiceRunner and tells the supervisor on the main thread what happens, over its port. It
 * never talks to the SCM and keeps no deadline: the main thread does both, because this thread
 * may be stuck in the service's code or dead.
 *
 * It also watches what the service's code does to the process around it: `process.exit()` (which
 * in a worker ends this thread only) is reported with the caller's stack, and every child process
 * it spawns is reported, so the supervisor can end the child and its descendants with the service.
 * @module
 */
import { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';
import { isMainThread, workerData, type MessagePort } from 'node:worker_threads';
import { ServiceState, ServiceType } from '../../runtime/service/constants.ts';
import { LOAD_FAILURE_EXIT_CODE } from '../../runtime/service/exit-codes.ts';
import { deviceInterfaceClasses } from '../../runtime/service/device-interfaces.ts';
import { setRunMode } from '../../runtime/service/run-mode.ts';
import { answerQuery } from './query-answers.ts';
import { controlsAcceptedBy, ServiceRunner, stopTimeoutOf } from '../../runtime/service/runner.ts';
import { StatusReporter } from '../../runtime/service/status-reporter.ts';
import { adoptKoffiAddon } from '../../runtime/win32/native-addon.ts';
import { eventLogSink, setEventLogSink, type EventLogType } from '../../runtime/eventlog/service-log.ts';
import { instantiate, loadServiceClass } from '../../runtime/loader/service-module.ts';
import { confinePackages } from '../../runtime/loader/package-scope.ts';
import { batchThreadOutput } from '../capture/thread-stdio.ts';
import { diagnosticsLock, writeDiagnosticReport } from './diagnostics.ts';
import { serviceEvents } from './service-events.ts';
import type { FromWorker, RunMessage, ToWorker } from './worker-messages.ts';
import { WORKER_DATA_KEY, type ThreadStart, type WorkerStart } from './service-thread.ts';

function workerStart(): WorkerStart | undefined {
  if (isMainThread) return undefined;
  return (workerData as Record<string, WorkerStart | undefined> | null)?.[WORKER_DATA_KEY];
}

/**
 * Reports `process.exit()` calls with the caller's stack before the thread ends, and writes a
 * diagnostic report for them and for an uncaught exception or unhandled rejection, from this
 * thread, with its own stack (see diagnostics.ts for why not from the main thread).
 */
function watchEndings(port: MessagePort, reportFile: string | undefined): void {
  const report = (error: Error) => reportFile !== undefined && writeDiagnosticReport(reportFile, error);
  process.on('uncaughtExceptionMonitor', (error) => {
    // The monitor also sees exceptions the service's own 'uncaughtException' listener survives.
    if (process.listenerCount('uncaughtException') === 0) report(error instanceof Error ? error : new Error(String(error)));
  });
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    const error = new Error(`process.exit(${code ?? ''}) was called`);
    port.postMessage({
      exitCalled: { code: Number(code ?? process.exitCode ?? 0) | 0, stack: error.stack ?? error.message },
    } satisfies FromWorker);
    report(error);
    return exit(code);
  }) as typeof process.exit;
}

/**
 * Reports each child process the service's code starts (spawn, exec, execFile and fork all go
 * through ChildProcess#spawn), and when it exits; the supervisor ends the live ones, with their
 * descendants, when the service ends.
 */
function watchChildren(port: MessagePort): void {
  // ChildProcess#spawn is public in Node's code, though its type declarations leave it out.
  const prototype = ChildProcess.prototype as ChildProcess & { spawn(...args: unknown[]): unknown };
  const spawn = prototype.spawn;
  prototype.spawn = function spawnWatched(this: ChildProcess, ...args: unknown[]) {
    const result = spawn.apply(this, args);
    const pid = this.pid;
    if (pid !== undefined) {
      port.postMessage({ child: pid, exited: false } satisfies FromWorker);
      this.once('exit', () => port.postMessage({ child: pid, exited: true } satisfies FromWorker));
    }
    return result;
  };
}

/** What to run, from workerData, or the first message when this thread was started ahead of its service (service-thread.ts). */
async function threadStartOf(port: MessagePort, data: WorkerStart): Promise<ThreadStart> {
  if (data.start) return data.start;
  const [message] = (await once(port, 'message')) as [ThreadStart];
  return message;
}

/** How long the last output may take to reach the main thread before STOPPED goes anyway. */
const FLUSH_TIMEOUT_MS = 2000;

/**
 * Resolves once everything written to process.stdout and process.stderr so far has been taken by
 * the main thread: a worker's stdio calls a write's callback when the reading side asks for more,
 * and writes are handled in order, so an empty write's callback comes after every earlier one.
 */
function flushOutput(): Promise<void> {
  const drained = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  // A timer that holds the thread open too: a thread whose module failed to load has nothing
  // else to keep it alive until STOPPED is posted.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_TIMEOUT_MS)));
  return Promise.race([Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => {}), timeout]).finally(() =>
    clearTimeout(timer),
  );
}

/** Runs this thread's service to its end. */
export async function runServiceWorker(): Promise<void> {
  const data = workerStart();
  if (data === undefined) throw new Error('runServiceWorker runs only in a service thread that a supervisor started');
  const { port } = data;
  // The service's code must not find the supervisor's channel.
  delete (workerData as Record<string, unknown>)[WORKER_DATA_KEY];
  const { launch, koffiAddon, reportLock } = await threadStartOf(port, data);
  adoptKoffiAddon(koffiAddon);
  diagnosticsLock(reportLock);
  watchEndings(port, launch.reportFile);
  watchChildren(port);
  batchThreadOutput(process.stdout);
  batchThreadOutput(process.stderr);
  let runner: ServiceRunner | undefined;
  let answers: SharedArrayBuffer | undefined;
  const go = Promise.withResolvers<void>();
  port.on('message', (message: ToWorker | RunMessage) => {
    if ('run' in message) {
      answers = message.answers;
      go.resolve();
      return;
    }
    const handled = runner?.handleControl(message.control, message.event);
    const query = message.query;
    // A query's answer: false from the method refuses it; anything else, a throw included, grants it.
    if (query !== undefined) void Promise.resolve(handled).then((result) => answers && answerQuery(answers, query, result === false));
  });
  const reporter = new StatusReporter((status) => {
    // The supervisor ends this thread as soon as it reads STOPPED: what the service wrote must be
    // on the main thread (and in its log file) first, not in this thread's stdout buffer.
    if (status.currentState === ServiceState.STOPPED) void flushOutput().then(() => port.postMessage({ status } satisfies FromWorker));
    else port.postMessage({ status } satisfies FromWorker);
  }, ServiceType.WIN32_OWN_PROCESS);
  // The host's own entries about the service travel over the same port as the statuses: the main
  // thread writes them (or prints them, in debug), in order, and a thread whose service never logs
  // loads no koffi. The service's own entries go to the Event Log from here under the SCM (a
  // postMessage each would cost logMsg most of its rate); in debug they travel too (see LogEntry).
  const relay = (source: string) => (type: EventLogType, id: number, inserts: readonly string[]) =>
    port.postMessage({ entry: { source, type, id, inserts: inserts.map(String) } } satisfies FromWorker);
  const useSink = (source: string) => setEventLogSink(launch.relayEntries ? relay(source) : eventLogSink(source));
  const hostEvents = (source: string) => serviceEvents(source, relay(source));
  let name = launch.name;
  // Until its class names it (debug of a module file), the module's own entries go under its file name.
  useSink(name || path.win32.basename(launch.modulePath));
  if (name) hostEvents(name).starting();
  // isService(), isDebugging() and this.startReason answer from the module's top level on.
  setRunMode({ debugging: launch.debugging === true, startReason: launch.startReason });
  try {
    // The service's own variables are in place before its module's top level runs, in this
    // thread's own copy of process.env: other services of a shared process do not see them.
    Object.assign(process.env, launch.environment);
    // Module hooks are per thread: this one's bare imports stay inside the launch's package root.
    confinePackages(launch.packageRoot);
    const { serviceClass } = await loadServiceClass({ modulePath: launch.modulePath, exportName: launch.exportName });
    if (!name) {
      name = serviceClass.svcName || path.win32.basename(launch.modulePath);
      useSink(name);
      hostEvents(name).starting();
    }
    const stopTimeoutMs = stopTimeoutOf(serviceClass);
    const service = instantiate(serviceClass);
    runner = new ServiceRunner(service, reporter, hostEvents(name), launch.args, name);
    const userControls = typeof (service as { svcOtherControl?: unknown }).svcOtherControl === 'function';
    const deviceEvents = typeof (service as { svcDeviceEvent?: unknown }).svcDeviceEvent === 'function';
    const deviceInterfaces = deviceInterfaceClasses(serviceClass.svcDeviceInterfaces, serviceClass.name);
    port.postMessage({
      loaded: { name, accepted: controlsAcceptedBy(service).raw, userControls, stopTimeoutMs, deviceEvents, deviceInterfaces },
    } satisfies FromWorker);
  } catch (error) {
    hostEvents(name || path.win32.basename(launch.modulePath)).startFailed(error instanceof Error ? error.message : String(error));
    reporter.report(ServiceState.STOPPED, { exitCode: LOAD_FAILURE_EXIT_CODE });
    return;
  }
  // svcDoRun starts once the supervisor has taken the service in, so a stop it sends meanwhile
  // comes after, through svcStop, never by ending a service that already runs.
  await go.promise;
  await runner.run();
}
