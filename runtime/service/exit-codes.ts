/**
 * How a service ends, as the SCM records it: SERVICE_STATUS has a Win32 exit code and a
 * service-specific one, and the second counts only when the first is ERROR_SERVICE_SPECIFIC_ERROR
 * (1066). ServiceExitCode (as windows-service-rs's) says which one a service means, so no caller
 * must remember that rule. Below are the service-specific codes NodeService itself reports when a
 * service ends badly; a thrown error's own `exitCode` takes the place of 1. They are documented in
 * the README, as the SCM's failure actions and monitoring tools read them.
 * @module
 */
import { Win32Code } from './constants.ts';

/** svcDoRun threw, or the service's code threw or rejected unhandled anywhere (and no `exitCode` was given). */
export const DEFAULT_FAILURE_EXIT_CODE = 1;
/** The module could not be loaded, or did not finish loading within the load timeout. */
export const LOAD_FAILURE_EXIT_CODE = 2;
/** svcDoRun did not return within svcStopTimeout of a stop request: its code was ended. */
export const STOP_TIMEOUT_EXIT_CODE = 3;
/** The service's code called `process.exit(0)` before the service had stopped (`process.exit(n)` reports n). */
export const EXIT_CALLED_EXIT_CODE = 4;

/** The exit code a service stops with: a plain Win32 error code, or a code of its own. */
export type ServiceExitCode = { readonly win32: number } | { readonly serviceSpecific: number };

const isUint32 = (code: unknown): code is number => typeof code === 'number' && Number.isInteger(code) && code >= 0 && code <= 0xffff_ffff;

/** Makes the exit codes `svcDoRun` may return (or `reportServiceStatus` take). */
export const ServiceExitCode = {
  /**
   * A Win32 error code (`sc query` shows it as WIN32_EXIT_CODE), e.g. 1231 ERROR_NETWORK_UNREACHABLE.
   * Not 1066, which means "see the service-specific code": use {@link ServiceExitCode.serviceSpecific}.
   */
  win32(code: number): ServiceExitCode {
    if (!isUint32(code)) throw new RangeError(`a Win32 exit code is an integer from 0 to 4294967295, not ${String(code)}`);
    if (code === Win32Code.ERROR_SERVICE_SPECIFIC_ERROR)
      throw new RangeError('1066 (ERROR_SERVICE_SPECIFIC_ERROR) is not an exit code of its own: use ServiceExitCode.serviceSpecific(code)');
    return { win32: code };
  },
  /** A code of the service's own (SERVICE_SPECIFIC_EXIT_CODE, with WIN32_EXIT_CODE 1066). */
  serviceSpecific(code: number): ServiceExitCode {
    if (!isUint32(code)) throw new RangeError(`a service-specific exit code is an integer from 0 to 4294967295, not ${String(code)}`);
    return { serviceSpecific: code };
  },
};

/** True for a value made by {@link ServiceExitCode} (or written as one). */
export function isServiceExitCode(value: unknown): value is ServiceExitCode {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const { win32, serviceSpecific } = value as { win32?: unknown; serviceSpecific?: unknown };
  return (
    (keys[0] === 'win32' && isUint32(win32) && win32 !== Win32Code.ERROR_SERVICE_SPECIFIC_ERROR) ||
    (keys[0] === 'serviceSpecific' && isUint32(serviceSpecific))
  );
}

/** SERVICE_STATUS's two exit code fields for `exit` (none: 0 and 0). */
export function statusExitCodes(exit: ServiceExitCode | undefined): { win32ExitCode: number; serviceSpecificExitCode: number } {
  if (exit === undefined) return { win32ExitCode: Win32Code.NO_ERROR, serviceSpecificExitCode: 0 };
  if ('win32' in exit) return { win32ExitCode: exit.win32, serviceSpecificExitCode: 0 };
  return exit.serviceSpecific === 0
    ? { win32ExitCode: Win32Code.NO_ERROR, serviceSpecificExitCode: 0 }
    : { win32ExitCode: Win32Code.ERROR_SERVICE_SPECIFIC_ERROR, serviceSpecificExitCode: exit.serviceSpecific };
}

/** The exit code for a thrown value: its `win32ExitCode` when a valid Win32 code, else its `exitCode` when a positive integer, else service-specific 1. */
export function exitOfError(error: unknown): ServiceExitCode {
  const { exitCode, win32ExitCode } = (error ?? {}) as { exitCode?: unknown; win32ExitCode?: unknown };
  if (isUint32(win32ExitCode) && win32ExitCode !== 0 && win32ExitCode !== Win32Code.ERROR_SERVICE_SPECIFIC_ERROR)
    return { win32: win32ExitCode };
  return { serviceSpecific: isUint32(exitCode) && exitCode > 0 ? exitCode : DEFAULT_FAILURE_EXIT_CODE };
}

/** The StatusOptions of a STOPPED status that ends with `exit` (none: a clean stop). */
export function exitStatusOptions(exit: ServiceExitCode | undefined): { exitCode?: number; win32ExitCode?: number } {
  if (exit === undefined) return {};
  return 'win32' in exit ? { win32ExitCode: exit.win32 } : { exitCode: exit.serviceSpecific };
}
