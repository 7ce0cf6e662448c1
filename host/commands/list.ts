/**
 * `list`: the services this host runs, with their state.
 * @module
 */
import { queryStatus } from '../../runtime/control/service-control.ts';
import { readRegistration, readServiceParameters, servicesUsingHost } from '../../installer/layout.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { formatStatus } from './control.ts';

export const listCommand: Command = {
  name: 'list',
  usage: '[--json]',
  summary: 'list the services installed on this host, with their state and module',
  run(argv) {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' } }, { names: [] });
    const registration = readRegistration();
    if (!registration) throw new Error('this machine has no registered host: run "host.exe /register" first');
    const rows = servicesUsingHost(registration.hostPath).map((name) => ({ ...queryStatus(name), module: readServiceParameters(name)?.module ?? '' }));
    if (values.json) console.log(JSON.stringify(rows));
    else if (rows.length === 0) console.log('No services are installed on this host.');
    else for (const row of rows) console.log(`${formatStatus(row)}  ${row.module}`);
  },
};
