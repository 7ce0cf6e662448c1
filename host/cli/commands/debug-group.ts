/**
 * `debug --shared-group <name>`: runs every service of a shared group in this console's process,
 * each supervised in its worker thread as the SCM's shared process runs them, printing their
 * states and what they log; Ctrl+C or Ctrl+Break stops them all. One service failing or stopping
 * leaves the others running.
 * @module
 */
import { ServiceControl, ServiceState, stateName } from '../../../runtime/service/constants.ts';
import { servicesOfGroup } from '../../layout/registry-layout.ts';
import { parseCommandArgs } from '../args.ts';
import { launchFromRegistry } from '../../scm/service-launch.ts';
import { reportStartFailure, ServiceSupervisor } from '../../scm/supervisor.ts';
import { consoleHooks } from './debug.ts';
import { terminateCurrentProcess } from '../../../runtime/win32/kernel32.ts';
import { onInterrupt } from '../interrupt.ts';

/** Runs group `argv[0]` until all its services have stopped; resolves to 1 if one failed. */
export async function debugGroup(argv: readonly string[]): Promise<number> {
  const { positionals } = parseCommandArgs(argv, {}, { names: ['group'] });
  const group = positionals[0]!;
  const names = servicesOfGroup(process.execPath, group);
  if (names.length === 0)
    throw new Error(`no service of ${process.execPath} is installed in group '${group}' (install them with --shared-group ${group})`);
  console.log(`Debugging group ${group} (${names.join(', ')}) in process ${process.pid} - press Ctrl+C to stop.`);
  let failed = false;
  const supervisors = names.map((name) => {
    let state = 0;
    const hooks = consoleHooks((status) => {
      if (status.currentState === state) return;
      state = status.currentState;
      const exit = status.win32ExitCode ? ` (exit code ${status.win32ExitCode}, service code ${status.serviceSpecificExitCode})` : '';
      failed ||= state === ServiceState.STOPPED && status.win32ExitCode !== 0;
      console.log(`${name}: ${stateName(state)}${exit}`);
    });
    try {
      const supervisor = new ServiceSupervisor(launchFromRegistry(name, []), hooks);
      supervisor.start();
      return supervisor;
    } catch (error) {
      reportStartFailure(name, hooks, error instanceof Error ? error.message : String(error));
      return undefined;
    }
  });
  const stop = () => {
    for (const supervisor of supervisors) supervisor?.control(ServiceControl.STOP);
  };
  const offInterrupt = onInterrupt(stop);
  await Promise.all(supervisors.map((supervisor) => supervisor?.stopped));
  offInterrupt();
  // As debug does for one service: end now, whatever a service's thread still holds.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  terminateCurrentProcess(failed ? 1 : 0);
}
