/**
 * `watch <service>... [--json] [--timeout SECONDS] [--machine M]`: prints each service's state
 * changes as they happen (watch-lines.ts), through SCM notifications where there are any and by
 * polling otherwise (runtime/control/status-watch.ts), until Ctrl+C, the timeout, or every watched
 * service is deleted. A service that does not exist is refused before anything is watched.
 * @module
 */
import { ServiceManager } from '../../../runtime/control/service-manager.ts';
import { watchStatus, type StatusEvent } from '../../../runtime/control/status-watch.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';
import { ChangeTracker, formatWatchLine } from '../watch-lines.ts';
import { onInterrupt } from '../interrupt.ts';

/** setTimeout's limit (about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function timeoutMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!(seconds > 0) || seconds * 1000 > MAX_TIMEOUT_MS) {
    throw new UsageError(`--timeout must be a positive number of seconds up to ${Math.floor(MAX_TIMEOUT_MS / 1000)} (not '${text}')`);
  }
  return seconds * 1000;
}

export const watchCommand: Command = {
  name: 'watch',
  usage: '<service>... [--json] [--timeout SECONDS] [--machine M]',
  summary: "print services' state changes as they happen (SCM notifications, or polling where there are none), until Ctrl+C or --timeout",
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { json: { type: 'boolean' }, timeout: { type: 'string' }, machine: { type: 'string' } },
      { names: ['service'], required: 1, variadic: true },
    );
    const limit = timeoutMs(values.timeout);
    const services = [...new Set(positionals)];
    using manager = ServiceManager.connect({ machine: values.machine }, ['CONNECT']);
    // Each must exist now: a typo is an error, not a watch that waits forever.
    for (const service of services) manager.queryStatus(service);

    const tracker = new ChangeTracker();
    const live = new Set(services);
    let failed = false;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const onEvent = (event: StatusEvent) => {
      if (!live.has(event.service)) return;
      const line = tracker.feed(event);
      if (line) console.log(values.json ? JSON.stringify(line) : formatWatchLine(line));
      if (event.kind !== 'status') {
        live.delete(event.service);
        if (event.kind === 'error') failed = true;
        if (live.size === 0) finish();
      }
    };
    const watch = await watchStatus({ services, onEvent, machine: values.machine }, { query: (service) => manager.queryStatus(service) });
    if (!values.json)
      console.error(`watching ${services.join(', ')} (${watch.mode === 'notify' ? 'SCM notifications' : 'polling'}); Ctrl+C to stop`);
    const offInterrupt = onInterrupt(finish);
    const timer = limit === undefined ? undefined : setTimeout(finish, limit);
    try {
      await finished;
    } finally {
      offInterrupt();
      clearTimeout(timer);
      await watch.close();
    }
    return failed ? 1 : 0;
  },
};
