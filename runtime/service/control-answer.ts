/**
 * What HandlerEx answers the SCM for each control, decided in one place for every mode (a process
 * of its own, a shared group, debug): the answer comes from the thread that keeps the service's
 * SCM side, never from the service's own thread, which may be busy or dead.
 * https://learn.microsoft.com/windows/win32/api/winsvc/nc-winsvc-lphandler_function_ex
 * @module
 */
import { AcceptControl, ServiceControl, Win32Code } from './constants.ts';

/** What the answer depends on: the controls the service reported it accepts, and whether it takes codes 128–255. */
export interface ControlContext {
  /** AcceptControl flags of the last status reported. */
  accepted: number;
  /** The loaded service has svcOtherControl. */
  userControls: boolean;
  /** The loaded service has svcDeviceEvent (DEVICEEVENT has no accept flag: it comes to those that registered). */
  deviceEvents?: boolean;
}

/** The lowest and highest user-defined control codes (winsvc.h). */
export const USER_CONTROL_MIN = 128;
export const USER_CONTROL_MAX = 255;

const FLAG_OF_CONTROL = new Map<number, number>([
  [ServiceControl.STOP, AcceptControl.STOP],
  [ServiceControl.PAUSE, AcceptControl.PAUSE_CONTINUE],
  [ServiceControl.CONTINUE, AcceptControl.PAUSE_CONTINUE],
  [ServiceControl.SHUTDOWN, AcceptControl.SHUTDOWN],
  [ServiceControl.PRESHUTDOWN, AcceptControl.PRESHUTDOWN],
  [ServiceControl.PARAMCHANGE, AcceptControl.PARAMCHANGE],
  [ServiceControl.NETBINDADD, AcceptControl.NETBINDCHANGE],
  [ServiceControl.NETBINDREMOVE, AcceptControl.NETBINDCHANGE],
  [ServiceControl.NETBINDENABLE, AcceptControl.NETBINDCHANGE],
  [ServiceControl.NETBINDDISABLE, AcceptControl.NETBINDCHANGE],
  [ServiceControl.HARDWAREPROFILECHANGE, AcceptControl.HARDWAREPROFILECHANGE],
  [ServiceControl.POWEREVENT, AcceptControl.POWEREVENT],
  [ServiceControl.SESSIONCHANGE, AcceptControl.SESSIONCHANGE],
  [ServiceControl.TIMECHANGE, AcceptControl.TIMECHANGE],
  [ServiceControl.TRIGGEREVENT, AcceptControl.TRIGGEREVENT],
]);

/**
 * HandlerEx's return value: NO_ERROR for INTERROGATE always (as the documentation requires) and
 * for a control the service accepts; ERROR_CALL_NOT_IMPLEMENTED for anything else. A query the
 * service accepts (a device's removal…) may still be refused by the service: see query-answers.ts.
 */
export function controlAnswer(control: number, context: ControlContext): number {
  if (control === ServiceControl.INTERROGATE) return Win32Code.NO_ERROR;
  if (control === ServiceControl.DEVICEEVENT) return context.deviceEvents ? Win32Code.NO_ERROR : Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
  if (control >= USER_CONTROL_MIN && control <= USER_CONTROL_MAX) {
    return context.userControls ? Win32Code.NO_ERROR : Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
  }
  const flag = FLAG_OF_CONTROL.get(control);
  return flag !== undefined && context.accepted & flag ? Win32Code.NO_ERROR : Win32Code.ERROR_CALL_NOT_IMPLEMENTED;
}

/** True for the controls that end the service: stop, shutdown and pre-shutdown. */
export function isStopControl(control: number): boolean {
  return control === ServiceControl.STOP || control === ServiceControl.SHUTDOWN || control === ServiceControl.PRESHUTDOWN;
}
