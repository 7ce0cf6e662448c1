/**
 * The service-specific exit codes NodeService reports (with ERROR_SERVICE_SPECIFIC_ERROR, 1066)
 * when a service ends badly; a thrown error's own `exitCode` takes the place of 1. They are
 * documented in the README, as the SCM's failure actions and monitoring tools read them.
 * @module
 */

/** svcDoRun threw, or the service's code threw or rejected unhandled anywhere (and no `exitCode` was given). */
export const DEFAULT_FAILURE_EXIT_CODE = 1;
/** The module could not be loaded, or did not finish loading within the load timeout. */
export const LOAD_FAILURE_EXIT_CODE = 2;
/** svcDoRun did not return within svcStopTimeout of a stop request: its code was ended. */
export const STOP_TIMEOUT_EXIT_CODE = 3;
/** The service's code called `process.exit(0)` before the service had stopped (`process.exit(n)` reports n). */
export const EXIT_CALLED_EXIT_CODE = 4;
