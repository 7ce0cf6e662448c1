/**
 * `install`, `update` and `remove`.
 * @module
 */
import { install, remove, update, type ServiceOptions } from '../../installer/install.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { parseModuleSpec } from '../../runtime/loader/service-module.ts';
import { readPassword, readSecretVariable } from '../secrets.ts';
import { SERVICE_OPTIONS_USAGE, serviceOptions, toServiceOptions } from './service-options.ts';

/** Completes options with the secrets the command line only names: a user's password, secret variables. */
async function withSecrets(options: ServiceOptions, secretNames: readonly string[] = []): Promise<ServiceOptions> {
  const needsPassword = options.account?.kind === 'user' && options.password === undefined;
  const password = needsPassword ? await readPassword(options.account!.name) : options.password;
  if (!secretNames.length) return { ...options, password };
  const secrets: Record<string, string> = {};
  for (const name of secretNames) secrets[name] = await readSecretVariable(name);
  return { ...options, password, secrets };
}

export const installCommand: Command = {
  name: 'install',
  usage: `<module>[#Export] [--name N]\n    ${SERVICE_OPTIONS_USAGE}`,
  summary: 'install the service a compiled module implements',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { ...serviceOptions, name: { type: 'string' } }, { names: ['module'] });
    const name = await install(parseModuleSpec(positionals[0]!), await withSecrets(toServiceOptions(values), values['secret-env']));
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
    await update(name, values.module === undefined ? undefined : parseModuleSpec(values.module), await withSecrets(toServiceOptions(values), values['secret-env']));
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
