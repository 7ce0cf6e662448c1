/**
 * kernel32.dll, event objects: a manual-reset event that an API sets (NotifyChangeEventLog,
 * EvtSubscribe's signal event) and a wait for it that runs on one of koffi's worker threads, so the
 * event loop never blocks. A wait always has a time limit, so the caller can look at whether it was
 * asked to stop and close the handle only once no wait is pending on it.
 * https://learn.microsoft.com/windows/win32/sync/using-event-objects
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import { lastError } from '../errors.ts';

/** An event object (HANDLE). Close it with {@link closeEvent}. */
export type EventHandle = { readonly __brand: 'EVENT_HANDLE' };

const WAIT_OBJECT_0 = 0;
const WAIT_TIMEOUT = 0x102;
const WAIT_FAILED = 0xffffffff;

const api = bindLibrary('kernel32.dll', (dll) => ({
  CreateEventW: dll.func('void * __stdcall CreateEventW(void *attributes, bool manualReset, bool initialState, const char16_t *name)'),
  ResetEvent: dll.func('bool __stdcall ResetEvent(void *event)'),
  SetEvent: dll.func('bool __stdcall SetEvent(void *event)'),
  CloseHandle: dll.func('bool __stdcall CloseHandle(void *handle)'),
  WaitForSingleObject: dll.func('uint32 __stdcall WaitForSingleObject(void *handle, uint32 milliseconds)'),
}));

/** A new unnamed manual-reset event, not set. https://learn.microsoft.com/windows/win32/api/synchapi/nf-synchapi-createeventw */
export function createManualResetEvent(): EventHandle {
  const handle = api().CreateEventW(null, true, false, null);
  if (!handle) throw lastError('CreateEventW');
  return handle as EventHandle;
}

/** Clears the event. */
export function resetEvent(event: EventHandle): void {
  if (!api().ResetEvent(event)) throw lastError('ResetEvent');
}

/** Sets the event (wakes a wait on it). */
export function setEvent(event: EventHandle): void {
  if (!api().SetEvent(event)) throw lastError('SetEvent');
}

/** Closes the event. Never while a {@link waitForEvent} on it is pending. */
export function closeEvent(event: EventHandle): void {
  if (!api().CloseHandle(event)) throw lastError('CloseHandle');
}

/**
 * Waits up to `timeoutMs` for the event on a worker thread; resolves true when it is set, false when
 * the time ran out. https://learn.microsoft.com/windows/win32/api/synchapi/nf-synchapi-waitforsingleobject
 */
export function waitForEvent(event: EventHandle, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    api().WaitForSingleObject.async(event, timeoutMs, (error: unknown, result: unknown) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      if (result === WAIT_OBJECT_0) return resolve(true);
      if (result === WAIT_TIMEOUT) return resolve(false);
      // The last error belongs to the worker thread, so only the outcome can be told.
      reject(
        new Error(
          `WaitForSingleObject failed (${result === WAIT_FAILED ? 'WAIT_FAILED: is the handle closed?' : `result ${String(result)}`})`,
        ),
      );
    });
  });
}
