/**
 * The one way this code base owns a Win32 handle (issue 17): an object with `close()` and
 * `[Symbol.dispose]`, so a caller writes `using`, as Rust's ScHandle closes itself on Drop. Every
 * class that holds a handle (ServiceManager, Service, RegistryKey, EventLog, MsiDatabase…) keeps
 * one of these, so each gets the same two rules:
 * - closing twice does nothing, and a closed handle throws when used;
 * - `[Symbol.dispose]` never throws. It runs while the block's own error, if any, is on its way
 *   out, and a close that throws there would replace that error (try/finally) or bury it under a
 *   SuppressedError whose `.error` is the close's (`using`): callers test `err.code`. So a failed
 *   close on the way out is a process warning (Rust's Drop and Go's `defer h.Close()` drop it
 *   silently); call `close()` to have it thrown.
 * Native memory a raw wrapper frees before it returns (LocalFree, koffi.free) is not a handle and
 * keeps its try/finally inside runtime/win32.
 * @module
 */

/** Emits a warning; a seam for the unit tests. */
export type Warn = (warning: Error) => void;

const processWarning: Warn = (warning) => process.emitWarning(warning);

/** A Win32 handle and the function that releases it. */
export class OwnedHandle<H> implements Disposable {
  #handle: H | undefined;
  readonly #release: (handle: H) => void;
  readonly #what: string;
  readonly #warn: Warn;

  /** Owns `handle` (already checked: not null, not INVALID_HANDLE_VALUE); `what` names it in errors, e.g. 'service handle'. */
  constructor(handle: H, release: (handle: H) => void, what: string, warn: Warn = processWarning) {
    this.#handle = handle;
    this.#release = release;
    this.#what = what;
    this.#warn = warn;
  }

  /** The raw handle; throws once closed. */
  get handle(): H {
    if (this.#handle === undefined) throw new Error(`the ${this.#what} is closed`);
    return this.#handle;
  }

  /** Whether close() has run. */
  get closed(): boolean {
    return this.#handle === undefined;
  }

  /** Releases the handle; throws what the release threw (the handle counts as closed either way). Closing twice does nothing. */
  close(): void {
    const handle = this.#handle;
    if (handle === undefined) return;
    this.#handle = undefined;
    this.#release(handle);
  }

  /** close(), with a failure reported as a warning instead of thrown (see the module comment). */
  [Symbol.dispose](): void {
    try {
      this.close();
    } catch (error) {
      const warning = new Error(`closing a ${this.#what} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      warning.name = 'NodeServiceCloseWarning';
      this.#warn(warning);
    }
  }
}
