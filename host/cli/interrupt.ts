/**
 * Ctrl+C and Ctrl+Break, the two keys a Windows user presses to stop a long-running command
 * (`debug`, `watch`, `logs --follow`, `eventlog --follow`). Node reports them as SIGINT and SIGBREAK;
 * every such command listens for both through this one function, so none forgets Ctrl+Break. It
 * also turns Ctrl+C processing back on: a process can inherit "ignore Ctrl+C" (SetConsoleCtrlHandler
 * with no handler), as every program `start /b` or CREATE_NEW_PROCESS_GROUP starts does, and would
 * then never see the key it is told to press.
 * @module
 */
import { ignoreCtrlC } from '../../runtime/win32/kernel32/console.ts';
import { isWindowsError } from '../../runtime/win32/windows-error.ts';

/** The signals Node raises for Ctrl+C and Ctrl+Break in the console. https://nodejs.org/api/process.html#signal-events */
export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGBREAK'] as const;

/** Clears the inherited "ignore Ctrl+C" attribute, on Windows (where host.exe runs); a no-op elsewhere. */
function processCtrlC(): void {
  if (process.platform !== 'win32') return;
  try {
    ignoreCtrlC(false);
  } catch (error) {
    // Best effort: Ctrl+Break and the listeners work without it; failing here would stop the command for nothing.
    if (!isWindowsError(error)) throw error;
  }
}

/**
 * Calls `handler` on each Ctrl+C or Ctrl+Break until the returned function removes it. `enableCtrlC`
 * is the seam the unit tests replace (it calls kernel32 on Windows).
 */
export function onInterrupt(handler: () => void, enableCtrlC: () => void = processCtrlC): () => void {
  enableCtrlC();
  for (const signal of INTERRUPT_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of INTERRUPT_SIGNALS) process.off(signal, handler);
  };
}
