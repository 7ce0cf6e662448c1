/**
 * host.exe started by the SCM: the dispatcher, ServiceMain and HandlerEx. The service name comes
 * from ServiceMain's argv[0]; the registry says which module and class implement it.
 * @module
 */
import { ServiceControl, ServiceState, ServiceType } from '../runtime/service/constants.ts';
import { ServiceRunner } from '../runtime/service/runner.ts';
import { StatusReporter } from '../runtime/service/status-reporter.ts';
import { registerServiceCtrlHandlerEx, setServiceStatus, startServiceCtrlDispatcher } from '../runtime/win32/advapi32/services.ts';
import { readServiceParameters, serviceVariables } from '../installer/layout.ts';
import { eventLogSink, setEventLogSink } from '../runtime/eventlog/servicemanager.ts';
import { serviceEvents } from './service-events.ts';
import { instantiate, loadServiceClass } from '../runtime/loader/service-module.ts';

/** The service-specific exit code of a service that could not be loaded. */
const LOAD_FAILURE_EXIT_CODE = 2;
/** How long the SCM should wait for module loading before the first checkpoint. */
const START_WAIT_HINT_MS = 30_000;

async function serviceMain(args: string[]): Promise<void> {
  const [name = '', ...startArgs] = args;
  setEventLogSink(eventLogSink(name));
  const events = serviceEvents(name);
  let runner: ServiceRunner | undefined;
  let stopRequested = false;
  const handle = registerServiceCtrlHandlerEx(name, (control) => {
    if (runner) return runner.handleControl(control);
    if (control === ServiceControl.STOP || control === ServiceControl.SHUTDOWN) stopRequested = true;
    return 0;
  });
  const reporter = new StatusReporter((status) => setServiceStatus(handle, status), ServiceType.WIN32_OWN_PROCESS);
  reporter.report(ServiceState.START_PENDING, { waitHint: START_WAIT_HINT_MS });
  events.starting();
  try {
    const parameters = readServiceParameters(name);
    if (!parameters) throw new Error(`the registry has no NodeService parameters for '${name}' (reinstall it with "host.exe install")`);
    // The service's own variables are in place before its module's top level runs.
    Object.assign(process.env, serviceVariables(parameters));
    const { serviceClass } = await loadServiceClass({ modulePath: parameters.module, exportName: parameters.exportName });
    const service = instantiate(serviceClass);
    runner = new ServiceRunner(service, reporter, events, [...parameters.arguments, ...startArgs], name);
  } catch (error) {
    events.startFailed(error instanceof Error ? error.message : String(error));
    reporter.report(ServiceState.STOPPED, { exitCode: LOAD_FAILURE_EXIT_CODE });
    return;
  }
  const running = runner.run();
  if (stopRequested) runner.handleControl(ServiceControl.STOP);
  await running;
}

/**
 * Connects to the SCM and serves until every service of this process has stopped. Resolves to
 * false, at once, when the process was not started by the SCM.
 */
export async function runServices(): Promise<boolean> {
  let started = false;
  const ok = await startServiceCtrlDispatcher([
    {
      name: '',
      main: (args) => {
        started = true;
        void serviceMain(args);
      },
    },
  ]);
  return ok || started;
}
