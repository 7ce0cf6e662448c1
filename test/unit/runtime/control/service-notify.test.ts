import { describe, expect, it } from 'vitest';
import {
  decodeServiceNotify,
  notifyMaskOf,
  ServiceNotifyLayout,
  ServiceNotifyMask,
  WATCH_MASK,
} from '../../../../runtime/control/service-notify.ts';
import { ServiceState } from '../../../../runtime/service/constants.ts';

/** A SERVICE_NOTIFY_2W as the SCM fills it on x64 (winsvc.h): every field at its documented offset. */
function notifyBuffer(fields: { status?: number; context?: bigint; state: number; exit?: number; pid?: number; triggered?: number }) {
  const bytes = new Uint8Array(ServiceNotifyLayout.size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 2, true); // dwVersion
  view.setBigUint64(8, 0x7ff0_1234_5678n, true); // pfnNotifyCallback
  view.setBigUint64(16, fields.context ?? 0n, true); // pContext
  view.setUint32(24, fields.status ?? 0, true); // dwNotificationStatus
  const s = 28; // SERVICE_STATUS_PROCESS
  [0x10, fields.state, 0x1, fields.exit ?? 0, 7, 3, 2000, fields.pid ?? 0, 0].forEach((value, i) => {
    view.setUint32(s + i * 4, value, true);
  });
  view.setUint32(64, fields.triggered ?? notifyMaskOf(fields.state as ServiceState), true); // dwNotificationTriggered
  view.setBigUint64(72, 0n, true); // pszServiceNames
  return bytes;
}

describe('SERVICE_NOTIFY_2W', () => {
  it('has the x64 layout of winsvc.h: 80 bytes, pointers 8-aligned, the status after dwNotificationStatus', () => {
    expect(ServiceNotifyLayout).toMatchObject({
      size: 80,
      pfnNotifyCallback: 8,
      pContext: 16,
      ServiceStatus: 28,
      dwNotificationTriggered: 64,
    });
    expect(ServiceNotifyLayout.ServiceStatus + 9 * 4).toBe(ServiceNotifyLayout.dwNotificationTriggered);
  });

  it('decodes the status, the context and the bit that fired', () => {
    const decoded = decodeServiceNotify(notifyBuffer({ context: 3n, state: ServiceState.RUNNING, pid: 4242 }));
    expect(decoded).toEqual({
      notificationStatus: 0,
      context: 3n,
      status: {
        serviceType: 0x10,
        currentState: ServiceState.RUNNING,
        controlsAccepted: 1,
        win32ExitCode: 0,
        serviceSpecificExitCode: 7,
        checkPoint: 3,
        waitHint: 2000,
        processId: 4242,
        serviceFlags: 0,
      },
      triggered: ServiceNotifyMask.RUNNING,
      deleted: false,
    });
  });

  it('says deleted for ERROR_SERVICE_MARKED_FOR_DELETE or the DELETE_PENDING bit', () => {
    expect(decodeServiceNotify(notifyBuffer({ state: ServiceState.STOPPED, status: 1072 })).deleted).toBe(true);
    expect(decodeServiceNotify(notifyBuffer({ state: ServiceState.STOPPED, triggered: ServiceNotifyMask.DELETE_PENDING })).deleted).toBe(
      true,
    );
    expect(decodeServiceNotify(notifyBuffer({ state: ServiceState.STOPPED, exit: 1077 })).status.win32ExitCode).toBe(1077);
  });

  it('refuses a short buffer, and reads one inside a larger one at its offset', () => {
    expect(() => decodeServiceNotify(new Uint8Array(79))).toThrow('a SERVICE_NOTIFY_2W is 80 bytes, not 79');
    const larger = new Uint8Array(96);
    larger.set(notifyBuffer({ state: ServiceState.PAUSED, context: 9n }), 16);
    expect(decodeServiceNotify(larger.subarray(16))).toMatchObject({ context: 9n, status: { currentState: ServiceState.PAUSED } });
  });

  it('maps each state to its SERVICE_NOTIFY_* bit; a watch asks for every state and the deletion', () => {
    expect(
      [
        ServiceState.STOPPED,
        ServiceState.START_PENDING,
        ServiceState.STOP_PENDING,
        ServiceState.RUNNING,
        ServiceState.CONTINUE_PENDING,
        ServiceState.PAUSE_PENDING,
        ServiceState.PAUSED,
      ].map(notifyMaskOf),
    ).toEqual([0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40]);
    expect(() => notifyMaskOf(0 as ServiceState)).toThrow(RangeError);
    expect(() => notifyMaskOf(8 as ServiceState)).toThrow(RangeError);
    expect(WATCH_MASK).toBe(0x27f);
  });
});
