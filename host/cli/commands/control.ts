/**
 * `start`, `stop`, `pause`, `continue`, `restart`, `control` and `status`: thin shells over the
 * control API, for any service, on this machine or another (`--machine`).
 * @module
 */
import * as services from '../../../runtime/control/service-control.ts';
import type { ServiceConfig } from '../../../runtime/control/config.ts';
import { ServiceManager } from '../../../runtime/control/service-manager.ts';
import { ServiceControl } from '../../../runtime/service/constants.ts';
import { formatTrigger } from '../../../runtime/control/trigger-spec.ts';
import { statusToJSON, type ServiceStatusInfo } from '../../../runtime/control/status.ts';
import { readServiceParameters, secretNames } from '../../layout/registry-layout.ts';
import { serviceLogSettings } from '../../layout/log-folder.ts';
import { formatSize, logFilePath } from '../../layout/log-settings.ts';
import { workingDirectory } from '../../layout/service-start.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

/** One line per status: `Name  RUNNING  pid 123`. */
export function formatStatus(status: ServiceStatusInfo): string {
  const parts = [status.name, status.stateName];
  if (status.processId) parts.push(`pid ${status.processId}`);
  if (status.win32ExitCode) parts.push(`exit code ${status.win32ExitCode}`);
  if (status.serviceSpecificExitCode) parts.push(`service exit code ${status.serviceSpecificExitCode}`);
  return parts.join('  ');
}

const targetOption = { machine: { type: 'string' } } as const;
const waitOptions = { ...targetOption, timeout: { type: 'string', default: '30' } } as const;

function timeoutMs(text: string): number {
  const seconds = Number(text);
  if (!(seconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds (not '${text}')`);
  return seconds * 1000;
}

interface ControlVerb {
  name: string;
  summary: string;
  usage?: string;
  flags?: Record<string, { type: 'boolean' }>;
  act(
    name: string,
    options: services.ControlOptions,
    rest: string[],
    flags: Record<string, unknown>,
  ): Promise<ServiceStatusInfo | ServiceStatusInfo[]>;
}

function controlCommand(verb: ControlVerb): Command {
  return {
    name: verb.name,
    usage: verb.usage ?? '<name> [--timeout SECONDS] [--machine M]',
    summary: verb.summary,
    async run(argv) {
      const { values, positionals } = parseCommandArgs(
        argv,
        { ...waitOptions, ...verb.flags },
        { names: ['name', 'args'], required: 1, variadic: verb.name === 'start' || verb.name === 'restart' },
      );
      const [name, ...rest] = positionals as [string, ...string[]];
      const result = await verb.act(name, { machine: values.machine, timeout: timeoutMs(values.timeout) }, rest, values);
      for (const status of [result].flat()) console.log(formatStatus(status));
    },
  };
}

export const startCommand = controlCommand({
  name: 'start',
  usage: '<name> [args...] [--timeout SECONDS] [--machine M]',
  summary: 'start a service (with arguments) and wait until it runs',
  act: (name, options, args) => services.start(name, args, options),
});
export const stopCommand = controlCommand({
  name: 'stop',
  usage: '<name> [--with-dependents] [--timeout SECONDS] [--machine M]',
  summary: 'stop a service (and first the services that depend on it) and wait until it has stopped',
  flags: { 'with-dependents': { type: 'boolean' } },
  act: (name, options, _args, flags) =>
    flags['with-dependents'] ? services.stopWithDependents(name, options) : services.stop(name, options),
});
export const pauseCommand = controlCommand({
  name: 'pause',
  summary: 'pause a service that accepts it',
  act: (name, options) => services.pause(name, options),
});
export const continueCommand = controlCommand({
  name: 'continue',
  summary: 'resume a paused service',
  act: (name, options) => services.continue(name, options),
});
export const restartCommand = controlCommand({
  name: 'restart',
  usage: '<name> [args...] [--timeout SECONDS] [--machine M]',
  summary: 'stop a service if it runs, then start it (with arguments)',
  act: (name, options, args) => services.restart(name, args, options),
});

/** The controls `control` sends by name, as `sc control` names them (a NodeService service's svcParamChange, svcNetBind*). */
export const NAMED_CONTROLS: Readonly<Record<string, number>> = {
  paramchange: ServiceControl.PARAMCHANGE,
  netbindadd: ServiceControl.NETBINDADD,
  netbindremove: ServiceControl.NETBINDREMOVE,
  netbindenable: ServiceControl.NETBINDENABLE,
  netbinddisable: ServiceControl.NETBINDDISABLE,
};

/** The code `control` sends for `text`: a name of NAMED_CONTROLS, or a user-defined code 128–255. */
export function controlCode(text: string): number {
  const name = text.toLowerCase();
  if (Object.hasOwn(NAMED_CONTROLS, name)) return NAMED_CONTROLS[name]!;
  const code = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(code >= 128 && code <= 255)) {
    throw new UsageError(
      `<code> must be a user-defined control code from 128 to 255, or one of ${Object.keys(NAMED_CONTROLS).join(', ')}; not '${text}'`,
    );
  }
  return code;
}

export const userControlCommand: Command = {
  name: 'control',
  usage: '<name> <code|paramchange|netbindadd|netbindremove|netbindenable|netbinddisable> [--machine M]',
  summary:
    "send a user-defined control code (128-255, a NodeService service's svcOtherControl) or a named control (svcParamChange, svcNetBind*)",
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, targetOption, { names: ['name', 'code'] });
    const [name, codeText] = positionals as [string, string];
    console.log(formatStatus(await services.control(name, controlCode(codeText), values)));
  },
};

/** The configuration as `status` prints it: one `label: value` line per setting that has one. */
export function formatConfig(config: ServiceConfig): string[] {
  const failure = config.failure;
  const rows: [string, string | number | undefined][] = [
    ['Display name', config.displayName],
    ['Description', config.description],
    ['Type', config.typeName],
    ['Startup', config.startup],
    ['Error control', config.errorControl],
    ['Binary path', config.binaryPath],
    ['Group', config.loadOrderGroup],
    ['Depends on', config.dependencies.join(', ')],
    ['Depends on groups', config.groupDependencies.join(', ')],
    ['Account', config.account],
    ['On failure', failure.actions.map((action) => `${action.type}/${action.delay}`).join(', ') || 'nothing (the SCM does not restart it)'],
    ['Failure reset (s)', failure.actions.length ? failure.resetPeriod : undefined],
    ['Failure command', failure.command],
    ['Reboot message', failure.rebootMessage],
    ['Act on non-crash failures', failure.onNonCrashFailures ? 'yes' : undefined],
    ['Preshutdown timeout (ms)', config.preshutdownTimeout],
    ['Required privileges', config.requiredPrivileges.join(', ')],
    ['SID type', config.sidType],
    ...config.triggers.map((trigger): [string, string] => ['Trigger', formatTrigger(trigger)]),
  ];
  return rows.filter(([, value]) => value !== undefined && value !== '').map(([label, value]) => `  ${label}: ${value}`);
}

/** Where service `name`'s output goes, for `status`. */
function logsOf(name: string, stored: Parameters<typeof serviceLogSettings>[1]) {
  const settings = serviceLogSettings(name, stored);
  return { ...settings, stdout: logFilePath(settings, 'out'), stderr: logFilePath(settings, 'err') };
}

export const statusCommand: Command = {
  name: 'status',
  usage: '<name> [--json] [--machine M]',
  summary: "show a service's state, process, exit codes and whole configuration",
  run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { ...targetOption, json: { type: 'boolean' } }, { names: ['name'] });
    const name = positionals[0]!;
    using manager = ServiceManager.connect(values);
    const status = manager.queryStatus(name);
    const config = manager.getConfig(name);
    // What the host applies (module, variables, arguments) is ours to show only on this machine.
    const parameters = values.machine ? undefined : readServiceParameters(name);
    const nodeService = parameters && {
      module: parameters.module,
      export: parameters.exportName,
      appDir: parameters.appDir,
      workingDirectory: workingDirectory(parameters),
      envFile: parameters.envFile,
      environment: Object.keys(parameters.environment),
      secrets: secretNames(parameters),
      arguments: parameters.arguments,
      logs: logsOf(name, parameters.log),
    };
    if (values.json) {
      console.log(JSON.stringify({ ...statusToJSON(status), config, nodeService }));
      return;
    }
    console.log(formatStatus(status));
    // As the SCM reports it now: STOPPED and most pending states accept nothing ('NONE').
    console.log(`  Accepts: ${status.controlsAccepted}`);
    console.log(formatConfig(config).join('\n'));
    if (nodeService) {
      console.log(`  Module: ${nodeService.module}#${nodeService.export}`);
      if (nodeService.appDir) console.log(`  App folder: ${nodeService.appDir}`);
      // A worker cannot chdir: a shared group's services run in their process's directory.
      const shared = config.serviceType.shared;
      console.log(
        `  Working directory: ${nodeService.workingDirectory}${shared ? " (not applied: a shared group's process keeps its own)" : ''}`,
      );
      if (nodeService.envFile) console.log(`  Env file: ${nodeService.envFile} (read at every start)`);
      if (nodeService.environment.length) console.log(`  Environment: ${nodeService.environment.join(', ')} (values not shown)`);
      if (nodeService.secrets.length) console.log(`  Secret environment: ${nodeService.secrets.join(', ')} (sealed with DPAPI)`);
      if (nodeService.arguments.length) console.log(`  Arguments: ${nodeService.arguments.join(' ')}`);
      const logs = nodeService.logs;
      console.log(
        logs.enabled
          ? `  Output: ${logs.stdout} and ${logs.stderr} (rotated at ${formatSize(logs.maxSize)}${logs.roll === 'daily' ? ' and daily' : ''}, ${logs.keep} kept${logs.timestamps ? ', lines timestamped' : ''})`
          : '  Output: not captured (--log none)',
      );
    }
  },
};
