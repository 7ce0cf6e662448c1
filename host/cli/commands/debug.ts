/**
 * `debug <name or module>`: runs a service in the console, printing what it would log; Ctrl+C or
 * Ctrl+Break stops it through the same path as a stop control. It is the SCM's path with other
 * reporters: the same supervisor runs the service in a worker thread, with the same deadlines.
 * @module
 */
import fs from 'node:fs';
import { ServiceControl, ServiceType } from '../../../runtime/service/constants.ts';
import { SHARED_GROUP_OPTION, readRegistration, readServiceParameters } from '../../layout/registry-layout.ts';
import { packageRootOf } from '../../layout/location.ts';
import { workingDirectory } from '../../layout/service-start.ts';
import { findModuleTarget } from './module-target.ts';
import { messageDllPath } from '../../../installer/messages.ts';
import { debugGroup } from './debug-group.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { nextReportFile, writeDiagnosticReport } from '../../scm/diagnostics.ts';
import { serviceChildren } from '../../scm/process-tree.ts';
import { consoleSink, serviceEvents } from '../../scm/service-events.ts';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../../../runtime/service/timeouts.ts';
import { launchFromRegistry, type ServiceLaunch } from '../../scm/service-launch.ts';
import { ServiceSupervisor, type SupervisorHooks } from '../../scm/supervisor.ts';
import { parseSeconds } from './service-options.ts';
import { terminateCurrentProcess } from '../../../runtime/win32/kernel32.ts';
import { onInterrupt } from '../interrupt.ts';

/** Resolves once what was written to `stream` has gone out. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * A module file or app folder (run in the folder an installed service would run in), or an
 * installed service with the working directory, variables and arguments the host gives it.
 */
function resolveLaunch(target: string, args: readonly string[], loadTimeoutMs: number | undefined): ServiceLaunch {
  const spec = findModuleTarget(target);
  if (spec) {
    return {
      name: '',
      modulePath: spec.modulePath,
      exportName: spec.exportName,
      packageRoot: packageRootOf(spec.modulePath, readRegistration()),
      cwd: workingDirectory({ module: spec.modulePath, appDir: spec.appDir }),
      environment: {},
      args,
      loadTimeoutMs: loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
      messageFiles: [],
    };
  }
  if (!readServiceParameters(target))
    throw new Error(`'${target}' is neither a module file, an app folder nor an installed NodeService service`);
  const launch = launchFromRegistry(target, args);
  return loadTimeoutMs === undefined ? launch : { ...launch, loadTimeoutMs };
}

/**
 * The hooks of a service run in this console: entries printed, statuses kept to itself. Entries
 * are formatted from host.exe's table, then the service's own message DLL: the launch's, or for a
 * module file the one `install --messages` would have made for the service's name.
 */
export function consoleHooks(
  report: SupervisorHooks['report'],
  launch?: Pick<ServiceLaunch, 'modulePath' | 'messageFiles'>,
): SupervisorHooks {
  const messageFiles = (source: string): readonly string[] => {
    if (!launch) return [];
    if (launch.messageFiles.length > 0) return launch.messageFiles;
    const own = messageDllPath(launch.modulePath, source);
    return fs.existsSync(own) ? [own] : [];
  };
  return {
    report,
    events: (name) => serviceEvents(name, consoleSink(name, messageFiles(name))),
    entry: (entry) => consoleSink(entry.source, messageFiles(entry.source))(entry.type, entry.id, entry.inserts),
    relayServiceEntries: true,
    serviceType: ServiceType.WIN32_OWN_PROCESS,
    debugging: true,
    children: serviceChildren,
    writeDiagnostics: writeDiagnosticReport,
    reportFile: nextReportFile,
  };
}

export const debugCommand: Command = {
  name: 'debug',
  usage: '<name or module>[#Export] [--load-timeout S] [-- args...] | --shared-group <group>',
  summary: 'run a service, or a shared group of services, in this console (Ctrl+C stops it), printing what it would log',
  async run(argv) {
    if (argv[0] === SHARED_GROUP_OPTION) return debugGroup(argv.slice(1));
    const { values, positionals } = parseCommandArgs(
      argv,
      { 'load-timeout': { type: 'string' } },
      { names: ['name or module', 'args'], required: 1, variadic: true },
    );
    const [target, ...args] = positionals;
    const loadTimeout = values['load-timeout'] === undefined ? undefined : parseSeconds('--load-timeout', values['load-timeout'], true);
    const launch = resolveLaunch(target!, args, loadTimeout);
    // One service in this process: it runs in the directory it would run in as a service.
    process.chdir(launch.cwd);
    const supervisor = new ServiceSupervisor(
      launch,
      consoleHooks(() => {}, launch),
    );
    const stop = () => supervisor.control(ServiceControl.STOP);
    const offInterrupt = onInterrupt(stop);
    console.log(`Debugging service ${launch.name || target} - press Ctrl+C to stop.`);
    supervisor.start();
    const exitCode = await supervisor.stopped;
    offInterrupt();
    const code = exitCode === 0 ? 0 : 1;
    // As under the SCM, the process ends once its service has stopped, whatever the service's
    // thread still holds: Node's own exit would join that thread, and one stuck in a native call never ends.
    await flushed(process.stdout);
    await flushed(process.stderr);
    terminateCurrentProcess(code);
    return code;
  },
};
