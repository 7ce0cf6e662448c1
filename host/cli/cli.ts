/**
 * host.exe's command line: a table of verbs, help generated from it, and one place that turns
 * errors into a message and an exit code (2 for usage errors, 1 for failures), never a stack trace.
 * @module
 */
import path from 'node:path';
import type { Command } from './command.ts';
import { applyCommand, exportCommand } from './commands/apply.ts';
import {
  continueCommand,
  pauseCommand,
  restartCommand,
  startCommand,
  statusCommand,
  stopCommand,
  userControlCommand,
} from './commands/control.ts';
import { debugCommand } from './commands/debug.ts';
import { doctorCommand } from './commands/doctor.ts';
import { eventlogCommand } from './commands/eventlog.ts';
import { eventsourceCommand } from './commands/eventsource.ts';
import { info } from './commands/info.ts';
import { installCommand, removeCommand, updateCommand } from './commands/install.ts';
import { listCommand } from './commands/list.ts';
import { logsCommand } from './commands/logs.ts';
import { messageCommand } from './commands/message.ts';
import { packageCommand } from './commands/package.ts';
import { perfCommand } from './commands/perf.ts';
import { registerCommand, unregisterCommand } from './commands/register.ts';
import { securityCommand } from './commands/security.ts';
import { watchCommand } from './commands/watch.ts';
import { notifyThreadSource } from './status-notify.ts';
import { setNotifySource } from '../../runtime/control/status-watch.ts';
import { UsageError } from './usage-error.ts';
import { isAbandonedCall } from '../../runtime/control/deadline.ts';
import { terminateCurrentProcess } from '../../runtime/win32/kernel32.ts';
import { version } from './version.ts';

const commands: readonly Command[] = [
  registerCommand,
  unregisterCommand,
  installCommand,
  updateCommand,
  removeCommand,
  applyCommand,
  exportCommand,
  packageCommand,
  startCommand,
  stopCommand,
  pauseCommand,
  continueCommand,
  restartCommand,
  userControlCommand,
  statusCommand,
  watchCommand,
  securityCommand,
  listCommand,
  debugCommand,
  logsCommand,
  messageCommand,
  eventlogCommand,
  eventsourceCommand,
  perfCommand,
  doctorCommand,
  info,
];

/** The program name as the user typed it (host.exe may be renamed). */
function programName(): string {
  return path.win32.basename(process.execPath);
}

function helpText(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    `NodeService ${version}: runs Node.js services under the Windows Service Control Manager.`,
    '',
    `Usage: ${programName()} <verb> [arguments]`,
    '',
    'Started by the Service Control Manager (no verb), it runs the service the SCM started it for.',
    '',
    'Verbs:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  --help, -h     show this help, or a verb\'s usage with "<verb> --help"',
    '  --version, -v  print the version',
  ].join('\n');
}

function commandUsage(command: Command): string {
  return `Usage: ${programName()} ${command.name} ${command.usage}`.trimEnd();
}

/** Runs host.exe's command line (`argv` without the executable) and resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(helpText());
    return 0;
  }
  if (verb === '--version' || verb === '-v' || verb === 'version') {
    // The version alone on the first line, for scripts; then the Node.js host.exe carries.
    console.log(`${version}\nNode.js ${process.version}`);
    return 0;
  }
  // Waits and watches learn of state changes from the SCM through a thread of their own (status-notify.ts).
  setNotifySource(notifyThreadSource);
  const command = commands.find((candidate) => candidate.name === verb);
  if (command === undefined) {
    console.error(`${programName()}: unknown verb '${verb}'. Run "${programName()} --help" for the list.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${commandUsage(command)}\n\n${command.summary}`);
    return 0;
  }
  try {
    return (await command.run(rest)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${programName()} ${verb}: ${error.message}\n${commandUsage(command)}`);
      return 2;
    }
    console.error(`${programName()} ${verb} failed: ${error instanceof Error ? error.message : String(error)}`);
    // A native call left running (a hung service's ControlService) blocks a thread that
    // process.exit would wait for: end the process without it.
    if (isAbandonedCall(error)) terminateCurrentProcess(1);
    return 1;
  }
}
