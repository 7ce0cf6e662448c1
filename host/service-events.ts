/**
 * What the host says about a service's life: the lifecycle texts, written to the service's log
 * file under the SCM (`%ProgramData%\NodeService\logs\<name>.log`) and to the console in debug mode.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ServiceEvents } from '../runtime/service/runner.ts';

/** The severity of a line, as the Event Log names them. */
export type Severity = 'Info' | 'Warning' | 'Error';

/** Receives one lifecycle line. */
export type EventWriter = (severity: Severity, text: string) => void;

/** The lifecycle texts for service `name`, sent to `write`. */
export function serviceEvents(name: string, write: EventWriter): ServiceEvents & { starting(): void } {
  return {
    starting: () => write('Info', `The ${name} service is starting.`),
    started: () => write('Info', `The ${name} service has started.`),
    stopping: () => write('Info', `The ${name} service is stopping.`),
    stopped: () => write('Info', `The ${name} service has stopped.`),
    failed: (reason) => write('Error', `The ${name} service failed: ${reason}`),
    controlFailed: (method, reason) => write('Warning', `The ${name} service's ${method} failed: ${reason}`),
  };
}

/** The folder of the services' log files. */
export function logDirectory(): string {
  return path.join(process.env.ProgramData ?? 'C:\\ProgramData', 'NodeService', 'logs');
}

/** Appends lines to `<logDirectory>\<name>.log`; logging never throws into the service. */
export function fileWriter(name: string): EventWriter {
  const file = path.join(logDirectory(), `${name}.log`);
  return (severity, text) => {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.appendFileSync(file, `${new Date().toISOString()} ${severity} ${text.replaceAll('\n', '\r\n    ')}\r\n`);
    } catch {
      // A log that cannot be written must not stop the service.
    }
  };
}

/** Prints lines as debug mode shows them: `Info - The X service has started.` */
export const consoleWriter: EventWriter = (severity, text) => {
  (severity === 'Error' ? console.error : console.log)(`${severity} - ${text}`);
};
