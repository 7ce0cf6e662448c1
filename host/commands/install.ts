/**
 * `install`, `update` and `remove`.
 * @module
 */
import { install, remove, STARTUP_VALUES, update, type ServiceOptions, type Startup } from '../../installer/install.ts';
import { parseCommandArgs, type ParsedValues } from '../args.ts';
import type { Command } from '../command.ts';
import { parseModuleSpec } from '../../runtime/loader/service-module.ts';
import { UsageError } from '../usage-error.ts';

const serviceOptions = {
  'display-name': { type: 'string' },
  description: { type: 'string' },
  startup: { type: 'string' },
  depends: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'allow-outside': { type: 'boolean' },
  messages: { type: 'string' },
} as const;

const OPTIONS_USAGE = '[--display-name D] [--description T] [--startup manual|auto|delayed|disabled] [--depends A,B] [--username U [--password P]] [--messages file.mc|file.dll] [--allow-outside]';

/** Turns parsed options into ServiceOptions, refusing bad combinations. */
export function toServiceOptions(values: ParsedValues<typeof serviceOptions> & { name?: string }): ServiceOptions {
  const startup = values.startup;
  if (startup !== undefined && !STARTUP_VALUES.includes(startup as Startup)) {
    throw new UsageError(`--startup must be one of ${STARTUP_VALUES.join(', ')} (not '${startup}')`);
  }
  if (values.password !== undefined && values.username === undefined) {
    throw new UsageError('--password needs --username: say which account the password is for');
  }
  return {
    name: values.name,
    displayName: values['display-name'],
    description: values.description,
    startup: startup as Startup | undefined,
    dependencies: values.depends?.split(',').map((name) => name.trim()).filter((name) => name !== ''),
    username: values.username,
    password: values.password,
    allowOutside: values['allow-outside'],
    messages: values.messages,
  };
}

export const installCommand: Command = {
  name: 'install',
  usage: `<module>[#Export] [--name N] ${OPTIONS_USAGE}`,
  summary: 'install the service a compiled module implements',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { ...serviceOptions, name: { type: 'string' } }, { names: ['module'] });
    const name = await install(parseModuleSpec(positionals[0]!), toServiceOptions(values));
    console.log(`Installed ${name}. Start it with "net start ${name}".`);
  },
};

export const updateCommand: Command = {
  name: 'update',
  usage: `<name> [--module M[#Export]] ${OPTIONS_USAGE}`,
  summary: 'change what is given of an installed service',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { ...serviceOptions, module: { type: 'string' } }, { names: ['name'] });
    const name = positionals[0]!;
    await update(name, values.module === undefined ? undefined : parseModuleSpec(values.module), toServiceOptions(values));
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
