/**
 * `/register` and `/unregister`.
 * @module
 */
import { register, unregister } from '../../installer/register.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

export const registerCommand: Command = {
  name: '/register',
  usage: '[--services-dir DIR] [--force]',
  summary: 'record this host and its services folder for the machine (administrator, once)',
  run(argv) {
    const { values } = parseCommandArgs(argv, { 'services-dir': { type: 'string' }, force: { type: 'boolean' } }, { names: [] });
    const registration = register(process.execPath, values['services-dir'], undefined, {
      force: values.force,
      report: (line) => console.log(line),
    });
    console.log(`Registered ${registration.hostPath}\nServices folder: ${registration.servicesDir}`);
  },
};

export const unregisterCommand: Command = {
  name: '/unregister',
  usage: '',
  summary: 'undo /register (refused while services still use this host)',
  run(argv) {
    parseCommandArgs(argv, {}, { names: [] });
    console.log(unregister() ? 'Unregistered.' : 'Nothing to undo: this machine has no registered host.');
  },
};
