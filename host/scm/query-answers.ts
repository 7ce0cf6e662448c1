/**
 * Answers to the SCM's queries (a device's query-remove, a hardware profile's query-change, a
 * query-suspend) that come from the service's own code, which runs on another thread than HandlerEx.
 *
 * Windows reads HandlerEx's return value, so the answer must exist before HandlerEx returns, and
 * HandlerEx runs on the main thread, which must never wait on the service's thread for long (it
 * may be busy or stuck: see supervisor.ts). The choice: a bounded wait. HandlerEx posts the query
 * to the service's thread and blocks in Atomics.wait on a shared Int32 for at most
 * QUERY_ANSWER_TIMEOUT_MS; the service's thread calls the method, awaits it, and writes the answer
 * there. No answer in time grants the query, as a service that does not handle it would (Windows's
 * default; refusing by default would let a stuck service block a device's removal). A static
 * declared policy was the other choice; it cannot depend on the service's state (is the device
 * in use right now?), which is what a refusal is for.
 *
 * While it waits, the main thread does nothing else: the other controls of the process (a shared
 * group's other services too) wait at most that long. One Int32 holds the answer and its query's
 * sequence number, written with compare-and-swap, so a late answer to an earlier query never
 * overwrites a later one.
 * @module
 */

/** How long HandlerEx waits for a service's answer to a query before it grants it. */
export const QUERY_ANSWER_TIMEOUT_MS = 2000;

/** Sequence numbers wrap below 2^30, so `sequence << 1 | denied` stays a positive Int32. */
const MAX_SEQUENCE = 2 ** 30 - 1;

/** The main thread's side: one per service. */
export class QueryAnswers {
  /** Shared with the service's thread (sent with its go, see RunMessage). */
  readonly buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  readonly #slot = new Int32Array(this.buffer);
  #sequence = 0;

  /**
   * Posts a query with `post(sequence)` and waits for its answer, at most `timeoutMs`: true when the
   * service refused it, false when it granted it, undefined when no answer came in time.
   */
  ask(post: (sequence: number) => void, timeoutMs = QUERY_ANSWER_TIMEOUT_MS): boolean | undefined {
    this.#sequence = (this.#sequence % MAX_SEQUENCE) + 1;
    const sequence = this.#sequence;
    post(sequence);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = Atomics.load(this.#slot, 0);
      if (value >>> 1 === sequence) return (value & 1) === 1;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(this.#slot, 0, value, left);
    }
  }
}

/**
 * The service's thread's side: answers query `sequence` in `buffer`. An answer to a query older
 * than the last one answered is dropped (its HandlerEx has returned long ago).
 */
export function answerQuery(buffer: SharedArrayBuffer, sequence: number, denied: boolean): void {
  const slot = new Int32Array(buffer);
  const answer = (sequence << 1) | (denied ? 1 : 0);
  for (;;) {
    const current = Atomics.load(slot, 0);
    const last = current >>> 1;
    // Already answered, or an earlier query's late answer; a sequence that wrapped (after 2^30 queries) counts as newer.
    if (last >= sequence && last - sequence < MAX_SEQUENCE / 2) return;
    if (Atomics.compareExchange(slot, 0, current, answer) === current) break;
  }
  Atomics.notify(slot, 0);
}
