/**
 * `install`, `update` and `remove`.
 * @module
 */
import { install, remove, serviceExists, update, type ServiceOptions } from '../../../installer/install.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { moduleTarget } from './module-target.ts';
import { readPassword, readSecretVariable } from '../secrets.ts';
import { SERVICE_OPTIONS_USAGE, serviceOptions, toServiceOptions } from './service-options.ts';
import { UsageError } from '../usage-error.ts';

/** Completes options with the secrets the command line only names: a user's password, secret variables. */
async function withSecrets(options: ServiceOptions, secretNames: readonly string[] = []): Promise<ServiceOptions> {
  const needsPassword = options.account?.kind === 'user' && options.password === undefined;
  const password = needsPassword ? await readPassword(options.account!.name) : options.password;
  if (!secretNames.length) return { ...options, password };
  const secrets: Record<string, string> = {};
  for (const name of secretNames) secrets[name] = await readSecretVariable(name);
  return { ...options, password, secrets };
}

/** The shared group `--shared` alone puts a service in. */
export const DEFAULT_SHARED_GROUP = 'shared';

/** The shared host process `--shared` / `--shared-group G` ask for, false for `--own-process`, undefined when none is named. */
export function sharedGroupOption(values: {
  shared?: boolean;
  'shared-group'?: string;
  'own-process'?: boolean;
}): string | false | undefined {
  if (values['own-process']) {
    if (values.shared || values['shared-group'] !== undefined)
      throw new UsageError('--own-process and --shared/--shared-group contradict each other: use one');
    return false;
  }
  const group = values['shared-group'] ?? (values.shared ? DEFAULT_SHARED_GROUP : undefined);
  if (group !== undefined && !/^[A-Za-z0-9_.-]+$/.test(group)) {
    throw new UsageError(
      `--shared-group takes letters, digits, '_', '.' and '-' (not '${group}'): the name goes into the service's command line`,
    );
  }
  return group;
}

const processOptions = { shared: { type: 'boolean' }, 'shared-group': { type: 'string' } } as const;
/** install's options (also `package`'s, which hands them to install). */
export const installOptions = { ...serviceOptions, ...processOptions, name: { type: 'string' } } as const;
const updateOptions = { ...serviceOptions, ...processOptions, 'own-process': { type: 'boolean' }, module: { type: 'string' } } as const;

export const installCommand: Command = {
  name: 'install',
  usage: `<module or app folder>[#Export] [--name N] [--shared | --shared-group G]\n    ${SERVICE_OPTIONS_USAGE}`,
  summary:
    'install the service a module (or an app folder with a package.json) implements (--shared: in one host process with the other shared services)',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, installOptions, { names: ['module or app folder'] });
    const options = { ...toServiceOptions(values), sharedGroup: sharedGroupOption(values) };
    const spec = moduleTarget(positionals[0]!);
    const name = await install(spec, await withSecrets(options, values['secret-env']));
    console.log(`Installed ${name}. Start it with "net start ${name}".`);
  },
};

export const updateCommand: Command = {
  name: 'update',
  usage: `<name> [--module M[#Export] (a module or an app folder)] [--shared | --shared-group G | --own-process]\n    ${SERVICE_OPTIONS_USAGE}`,
  summary: 'change what is given of an installed service',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, updateOptions, { names: ['name'] });
    const name = positionals[0]!;
    const options = { ...toServiceOptions(values), sharedGroup: sharedGroupOption(values) };
    const spec = values.module === undefined ? undefined : moduleTarget(values.module);
    await update(name, spec, await withSecrets(options, values['secret-env']));
    console.log(`Updated ${name}.`);
  },
};

export const removeCommand: Command = {
  name: 'remove',
  usage: '<name> [--missing-ok]',
  summary: "stop (if running) and delete a service (--missing-ok: no error when there is none; what a package's uninstall runs)",
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { 'missing-ok': { type: 'boolean' } }, { names: ['name'] });
    if (values['missing-ok'] && !serviceExists(positionals[0]!)) {
      console.log(`No service named ${positionals[0]} is installed: nothing to remove.`);
      return;
    }
    await remove(positionals[0]!);
    console.log(`Removed ${positionals[0]}.`);
  },
};
