/**
 * `list`: the services this host runs, with their state and module; with `--all`, every service
 * of the machine (EnumServicesStatusExW); `--group G` keeps those of one load-order group, as the
 * SCM filters them ('' : those in no group).
 * @module
 */
import { list } from '../../../runtime/control/service-control.ts';
import { statusToJSON } from '../../../runtime/control/status.ts';
import { readRegistration, readServiceParameters, servicesUsingHost } from '../../layout/registry-layout.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';
import { formatStatus } from './control.ts';

const STATES = ['all', 'active', 'inactive'] as const;

export const listCommand: Command = {
  name: 'list',
  usage: '[--all] [--state all|active|inactive] [--group G] [--machine M] [--json]',
  summary: "list this host's services with their state and module (--all: every service of the machine)",
  run(argv) {
    const options = {
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      state: { type: 'string', default: 'all' },
      group: { type: 'string' },
      machine: { type: 'string' },
    } as const;
    const { values } = parseCommandArgs(argv, options, { names: [] });
    const state = values.state as (typeof STATES)[number];
    if (!STATES.includes(state)) throw new UsageError(`--state must be one of ${STATES.join(', ')} (not '${values.state}')`);
    let services = list({ state, group: values.group, machine: values.machine });
    if (!values.all) {
      if (values.machine) throw new UsageError("--machine lists another machine's services: add --all");
      const registration = readRegistration();
      if (!registration)
        throw new Error('this machine has no registered host: run "host.exe /register" first, or list every service with --all');
      const ours = new Set(servicesUsingHost(registration.hostPath).map((name) => name.toLowerCase()));
      services = services.filter((service) => ours.has(service.name.toLowerCase()));
    }
    const rows = services.map((service) => ({ ...service, module: values.all ? undefined : readServiceParameters(service.name)?.module }));
    if (values.json) console.log(JSON.stringify(rows.map((row) => ({ ...statusToJSON(row), module: row.module }))));
    else if (rows.length === 0) console.log(values.all ? 'No services match.' : 'No services are installed on this host.');
    else for (const row of rows) console.log(`${formatStatus(row)}  ${row.module ?? row.displayName}`);
  },
};
