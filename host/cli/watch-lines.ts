/**
 * What `host.exe watch` prints, from the events of a status watch: one line (or JSON object) per
 * change of state (or of exit codes while STOPPED), the first status as it is, a deletion, an error. Pure, so the
 * wording and the change detection are unit-tested; both sources (notifications and polling) feed
 * it the same events, and polling repeats unchanged statuses, which print nothing.
 * @module
 */
import type { StatusEvent } from '../../runtime/control/status-watch.ts';
import { ServiceState } from '../../runtime/service/constants.ts';

/** One thing `watch` reports. */
export interface WatchLine {
  time: string;
  service: string;
  /** `state`: the first status, or a change; `deleted`; `error`. */
  event: 'state' | 'deleted' | 'error';
  /** The state before (absent for the first status). */
  from?: string;
  to?: string;
  win32ExitCode?: number;
  serviceSpecificExitCode?: number;
  processId?: number;
  message?: string;
}

interface Seen {
  state: string;
  win32ExitCode: number;
  serviceSpecificExitCode: number;
}

/** Keeps each service's last status and turns events into lines for what changed. */
export class ChangeTracker {
  readonly #seen = new Map<string, Seen>();

  /** The line for `event`, or undefined when nothing changed. */
  feed(event: StatusEvent): WatchLine | undefined {
    const base = { time: new Date(event.at).toISOString(), service: event.service };
    if (event.kind === 'deleted') return { ...base, event: 'deleted' };
    if (event.kind === 'error') return { ...base, event: 'error', message: event.error.message };
    const { status } = event;
    const before = this.#seen.get(event.service);
    // Exit codes mean something only once stopped (Wine's SCM keeps a stale 1077 through START_PENDING).
    const stopped = status.currentState === ServiceState.STOPPED;
    const now: Seen = {
      state: status.stateName,
      win32ExitCode: stopped ? status.win32ExitCode : 0,
      serviceSpecificExitCode: stopped ? status.serviceSpecificExitCode : 0,
    };
    if (
      before &&
      before.state === now.state &&
      before.win32ExitCode === now.win32ExitCode &&
      before.serviceSpecificExitCode === now.serviceSpecificExitCode
    )
      return undefined;
    this.#seen.set(event.service, now);
    return {
      ...base,
      event: 'state',
      ...(before && { from: before.state }),
      to: now.state,
      win32ExitCode: now.win32ExitCode,
      serviceSpecificExitCode: now.serviceSpecificExitCode,
      processId: status.processId,
    };
  }
}

/** The line as text: `<time>  <service>  <from> → <to>  [exit code N] [service exit code N]`. */
export function formatWatchLine(line: WatchLine): string {
  const head = `${line.time}  ${line.service}  `;
  if (line.event === 'deleted') return `${head}deleted`;
  if (line.event === 'error') return `${head}error: ${line.message}`;
  const parts = [line.from === undefined ? `${line.to}` : `${line.from} → ${line.to}`];
  if (line.processId) parts.push(`pid ${line.processId}`);
  if (line.win32ExitCode) parts.push(`exit code ${line.win32ExitCode}`);
  if (line.serviceSpecificExitCode) parts.push(`service exit code ${line.serviceSpecificExitCode}`);
  return head + parts.join('  ');
}
