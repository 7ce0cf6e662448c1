/**
 * host.exe started by the SCM: the dispatcher, ServiceMain and HandlerEx. The service name comes
 * from ServiceMain's argv[0]; the registry says which module and class implement it.
 * @module
 */
import { ServiceType } from '../runtime/service/constants.ts';
import { StatusReporter } from '../runtime/service/status-reporter.ts';
import { registerServiceCtrlHandlerEx, setServiceStatus, startServiceCtrlDispatcher } from '../runtime/win32/advapi32/services.ts';
import { eventLogSink, setEventLogSink } from '../runtime/eventlog/servicemanager.ts';
import { HostedService } from './hosted-service.ts';

async function serviceMain(args: string[]): Promise<void> {
  const service = new HostedService(args);
  setEventLogSink(eventLogSink(service.name));
  const handle = registerServiceCtrlHandlerEx(service.name, (control) => service.handleControl(control));
  await service.run(new StatusReporter((status) => setServiceStatus(handle, status), ServiceType.WIN32_OWN_PROCESS));
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
