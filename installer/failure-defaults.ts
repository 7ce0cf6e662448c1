/**
 * Restart on failure by default, as NSSM, WinSW and node-windows do: a new service gets growing
 * restart delays, a failure count that resets after a day without failure, and the non-crash flag
 * (NodeService reports a service whose svcDoRun throws as STOPPED with an error exit code, which
 * the SCM counts as a failure only with that flag). Kept apart from install.ts so the rule is one
 * pure function, tested on its own.
 * @module
 */
import type { FailureOptions } from './install.ts';

/** The actions a service gets when `install` is given none: restart after 1 s, 5 s, then 30 s. */
export const DEFAULT_FAILURE_ACTIONS = [
  { type: 'restart', delay: 1000 },
  { type: 'restart', delay: 5000 },
  { type: 'restart', delay: 30_000 },
] as const;

/** Seconds without failure after which the SCM counts failures from the first action again: a day. */
export const DEFAULT_FAILURE_RESET_SECONDS = 86_400;

/**
 * The failure settings `install` applies: without `--failure-actions`, the defaults above, the
 * daily reset and the non-crash flag (each unless given); with the user's actions, those and a
 * daily reset unless given; with `--failure-actions none` (no actions), nothing is set.
 */
export function installFailureOptions(failure: FailureOptions | undefined): FailureOptions | undefined {
  if (failure?.actions === undefined) {
    return {
      ...failure,
      actions: DEFAULT_FAILURE_ACTIONS,
      resetPeriod: failure?.resetPeriod ?? DEFAULT_FAILURE_RESET_SECONDS,
      onNonCrashFailures: failure?.onNonCrashFailures ?? true,
    };
  }
  if (failure.actions.length === 0)
    return failure.onNonCrashFailures === undefined ? undefined : { onNonCrashFailures: failure.onNonCrashFailures };
  return { ...failure, resetPeriod: failure.resetPeriod ?? DEFAULT_FAILURE_RESET_SECONDS };
}
