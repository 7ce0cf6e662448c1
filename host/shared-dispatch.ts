/**
 * Several services in one host process (SERVICE_WIN32_SHARE_PROCESS). The SCM starts
 * `"host.exe" --shared-group <name>` once for every service installed with that binPath; the dispatch
 * table lists them all (read from the registry), each with its own ServiceMain, HandlerEx and
 * status handle, all on the main thread.
 *
 * Each service runs in a worker thread of its own, not in a vm context. A vm context shares the
 * process's event loop, its `process` object and its uncaughtException handler: a throw from a
 * timer or an unawaited promise could not be told apart per service, and `process.exit()` would
 * end them all. A worker has its own isolate, event loop, module instances and `process.env`;
 * an uncaught throw or `process.exit()` ends that worker only, and the main thread reports that
 * service STOPPED with an error while the others run on. The cost is an isolate per service,
 * which `npm run bench` measures against one process per service.
 *
 * Wine 8 cannot show the sharing itself: its services.exe shares a process between kernel drivers
 * only (winedevice.exe) and starts every SERVICE_WIN32_SHARE_PROCESS service in a process of its
 * own (programs/services/services.c, service_start_process). There, each `--shared-group` process runs
 * one service, in a worker all the same; `host.exe debug --shared-group` runs a whole group in one process.
 *
 * In host.exe the worker runs host.exe's own bundle (`__filename`): pkg's SEA bootstrap
 * recognises a path inside its snapshot and starts the worker with the bundle's source and its
 * virtual file system (see @yao-pkg/pkg's prelude/sea-worker-entry.js), so one file serves both
 * threads and main.ts sends a worker to runServiceWorker from its first line.
 * @module
 */
import { registerServiceCtrlHandlerEx, setServiceStatus, startServiceCtrlDispatcher } from '../runtime/win32/advapi32/services.ts';
import { eventLogSink } from '../runtime/eventlog/servicemanager.ts';
import { servicesOfGroup } from '../installer/layout.ts';
import { serviceEvents } from './service-events.ts';
import { ServiceThread } from './service-thread.ts';

/** ServiceMain of a service of the group: its SCM side here, the service itself in a new worker. */
function serviceMainInWorker(args: string[]): void {
  const [name = ''] = args;
  const handle = registerServiceCtrlHandlerEx(name, (control) => thread.control(control));
  const thread = new ServiceThread(args, {
    report: (status) => setServiceStatus(handle, status),
    failed: (reason) => serviceEvents(name, eventLogSink(name)).failed(reason),
  });
}

/**
 * Connects the services of `group` to the SCM and serves until every one has stopped. Resolves to
 * false, at once, when the process was not started by the SCM or the group has no services.
 */
export async function runGroup(group: string): Promise<boolean> {
  const names = servicesOfGroup(process.execPath, group);
  if (names.length === 0) return false;
  let started = false;
  const ok = await startServiceCtrlDispatcher(
    names.map((name) => ({
      name,
      main: (args: string[]) => {
        started = true;
        serviceMainInWorker(args);
      },
    })),
  );
  return ok || started;
}
