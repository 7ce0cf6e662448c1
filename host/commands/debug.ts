/**
 * `debug <name or module>`: runs a service in the console, printing what it would log; Ctrl+C or
 * Ctrl+Break stops it through the same path as a stop control.
 * @module
 */
import fs from 'node:fs';
import { ServiceControl, ServiceState, ServiceType } from '../../runtime/service/constants.ts';
import { ServiceRunner } from '../../runtime/service/runner.ts';
import { StatusReporter } from '../../runtime/service/status-reporter.ts';
import { SHARED_GROUP_OPTION, readServiceParameters, serviceVariables } from '../../installer/layout.ts';
import { debugGroup } from './debug-group.ts';
import { checkServiceModule, confineModule } from '../../installer/location.ts';
import { messageDllPath } from '../../installer/messages.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { setEventLogSink } from '../../runtime/eventlog/servicemanager.ts';
import { consoleSink, serviceEvents } from '../service-events.ts';
import { instantiate, loadServiceClass, parseModuleSpec, type ModuleSpec } from '../../runtime/loader/service-module.ts';

/** How long the process may linger after the service stopped before debug ends it. */
const LINGER_MS = 2000;

/** A module file, or an installed service with the variables and arguments the host gives it. */
function resolveTarget(target: string): { spec: ModuleSpec; environment: Readonly<Record<string, string>>; args: readonly string[]; messageDll?: string } {
  const spec = parseModuleSpec(target);
  if (fs.existsSync(spec.modulePath)) {
    confineModule(spec.modulePath);
    return { spec, environment: {}, args: [] };
  }
  const parameters = readServiceParameters(target);
  if (!parameters) throw new Error(`'${target}' is neither a module file nor an installed NodeService service`);
  checkServiceModule(target, parameters);
  return {
    spec: { modulePath: parameters.module, exportName: parameters.exportName },
    environment: serviceVariables(parameters),
    args: parameters.arguments,
    messageDll: parameters.messageDll,
  };
}

export const debugCommand: Command = {
  name: 'debug',
  usage: '<name or module>[#Export] [-- args...] | --shared-group <group>',
  summary: 'run a service, or a shared group of services, in this console (Ctrl+C stops it), printing what it would log',
  async run(argv) {
    if (argv[0] === SHARED_GROUP_OPTION) return debugGroup(argv.slice(1));
    const { positionals } = parseCommandArgs(argv, {}, { names: ['name or module', 'args'], required: 1, variadic: true });
    const [target, ...args] = positionals;
    const { spec, environment, args: storedArgs, messageDll } = resolveTarget(target!);
    Object.assign(process.env, environment);
    const { serviceClass } = await loadServiceClass(spec);
    const name = serviceClass.svcName || target!;
    const ownMessages = messageDll ?? messageDllPath(spec.modulePath, name);
    setEventLogSink(consoleSink(name, fs.existsSync(ownMessages) ? [ownMessages] : []));
    const events = serviceEvents(name);
    let failed = false;
    const reporter = new StatusReporter((status) => {
      failed ||= status.currentState === ServiceState.STOPPED && status.serviceSpecificExitCode !== 0;
    }, ServiceType.WIN32_OWN_PROCESS);
    const service = instantiate(serviceClass);
    const runner = new ServiceRunner(service, reporter, events, [...storedArgs, ...args], name);
    const stop = () => runner.handleControl(ServiceControl.STOP);
    process.on('SIGINT', stop);
    process.on('SIGBREAK', stop);
    console.log(`Debugging service ${name} - press Ctrl+C to stop.`);
    events.starting();
    await runner.run();
    process.off('SIGINT', stop);
    process.off('SIGBREAK', stop);
    const code = failed ? 1 : 0;
    // Under the SCM the host ends once its services have stopped; do the same here.
    setTimeout(() => {
      console.error(`The ${name} service left handles open after it stopped (sockets, timers…); ending the process.`);
      process.exit(code);
    }, LINGER_MS).unref();
    return code;
  },
};
