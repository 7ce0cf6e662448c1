/**
 * Timeouts a service or an administrator sets: checked once, where they enter (a class's static,
 * an install option), and run by a timer that can hold any of them. Node clamps a delay above
 * 2^31-1 ms (about 24.8 days) to 1 ms, so `svcStopTimeout = Infinity` used to make every stop fail
 * at once; here Infinity means no limit and long delays are chained.
 * @module
 */

/** How long a module may take to load (at install, in debug, at each start) when its install set no `--load-timeout`. */
export const DEFAULT_LOAD_TIMEOUT_MS = 60_000;

/** The longest delay one Node timer holds. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * `value` as a timeout in milliseconds: a positive number, or Infinity for no limit. Anything else
 * (0, negative, NaN, a string) is an error that names `what`, so the author learns it at install or load.
 */
export function checkTimeout(value: unknown, what: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new Error(`${what} must be a positive number of milliseconds, or Infinity for no limit (not ${describe(value)})`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

/** Calls `fn` once after `ms` (any length; never for Infinity); returns what cancels it. */
export function setLongTimeout(fn: () => void, ms: number): () => void {
  if (ms === Infinity) return () => {};
  let timer: NodeJS.Timeout;
  const due = Date.now() + ms;
  const arm = () => {
    const left = due - Date.now();
    timer = left > MAX_TIMER_DELAY_MS ? setTimeout(arm, MAX_TIMER_DELAY_MS) : setTimeout(fn, Math.max(left, 0));
  };
  arm();
  return () => clearTimeout(timer);
}

/** `promise`, or a rejection with `timedOut()`'s error when it has not settled within `ms`; the timer keeps the event loop alive meanwhile. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let cancel = () => {};
  const deadline = new Promise<never>((_, reject) => {
    cancel = setLongTimeout(() => reject(timedOut()), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    cancel();
  }
}
