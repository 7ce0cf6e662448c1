import { describe, expect, it } from 'vitest';
import { describeStatus } from '../../../../runtime/control/status.ts';
import type { StatusEvent } from '../../../../runtime/control/status-watch.ts';
import { ServiceState } from '../../../../runtime/service/constants.ts';
import { WindowsError } from '../../../../runtime/win32/windows-error.ts';
import { ChangeTracker, formatWatchLine } from '../../../../host/cli/watch-lines.ts';

const AT = Date.UTC(2026, 11, 2, 6, 30, 0, 123);

function seen(service: string, state: number, extra: { exit?: number; specific?: number; pid?: number } = {}): StatusEvent {
  return {
    kind: 'status',
    service,
    at: AT,
    status: describeStatus(service, {
      serviceType: 0x10,
      currentState: state as ServiceState,
      controlsAccepted: 0,
      win32ExitCode: extra.exit ?? 0,
      serviceSpecificExitCode: extra.specific ?? 0,
      checkPoint: 0,
      waitHint: 0,
      processId: extra.pid ?? 0,
      serviceFlags: 0,
    }),
  };
}

describe('watch lines', () => {
  it('prints the first status, then only changes of state (or of exit codes while STOPPED), per service', () => {
    const tracker = new ChangeTracker();
    const lines = [
      seen('Svc', ServiceState.STOPPED, { exit: 1077 }),
      seen('Svc', ServiceState.STOPPED, { exit: 1077 }),
      seen('Other', ServiceState.RUNNING, { pid: 12 }),
      seen('Svc', ServiceState.START_PENDING, { pid: 40, exit: 1077 }),
      seen('Svc', ServiceState.START_PENDING, { pid: 40 }),
      seen('Svc', ServiceState.RUNNING, { pid: 40 }),
      seen('Svc', ServiceState.STOPPED, { exit: 1066, specific: 12 }),
      seen('Svc', ServiceState.STOPPED, { exit: 0 }),
      { kind: 'deleted', service: 'Svc', at: AT },
      { kind: 'error', service: 'Other', at: AT, error: new WindowsError('OpenServiceW', 5, 'Access is denied.') },
    ]
      .map((event) => tracker.feed(event as StatusEvent))
      .filter((line) => line !== undefined)
      .map(formatWatchLine);
    expect(lines).toEqual([
      '2026-12-02T06:30:00.123Z  Svc  STOPPED  exit code 1077',
      '2026-12-02T06:30:00.123Z  Other  RUNNING  pid 12',
      '2026-12-02T06:30:00.123Z  Svc  STOPPED → START_PENDING  pid 40',
      '2026-12-02T06:30:00.123Z  Svc  START_PENDING → RUNNING  pid 40',
      '2026-12-02T06:30:00.123Z  Svc  RUNNING → STOPPED  exit code 1066  service exit code 12',
      '2026-12-02T06:30:00.123Z  Svc  STOPPED → STOPPED',
      '2026-12-02T06:30:00.123Z  Svc  deleted',
      '2026-12-02T06:30:00.123Z  Other  error: OpenServiceW: Access is denied. (5)',
    ]);
  });

  it('gives JSON-ready objects with the names and numbers', () => {
    const tracker = new ChangeTracker();
    tracker.feed(seen('Ünïcödé 服务', ServiceState.STOPPED));
    expect(JSON.parse(JSON.stringify(tracker.feed(seen('Ünïcödé 服务', ServiceState.RUNNING, { pid: 7 }))))).toEqual({
      time: '2026-12-02T06:30:00.123Z',
      service: 'Ünïcödé 服务',
      event: 'state',
      from: 'STOPPED',
      to: 'RUNNING',
      win32ExitCode: 0,
      serviceSpecificExitCode: 0,
      processId: 7,
    });
  });
});
