/**
 * host.exe started by the SCM: the dispatcher, and for each service its ServiceMain and HandlerEx,
 * all on the main thread, each service supervised in a worker thread of its own (supervisor.ts).
 * A process of its own is a group of one: its dispatch table has one nameless entry, and
 * ServiceMain's argv[0] names the service; the registry says which module and class implement it.
 *
 * Several services in one host process (SERVICE_WIN32_SHARE_PROCESS): the SCM starts
 * `"host.exe" --shared-group <name>` once for every service installed with that binPath; the
 * dispatch table lists them all (read from the registry), each with its own ServiceMain, HandlerEx
 * and status handle. A worker per service rather than a vm context: a vm context shares the
 * process's event loop, its `process` object and its uncaughtException handler, so a throw from a
 * timer could not be told apart per service and `process.exit()` would end them all. A worker has
 * its own isolate, event loop, module instances and `process.env`.
 *
 * Wine (8 and 10) cannot show the sharing itself: its services.exe shares a process between kernel drivers
 * only (winedevice.exe) and starts every SERVICE_WIN32_SHARE_PROCESS service in a process of its
 * own (programs/services/services.c, service_start_process). There, each `--shared-group` process
 * runs one service, in a worker all the same; `host.exe debug --shared-group` runs a whole group in one process.
 *
 * The process ends once its last service has reported STOPPED, at once (terminateCurrentProcess): Node's own exit
 * joins its threads and would wait for one the dispatcher or a stuck service still holds. The
 * processes its services started end with it: the host puts itself in a job that kills them when
 * it closes (killChildrenOnExit).
 * @module
 */
import { ServiceState, ServiceType } from '../../runtime/service/constants.ts';
import { decodeServiceEvent } from '../../runtime/service/event-decoders.ts';
import {
  queryServiceStartReason,
  registerServiceCtrlHandlerEx,
  setServiceStatus,
  startServiceCtrlDispatcher,
} from '../../runtime/win32/advapi32/services.ts';
import { terminateCurrentProcess } from '../../runtime/win32/kernel32.ts';
import { killChildrenOnExit } from '../../runtime/win32/kernel32/processes.ts';
import { eventLogSink, type EventLogSink } from '../../runtime/eventlog/service-log.ts';
import { openServiceOutput } from '../capture/open-output.ts';
import { nextReportFile, writeDiagnosticReport } from './diagnostics.ts';
import { registerDeviceInterfaces } from './device-notifications.ts';
import { serviceChildren } from './process-tree.ts';
import { serviceEvents, writeEntry } from './service-events.ts';
import { launchFromRegistry } from './service-launch.ts';
import { reportStartFailure, ServiceSupervisor, type SupervisorHooks } from './supervisor.ts';

/** One sink per service name: each service's entries go to its own source, registered once. */
const sinks = new Map<string, EventLogSink>();
function sinkOf(name: string): EventLogSink {
  let sink = sinks.get(name);
  if (!sink) {
    sink = eventLogSink(name);
    sinks.set(name, sink);
  }
  return sink;
}

/** ServiceMain: the SCM side here, the service itself in a supervised worker. Resolves when it has stopped. */
async function serviceMain(args: readonly string[], serviceType: number): Promise<void> {
  const [name = '', ...startArgs] = args;
  let supervisor: ServiceSupervisor | undefined;
  // The event data is valid only during this call: decoded here, the service gets plain values.
  const handle = registerServiceCtrlHandlerEx(
    name,
    (control, eventType, read) => supervisor?.control(control, decodeServiceEvent(control, eventType, read)) ?? 0,
  );
  let endDeviceNotifications = () => {};
  const hooks: SupervisorHooks = {
    report: (status) => {
      // Device notifications end before STOPPED, while the status handle is still the service's.
      if (status.currentState === ServiceState.STOPPED) endDeviceNotifications();
      try {
        setServiceStatus(handle, status);
      } catch {
        // The SCM refused a status (it checks more than the host does): the next one may pass; never a throw on this thread.
      }
    },
    events: (serviceName) => serviceEvents(serviceName, sinkOf(serviceName)),
    // The host's entries about the service, sent by its thread (service-worker.ts says why).
    entry: (entry) => writeEntry(sinkOf(entry.source), entry.type, entry.id, entry.inserts),
    serviceType,
    children: serviceChildren,
    writeDiagnostics: writeDiagnosticReport,
    reportFile: nextReportFile,
    output: (launch) => openServiceOutput(launch, hooks.events),
    loaded: (info) => {
      endDeviceNotifications = registerDeviceInterfaces(handle, info.deviceInterfaces, (reason) =>
        hooks.events(info.name).controlFailed('svcDeviceInterfaces', reason),
      );
    },
  };
  try {
    const launch = { ...launchFromRegistry(name, startArgs), startReason: queryServiceStartReason(handle) };
    // A worker cannot chdir; the main thread can, for a process that runs this one service.
    // A shared group's services keep the process's directory.
    if (serviceType === ServiceType.WIN32_OWN_PROCESS) process.chdir(launch.cwd);
    supervisor = new ServiceSupervisor(launch, hooks);
  } catch (error) {
    reportStartFailure(name, hooks, error instanceof Error ? error.message : String(error));
    return;
  }
  supervisor.start();
  // Not only STOPPED: what the service wrote must be in its files before the process ends.
  await supervisor.drained;
}

/**
 * Connects `names` to the SCM ([''] for a process of its own) and serves until every service has
 * stopped. Resolves to false, at once, when the process was not started by the SCM.
 */
export async function runServices(names: readonly string[] = ['']): Promise<boolean> {
  const serviceType = names.length === 1 && names[0] === '' ? ServiceType.WIN32_OWN_PROCESS : ServiceType.WIN32_SHARE_PROCESS;
  let started = 0;
  let running = 0;
  const ok = await startServiceCtrlDispatcher(
    names.map((name) => ({
      name,
      main: (args: string[]) => {
        if (started++ === 0) endChildrenWithHost();
        running++;
        void serviceMain(args, serviceType).finally(() => {
          // Every service has reported STOPPED: end now, whatever a service left behind (Node's
          // own exit would join threads, among them one a stuck service or the dispatcher holds).
          // Checked again when it runs: another service of the group may have started meanwhile.
          if (--running === 0) setImmediate(() => running === 0 && terminateCurrentProcess(0));
        });
      },
    })),
  );
  return ok || started > 0;
}

/** Puts the host in a job that ends the processes its services started when it ends; where that is refused, the snapshot walk still ends them. */
function endChildrenWithHost(): void {
  try {
    killChildrenOnExit();
  } catch {
    // Already in a job that allows no nesting (Windows 7, some consoles): process-tree.ts still ends each service's children.
  }
}
