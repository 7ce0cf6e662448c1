/**
 * The control API's errors: WindowsErrors whose text names the service and says what to do.
 * @module
 */
import { ErrorCode } from '../win32/errors.ts';
import { isWindowsError, WindowsError } from '../win32/windows-error.ts';

/** Win32 codes the control API reports (the values of runtime/win32/errors.ts). */
export const ServiceErrorCode = {
  ERROR_ACCESS_DENIED: ErrorCode.ERROR_ACCESS_DENIED,
  ERROR_DEPENDENT_SERVICES_RUNNING: ErrorCode.ERROR_DEPENDENT_SERVICES_RUNNING,
  ERROR_INVALID_SERVICE_CONTROL: ErrorCode.ERROR_INVALID_SERVICE_CONTROL,
  ERROR_SERVICE_REQUEST_TIMEOUT: ErrorCode.ERROR_SERVICE_REQUEST_TIMEOUT,
  ERROR_SERVICE_ALREADY_RUNNING: ErrorCode.ERROR_SERVICE_ALREADY_RUNNING,
  ERROR_SERVICE_DISABLED: ErrorCode.ERROR_SERVICE_DISABLED,
  ERROR_SERVICE_DOES_NOT_EXIST: ErrorCode.ERROR_SERVICE_DOES_NOT_EXIST,
  ERROR_SERVICE_CANNOT_ACCEPT_CTRL: ErrorCode.ERROR_SERVICE_CANNOT_ACCEPT_CTRL,
  ERROR_SERVICE_NOT_ACTIVE: ErrorCode.ERROR_SERVICE_NOT_ACTIVE,
  ERROR_SERVICE_MARKED_FOR_DELETE: ErrorCode.ERROR_SERVICE_MARKED_FOR_DELETE,
  ERROR_SERVICE_EXISTS: ErrorCode.ERROR_SERVICE_EXISTS,
} as const;

const TEXTS: Record<number, (name: string) => string> = {
  [ServiceErrorCode.ERROR_ACCESS_DENIED]: (name) => `access to the ${name} service is denied: run this as an administrator`,
  [ServiceErrorCode.ERROR_DEPENDENT_SERVICES_RUNNING]: (name) =>
    `services that depend on ${name} are running: stop them first, or stop ${name} with its dependents`,
  [ServiceErrorCode.ERROR_INVALID_SERVICE_CONTROL]: (name) => `the ${name} service does not accept this control`,
  [ServiceErrorCode.ERROR_SERVICE_REQUEST_TIMEOUT]: (name) => `the ${name} service did not respond to the request in time`,
  [ServiceErrorCode.ERROR_SERVICE_ALREADY_RUNNING]: (name) => `the ${name} service is already running`,
  [ServiceErrorCode.ERROR_SERVICE_DISABLED]: (name) => `the ${name} service is disabled: change its startup first`,
  [ServiceErrorCode.ERROR_SERVICE_DOES_NOT_EXIST]: (name) => `there is no service named '${name}'`,
  [ServiceErrorCode.ERROR_SERVICE_CANNOT_ACCEPT_CTRL]: (name) =>
    `the ${name} service cannot accept controls now (it is starting, stopping or stopped)`,
  [ServiceErrorCode.ERROR_SERVICE_NOT_ACTIVE]: (name) => `the ${name} service is not running`,
  [ServiceErrorCode.ERROR_SERVICE_MARKED_FOR_DELETE]: (name) =>
    `the ${name} service is marked for deletion: it goes once it has stopped and every program holding it open (Services, sc, a debugger) has closed it`,
  [ServiceErrorCode.ERROR_SERVICE_EXISTS]: (name) => `a service named '${name}' already exists`,
};

/** The same error, its text naming the service where the code is one the control API knows. */
export function serviceError(name: string, error: unknown): unknown {
  if (!isWindowsError(error)) return error;
  const text = TEXTS[error.code];
  return text ? new WindowsError(error.functionName, error.code, text(name), { cause: error }) : error;
}

/** Runs `action`, turning its WindowsErrors into {@link serviceError}s. */
export function aboutService<T>(name: string, action: () => T): T {
  try {
    const result = action();
    return result instanceof Promise ? (result.catch((error: unknown) => Promise.reject(serviceError(name, error))) as T) : result;
  } catch (error) {
    throw serviceError(name, error);
  }
}
