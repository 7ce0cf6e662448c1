/**
 * `/register` and `/unregister`. `--event-log` also writes a failure to the Application log under
 * the host's source: the MSI runs both as custom actions, where nobody reads the console and the
 * installer's log only shows an exit code.
 * @module
 */
import { logErrorMsg } from '../../../runtime/eventlog/service-log.ts';
import { register, unregister } from '../../../installer/register.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

/** Runs `action`; a failure is also written to the Event Log when `eventLog` is set, then thrown as it was. */
function reporting<T>(verb: string, eventLog: boolean | undefined, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (eventLog) logErrorMsg(`host.exe ${verb} failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

export const registerCommand: Command = {
  name: '/register',
  usage: '[--services-dir DIR] [--force] [--event-log]',
  summary: 'record this host and its services folder for the machine (administrator, once)',
  run(argv) {
    const options = { 'services-dir': { type: 'string' }, force: { type: 'boolean' }, 'event-log': { type: 'boolean' } } as const;
    const { values } = parseCommandArgs(argv, options, { names: [] });
    const registration = reporting('/register', values['event-log'], () =>
      register(process.execPath, values['services-dir'], undefined, { force: values.force, report: (line) => console.log(line) }),
    );
    console.log(`Registered ${registration.hostPath}\nServices folder: ${registration.servicesDir}`);
  },
};

export const unregisterCommand: Command = {
  name: '/unregister',
  usage: '[--event-log]',
  summary: 'undo /register (refused while services still use this host)',
  run(argv) {
    const { values } = parseCommandArgs(argv, { 'event-log': { type: 'boolean' } }, { names: [] });
    const done = reporting('/unregister', values['event-log'], () => unregister());
    console.log(done ? 'Unregistered.' : 'Nothing to undo: this machine has no registered host.');
  },
};
