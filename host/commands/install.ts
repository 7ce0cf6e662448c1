/**
 * `install`, `update` and `remove`.
 * @module
 */
import { install, remove, update, type ServiceOptions } from '../../installer/install.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { parseModuleSpec } from '../../runtime/loader/service-module.ts';
import { readPassword } from '../password.ts';
import { SERVICE_OPTIONS_USAGE, serviceOptions, toServiceOptions } from './service-options.ts';

/** Completes options with a user account's password from the environment or a prompt. */
async function withPassword(options: ServiceOptions): Promise<ServiceOptions> {
  if (options.account?.kind !== 'user' || options.password !== undefined) return options;
  return { ...options, password: await readPassword(options.account.name) };
}

export const installCommand: Command = {
  name: 'install',
  usage: `<module>[#Export] [--name N]\n    ${SERVICE_OPTIONS_USAGE}`,
  summary: 'install the service a compiled module implements',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { ...serviceOptions, name: { type: 'string' } }, { names: ['module'] });
    const name = await install(parseModuleSpec(positionals[0]!), await withPassword(toServiceOptions(values)));
    console.log(`Installed ${name}. Start it with "net start ${name}".`);
  },
};

export const updateCommand: Command = {
  name: 'update',
  usage: `<name> [--module M[#Export]]\n    ${SERVICE_OPTIONS_USAGE}`,
  summary: 'change what is given of an installed service',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { ...serviceOptions, module: { type: 'string' } }, { names: ['name'] });
    const name = positionals[0]!;
    await update(name, values.module === undefined ? undefined : parseModuleSpec(values.module), await withPassword(toServiceOptions(values)));
    console.log(`Updated ${name}.`);
  },
};

export const removeCommand: Command = {
  name: 'remove',
  usage: '<name>',
  summary: 'stop (if running) and delete a service',
  async run(argv) {
    const { positionals } = parseCommandArgs(argv, {}, { names: ['name'] });
    await remove(positionals[0]!);
    console.log(`Removed ${positionals[0]}.`);
  },
};
