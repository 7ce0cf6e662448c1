/**
 * kernel32.dll, console surface: what it takes to press Ctrl+C in another process's console, the
 * way Windows offers it. GenerateConsoleCtrlEvent reaches only the processes of the caller's own
 * console, so the sender leaves its console, joins the target's and ignores Ctrl+C itself first
 * (attaching resets its handler list to the default one, which would end it). The native test
 * runner (test/native/interrupt.ts) uses all of it, since on Windows libuv's kill('SIGINT')
 * terminates; host/cli/interrupt.ts uses ignoreCtrlC(false) to take Ctrl+C back.
 * https://learn.microsoft.com/windows/console/console-functions
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import { check } from '../errors.ts';

/** The control events GenerateConsoleCtrlEvent sends (wincon.h). */
export const ConsoleCtrlEvent = {
  CTRL_C_EVENT: 0,
  CTRL_BREAK_EVENT: 1,
} as const;
/** One of {@link ConsoleCtrlEvent}'s values. */
export type ConsoleCtrlEvent = (typeof ConsoleCtrlEvent)[keyof typeof ConsoleCtrlEvent];

const api = bindLibrary('kernel32.dll', (dll) => ({
  FreeConsole: dll.func('bool __stdcall FreeConsole()'),
  AttachConsole: dll.func('bool __stdcall AttachConsole(uint32 processId)'),
  SetConsoleCtrlHandler: dll.func('bool __stdcall SetConsoleCtrlHandler(void *handlerRoutine, bool add)'),
  GenerateConsoleCtrlEvent: dll.func('bool __stdcall GenerateConsoleCtrlEvent(uint32 ctrlEvent, uint32 processGroupId)'),
}));

/**
 * FreeConsole: detaches the calling process from its console (none attached: ERROR_INVALID_PARAMETER).
 * https://learn.microsoft.com/windows/console/freeconsole
 */
export function freeConsole(): void {
  check('FreeConsole', api().FreeConsole());
}

/**
 * AttachConsole: attaches the calling process to the console of `processId`, which must have one
 * (else ERROR_INVALID_HANDLE; ERROR_ACCESS_DENIED when already attached to one; ERROR_INVALID_PARAMETER
 * when there is no such process). https://learn.microsoft.com/windows/console/attachconsole
 */
export function attachConsole(processId: number): void {
  check('AttachConsole', api().AttachConsole(processId));
}

/**
 * SetConsoleCtrlHandler(NULL, ignore): sets (true) or clears the calling process's attribute of
 * ignoring Ctrl+C, which its children inherit. https://learn.microsoft.com/windows/console/setconsolectrlhandler
 */
export function ignoreCtrlC(ignore: boolean): void {
  check('SetConsoleCtrlHandler', api().SetConsoleCtrlHandler(null, ignore));
}

/**
 * GenerateConsoleCtrlEvent: sends `event` to the processes of the caller's console (group 0: all of
 * them; Ctrl+C cannot be limited to a group). https://learn.microsoft.com/windows/console/generateconsolectrlevent
 */
export function generateConsoleCtrlEvent(event: ConsoleCtrlEvent, processGroupId = 0): void {
  check('GenerateConsoleCtrlEvent', api().GenerateConsoleCtrlEvent(event, processGroupId));
}
