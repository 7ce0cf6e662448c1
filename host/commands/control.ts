/**
 * `start`, `stop`, `pause`, `continue`, `restart` and `status`: thin shells over the control API,
 * for any service.
 * @module
 */
import * as services from '../../runtime/control/service-control.ts';
import type { ServiceStatusInfo } from '../../runtime/control/service-control.ts';
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

function controlCommand(name: string, summary: string, act: (service: string, timeout: number) => Promise<ServiceStatusInfo>): Command {
  return {
    name,
    usage: '<name> [--timeout SECONDS]',
    summary,
    async run(argv) {
      const { values, positionals } = parseCommandArgs(argv, { timeout: { type: 'string', default: '30' } }, { names: ['name'] });
      const seconds = Number(values.timeout);
      if (!(seconds > 0)) throw new Error(`--timeout must be a positive number of seconds (not '${values.timeout}')`);
      console.log(formatStatus(await act(positionals[0]!, seconds * 1000)));
    },
  };
}

export const startCommand = controlCommand('start', 'start a service and wait until it runs', (name, timeout) => services.start(name, [], { timeout }));
export const stopCommand = controlCommand('stop', 'stop a service and wait until it has stopped', (name, timeout) => services.stop(name, { timeout }));
export const pauseCommand = controlCommand('pause', 'pause a service that accepts it', (name, timeout) => services.pause(name, { timeout }));
export const continueCommand = controlCommand('continue', 'resume a paused service', (name, timeout) => services.continue(name, { timeout }));
export const restartCommand = controlCommand('restart', 'stop a service if it runs, then start it', (name, timeout) => services.restart(name, { timeout }));

export const userControlCommand: Command = {
  name: 'control',
  usage: '<name> <code>',
  summary: "send a user-defined control code (128-255) to a service (a NodeService service's svcOtherControl)",
  run(argv) {
    const { positionals } = parseCommandArgs(argv, {}, { names: ['name', 'code'] });
    const [name, codeText] = positionals as [string, string];
    const code = /^\d+$/.test(codeText) ? Number(codeText) : Number.NaN;
    if (!(code >= 128 && code <= 255)) throw new UsageError(`<code> must be a user-defined control code from 128 to 255, not '${codeText}'`);
    console.log(formatStatus(services.control(name, code)));
  },
};

export const statusCommand: Command = {
  name: 'status',
  usage: '<name> [--json]',
  summary: "show a service's state, process and exit codes",
  run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } }, { names: ['name'] });
    const status = services.queryStatus(positionals[0]!);
    console.log(values.json ? JSON.stringify(status) : formatStatus(status));
  },
};
