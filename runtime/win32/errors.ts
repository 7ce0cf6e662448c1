/**
 * The one Win32 vocabulary of failure: every ERROR_* code NodeService names, each once, and the
 * checks that turn a failed call into a {@link WindowsError} at the wrapper boundary (Rust's
 * `Error::Winapi(last_os_error())`). Every file compares `error.code` with these names instead of
 * declaring its own constant, so a code has one spelling and one value in the whole tree.
 * The keys keep Windows' own names (winerror.h), prefix included, so a search for a name finds
 * both Microsoft's documentation and our uses.
 * @module
 */
import { lastErrorCode, systemMessage } from './kernel32/last-error.ts';
import { WindowsError } from './windows-error.ts';

/** Win32 error codes by their winerror.h names. https://learn.microsoft.com/windows/win32/debug/system-error-codes */
export const ErrorCode = {
  NO_ERROR: 0,
  ERROR_FILE_NOT_FOUND: 2,
  ERROR_PATH_NOT_FOUND: 3,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INVALID_HANDLE: 6,
  ERROR_NO_MORE_FILES: 18,
  ERROR_HANDLE_EOF: 38,
  ERROR_NOT_SUPPORTED: 50,
  ERROR_INVALID_PARAMETER: 87,
  ERROR_BROKEN_PIPE: 109,
  ERROR_CALL_NOT_IMPLEMENTED: 120,
  ERROR_BUFFER_OVERFLOW: 111,
  ERROR_INSUFFICIENT_BUFFER: 122,
  ERROR_INVALID_LEVEL: 124,
  ERROR_BAD_PATHNAME: 161,
  ERROR_ALREADY_EXISTS: 183,
  ERROR_PIPE_BUSY: 231,
  ERROR_NO_DATA: 232,
  ERROR_PIPE_NOT_CONNECTED: 233,
  ERROR_MORE_DATA: 234,
  ERROR_NO_MORE_ITEMS: 259,
  ERROR_MR_MID_NOT_FOUND: 317,
  ERROR_PIPE_CONNECTED: 535,
  ERROR_PIPE_LISTENING: 536,
  ERROR_OPERATION_ABORTED: 995,
  ERROR_IO_PENDING: 997,
  ERROR_DEPENDENT_SERVICES_RUNNING: 1051,
  ERROR_INVALID_SERVICE_CONTROL: 1052,
  ERROR_SERVICE_REQUEST_TIMEOUT: 1053,
  ERROR_SERVICE_ALREADY_RUNNING: 1056,
  ERROR_SERVICE_DISABLED: 1058,
  ERROR_SERVICE_DOES_NOT_EXIST: 1060,
  ERROR_SERVICE_CANNOT_ACCEPT_CTRL: 1061,
  ERROR_SERVICE_NOT_ACTIVE: 1062,
  ERROR_SERVICE_SPECIFIC_ERROR: 1066,
  ERROR_SERVICE_MARKED_FOR_DELETE: 1072,
  ERROR_SERVICE_EXISTS: 1073,
  ERROR_SERVICE_NEVER_STARTED: 1077,
  ERROR_DUPLICATE_SERVICE_NAME: 1078,
  ERROR_ALREADY_REGISTERED: 1242,
  ERROR_NOT_ALL_ASSIGNED: 1300,
  ERROR_PRIVILEGE_NOT_HELD: 1314,
  ERROR_NONE_MAPPED: 1332,
  ERROR_TIMEOUT: 1460,
  ERROR_EVENTLOG_FILE_CHANGED: 1503,
  /** Not an ERROR_* name but an RPC status the SCM's RPC layer returns as a Win32 code (Wine: a union arm it lacks). */
  RPC_S_INVALID_TAG: 1733,
  ERROR_RESOURCE_TYPE_NOT_FOUND: 1813,
} as const;
/** One of {@link ErrorCode}'s values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A WindowsError for `code` (a result code, for APIs that return one instead of setting the last error). */
export function windowsError(functionName: string, code: number): WindowsError {
  return new WindowsError(functionName, code, systemMessage(code));
}

/**
 * A WindowsError for the calling thread's last error. Call it right after the failed call:
 * koffi keeps the last-error value of its previous call intact across the JS in between.
 */
export function lastError(functionName: string): WindowsError {
  return windowsError(functionName, lastErrorCode());
}

/** Throws the last error as a WindowsError when a BOOL-returning call failed. */
export function check(functionName: string, ok: boolean): void {
  if (!ok) throw lastError(functionName);
}

/** Throws the last error as a WindowsError when a handle-returning call returned NULL. */
export function checkHandle<T>(functionName: string, handle: unknown): T {
  if (handle === null) throw lastError(functionName);
  return handle as T;
}

/** Throws a WindowsError for APIs that return their Win32 code (0 = ERROR_SUCCESS) instead of setting the last error. */
export function checkResult(functionName: string, code: number): void {
  if (code !== ErrorCode.NO_ERROR) throw windowsError(functionName, code);
}

/**
 * Calls a BOOL API that fills a caller's buffer and says how big it must be: first with an empty
 * buffer, then again with one of the size it asked for (ERROR_INSUFFICIENT_BUFFER or
 * ERROR_MORE_DATA), until the call succeeds. Resolves to the filled buffer.
 */
export function callWithSizedBuffer(functionName: string, call: (buffer: Buffer, needed: number[]) => boolean): Buffer {
  let buffer = Buffer.alloc(0);
  for (;;) {
    const needed = [0];
    if (call(buffer, needed)) return buffer;
    const error = lastError(functionName);
    const tooSmall = error.code === ErrorCode.ERROR_INSUFFICIENT_BUFFER || error.code === ErrorCode.ERROR_MORE_DATA;
    if (!tooSmall || needed[0]! <= buffer.length) throw error;
    buffer = Buffer.alloc(needed[0]!);
  }
}
