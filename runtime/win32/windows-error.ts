/**
 * The one error type of the FFI layer: a failed Win32 call, with its code and the function's name.
 * @module
 */

const brand = Symbol.for('nodeservice.WindowsError');

/** A Win32 call failed. `code` is the Win32 error code (compare with the `ERROR_*` constants). */
export class WindowsError extends Error {
  /** The Win32 error code, as GetLastError or the function's result gave it. */
  readonly code: number;
  /** The Win32 function that failed, e.g. `OpenServiceW`. */
  readonly functionName: string;
  /** The system's text for `code` (FormatMessageW), without the trailing newline. */
  readonly systemMessage: string;

  constructor(functionName: string, code: number, systemMessage: string, options?: ErrorOptions) {
    const text = systemMessage === '' ? `error ${code}` : `${systemMessage} (${code})`;
    super(`${functionName}: ${text}`, options);
    this.name = 'WindowsError';
    this.code = code;
    this.functionName = functionName;
    this.systemMessage = systemMessage;
    Object.defineProperty(this, brand, { value: true });
  }
}

/** True for a WindowsError, also one made by another copy of this module (another realm or bundle). */
export function isWindowsError(value: unknown): value is WindowsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
