/**
 * A bound on a call that cannot be cancelled: StartServiceW and ControlService run on a koffi
 * worker thread and may block for as long as the target service's handler does (minutes, against a
 * hung service, issue 15, item 10). When the deadline passes, the caller gets a clear error at once;
 * the native call is abandoned, still running, and its handle stays open until it returns. Errors
 * carry `abandonedCall` so a command-line program knows to exit instead of waiting for it.
 * @module
 */

/** An error that left a native call running behind it. */
export interface AbandonedCallError extends Error {
  abandonedCall: true;
}

/** True when `error` gave up on a native call that is still running. */
export function isAbandonedCall(error: unknown): error is AbandonedCallError {
  return typeof error === 'object' && error !== null && (error as { abandonedCall?: unknown }).abandonedCall === true;
}

/** `work`'s outcome, or `timeoutError()` (marked abandonedCall) when `ms` pass first. */
export function withDeadline<T>(work: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(timeoutError(), { abandonedCall: true as const })), Math.max(0, ms));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
