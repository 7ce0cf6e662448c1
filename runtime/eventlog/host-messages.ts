// Generated from messages/host.mc by messages/generate.ts: do not edit, edit the .mc file and run "npm run messages".

/** %1%0 */
export const MSG_SUCCESS_TEXT = 0x000000FF;
/** %1%0 */
export const MSG_INFO_TEXT = 0x400000FF;
/** %1%0 */
export const MSG_WARNING_TEXT = 0x800000FF;
/** %1%0 */
export const MSG_ERROR_TEXT = 0xC00000FF;
/** The %1 service is starting.%2%0 */
export const SERVICE_STARTING = 0x40001001;
/** The %1 service has started.%2%0 */
export const SERVICE_STARTED = 0x40001002;
/** The %1 service is stopping.%2%0 */
export const SERVICE_STOPPING = 0x40001003;
/** The %1 service has stopped.%2%0 */
export const SERVICE_STOPPED = 0x40001004;
/** The %1 service failed to start: %2%0 */
export const SERVICE_START_FAILED = 0xC0001005;
/** The %1 service failed: %2%0 */
export const SERVICE_FAILED = 0xC0001006;
/** The %1 service's %2 failed: %3%0 */
export const SERVICE_CONTROL_FAILED = 0x80001007;
/** The %1 service's output cannot be written to %2: %3. The service keeps running; its output is lost until the folder can be written again.%0 */
export const SERVICE_OUTPUT_NOT_WRITTEN = 0x80001008;
