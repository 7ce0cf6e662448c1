/**
 * The wait both followers of the event log share (EventLog.follow, subscribeEvents): Windows sets a
 * manual-reset event when there is something new, the follower waits on it (on a worker thread,
 * so the event loop stays free), and an AbortSignal sets it too, so an abort ends the wait at once.
 * One disposable owns the event and the abort listener, so `using` undoes both.
 * @module
 */
import { closeEvent, createManualResetEvent, resetEvent, setEvent, waitForEvent, type EventHandle } from '../win32/kernel32/events.ts';
import { OwnedHandle } from '../win32/owned-handle.ts';

/** A manual-reset event that `signal`'s abort sets. */
export class WakeEvent implements Disposable {
  readonly #event = new OwnedHandle(createManualResetEvent(), closeEvent, 'wake event');
  readonly #signal: AbortSignal | undefined;
  readonly #wake = () => setEvent(this.#event.handle);

  constructor(signal?: AbortSignal) {
    this.#signal = signal;
    signal?.addEventListener('abort', this.#wake);
  }

  /** The event, for the Windows call that sets it (NotifyChangeEventLog, EvtSubscribe). */
  get handle(): EventHandle {
    return this.#event.handle;
  }

  /** Waits until the event is set or `ms` pass, then resets it. */
  async wait(ms: number): Promise<void> {
    await waitForEvent(this.handle, ms);
    resetEvent(this.handle);
  }

  /** Stops listening to the signal, then closes the event. */
  [Symbol.dispose](): void {
    this.#signal?.removeEventListener('abort', this.#wake);
    this.#event[Symbol.dispose]();
  }
}
