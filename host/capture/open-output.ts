/**
 * The supervisor's `output` hook under the SCM: makes a service's ServiceOutput from its launch,
 * after securing its log folder where this process may (as LocalSystem; another account cannot
 * change the folder's DACL, which install/update set for it). Nothing here may stop the service:
 * a folder that cannot be created or written is said once in the Event Log (LogFile's `warn`),
 * and the service runs on.
 * @module
 */
import { prepareLogFolder } from '../layout/log-folder.ts';
import type { HostEvents } from '../scm/service-events.ts';
import type { ServiceLaunch } from '../scm/service-launch.ts';
import { ServiceOutput } from './service-output.ts';

/** The capture of `launch`'s output, or undefined when it has none (`--log none`, debug). */
export function openServiceOutput(launch: ServiceLaunch, events: (name: string) => HostEvents): ServiceOutput | undefined {
  const settings = launch.log;
  if (!settings?.enabled) return undefined;
  try {
    prepareLogFolder(launch.name, settings.dir, launch.logAccountSid);
  } catch {
    // Not LocalSystem, or a folder NodeService may not take over: writing tells whether it works.
  }
  return new ServiceOutput(settings, (file, reason) => events(launch.name).outputNotWritten(file, reason));
}
