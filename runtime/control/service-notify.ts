/**
 * NotifyServiceStatusChangeW's buffer, SERVICE_NOTIFY_2W (winsvc.h), and its notify masks, as pure
 * code: the FFI side (runtime/win32/advapi32/service-notify.ts) hands over the buffer's bytes as the
 * SCM filled them, and this decodes them, so the layout is unit-tested without Windows.
 * https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_notify_2w
 * @module
 */
import { ServiceState } from '../service/constants.ts';
import type { ServiceStatusProcess } from '../win32/advapi32/services.ts';
import { ErrorCode } from '../win32/errors.ts';

/** SERVICE_NOTIFY_STATUS_CHANGE: the version of SERVICE_NOTIFY_2W, the only one Vista and later take. */
export const SERVICE_NOTIFY_VERSION = 2;

/** sizeof(SERVICE_NOTIFY_2W) on x64 and its fields' offsets (pointers are 8 bytes, 8-aligned). */
export const ServiceNotifyLayout = {
  size: 80,
  dwVersion: 0,
  pfnNotifyCallback: 8,
  pContext: 16,
  dwNotificationStatus: 24,
  /** SERVICE_STATUS_PROCESS: nine DWORDs. */
  ServiceStatus: 28,
  dwNotificationTriggered: 64,
  pszServiceNames: 72,
} as const;

/** SERVICE_NOTIFY_* bits: which changes a registration asks for and which one fired. */
export const ServiceNotifyMask = {
  STOPPED: 0x1,
  START_PENDING: 0x2,
  STOP_PENDING: 0x4,
  RUNNING: 0x8,
  CONTINUE_PENDING: 0x10,
  PAUSE_PENDING: 0x20,
  PAUSED: 0x40,
  CREATED: 0x80,
  DELETED: 0x100,
  DELETE_PENDING: 0x200,
} as const;

/** Every state of a service, and its being marked for deletion: what a watch asks for. */
export const WATCH_MASK =
  ServiceNotifyMask.STOPPED |
  ServiceNotifyMask.START_PENDING |
  ServiceNotifyMask.STOP_PENDING |
  ServiceNotifyMask.RUNNING |
  ServiceNotifyMask.CONTINUE_PENDING |
  ServiceNotifyMask.PAUSE_PENDING |
  ServiceNotifyMask.PAUSED |
  ServiceNotifyMask.DELETE_PENDING;

/** The SERVICE_NOTIFY_* bit of a state (SERVICE_STOPPED 1 → 0x1 … SERVICE_PAUSED 7 → 0x40). */
export function notifyMaskOf(state: ServiceState): number {
  if (!Number.isInteger(state) || state < ServiceState.STOPPED || state > ServiceState.PAUSED)
    throw new RangeError(`no service state ${state}`);
  return 1 << (state - ServiceState.STOPPED);
}

/** What one notification says, decoded from SERVICE_NOTIFY_2W. */
export interface ServiceNotification {
  /** dwNotificationStatus: 0, or ERROR_SERVICE_MARKED_FOR_DELETE when the service is being deleted. */
  notificationStatus: number;
  /** pContext, as the registration set it (which watched service this is). */
  context: bigint;
  /** The status at the time of the change. */
  status: ServiceStatusProcess;
  /** dwNotificationTriggered: the SERVICE_NOTIFY_* bit that fired. */
  triggered: number;
  /** The service was marked for deletion (by the status code or the DELETE_PENDING bit). */
  deleted: boolean;
}

/** Decodes a SERVICE_NOTIFY_2W the SCM filled (at least {@link ServiceNotifyLayout.size} bytes). */
export function decodeServiceNotify(bytes: Uint8Array): ServiceNotification {
  if (bytes.byteLength < ServiceNotifyLayout.size) {
    throw new RangeError(`a SERVICE_NOTIFY_2W is ${ServiceNotifyLayout.size} bytes, not ${bytes.byteLength}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dword = (offset: number) => view.getUint32(offset, true);
  const s = ServiceNotifyLayout.ServiceStatus;
  const notificationStatus = dword(ServiceNotifyLayout.dwNotificationStatus);
  const triggered = dword(ServiceNotifyLayout.dwNotificationTriggered);
  return {
    notificationStatus,
    context: view.getBigUint64(ServiceNotifyLayout.pContext, true),
    status: {
      serviceType: dword(s),
      currentState: dword(s + 4) as ServiceState,
      controlsAccepted: dword(s + 8),
      win32ExitCode: dword(s + 12),
      serviceSpecificExitCode: dword(s + 16),
      checkPoint: dword(s + 20),
      waitHint: dword(s + 24),
      processId: dword(s + 28),
      serviceFlags: dword(s + 32),
    },
    triggered,
    deleted: notificationStatus === ErrorCode.ERROR_SERVICE_MARKED_FOR_DELETE || (triggered & ServiceNotifyMask.DELETE_PENDING) !== 0,
  };
}
