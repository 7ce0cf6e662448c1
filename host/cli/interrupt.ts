/**
 * Ctrl+C and Ctrl+Break, the two keys a Windows user presses to stop a long-running command
 * (`debug`, `watch`, `logs --follow`, `eventlog --follow`). Node reports them as SIGINT and SIGBREAK;
 * every such command listens for both through this one function, so none forgets Ctrl+Break.
 * @module
 */

/** The signals Node raises for Ctrl+C and Ctrl+Break in the console. https://nodejs.org/api/process.html#signal-events */
export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGBREAK'] as const;

/** Calls `handler` on each Ctrl+C or Ctrl+Break until the returned function removes it. */
export function onInterrupt(handler: () => void): () => void {
  for (const signal of INTERRUPT_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of INTERRUPT_SIGNALS) process.off(signal, handler);
  };
}
