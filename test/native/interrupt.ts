// Presses Ctrl+C (or Ctrl+Break) in another process's console, the way Windows allows it: Node's
// kill('SIGINT') terminates a Windows process instead (libuv has no Ctrl+C for another process).
// Windows Node runs this bundle as `node.exe interrupt.cjs <pid> [break]`. libuv starts a program
// whose standard handles are all pipes or ignored with CREATE_NO_WINDOW (windowsHide), so the
// target has a hidden console of its own, and so has this helper: it leaves its own, joins the
// target's, ignores Ctrl+C itself (attaching reset its handlers to the default one, which would end
// it) and sends the event to that console alone (group 0), so neither the test runner nor anything
// outside that console receives it. It prints `sent` when the event was sent; failures go to
// stderr with exit code 1.
import {
  attachConsole,
  ConsoleCtrlEvent,
  freeConsole,
  generateConsoleCtrlEvent,
  ignoreCtrlC,
} from '../../runtime/win32/kernel32/console.ts';
import { ErrorCode } from '../../runtime/win32/errors.ts';
import { isWindowsError } from '../../runtime/win32/windows-error.ts';

const [pidText, kind = 'c'] = process.argv.slice(2);
const pid = Number(pidText);
if (!Number.isInteger(pid) || pid <= 0 || (kind !== 'c' && kind !== 'break')) {
  console.error('usage: interrupt.cjs <pid> [c|break]');
  process.exit(2);
}

try {
  try {
    freeConsole();
  } catch (error) {
    // Started with no console at all: nothing to leave.
    if (!isWindowsError(error) || error.code !== ErrorCode.ERROR_INVALID_PARAMETER) throw error;
  }
  attachConsole(pid);
  ignoreCtrlC(true);
  // Ctrl+Break is never ignored: this helper's default handler would end it as well (with
  // STATUS_CONTROL_C_EXIT), so `sent` goes out before the event does.
  if (kind === 'break') process.stdout.write('sent\n');
  generateConsoleCtrlEvent(kind === 'break' ? ConsoleCtrlEvent.CTRL_BREAK_EVENT : ConsoleCtrlEvent.CTRL_C_EVENT);
  if (kind === 'c') process.stdout.write('sent\n');
  freeConsole();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
