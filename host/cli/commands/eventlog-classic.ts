/**
 * The classic-log side of `host.exe eventlog`: printing records (of a log or of a backup file),
 * backing up, clearing, and following new records until Ctrl+C. Split from eventlog.ts, which only
 * parses and picks the mode, so each mode reads on its own.
 * @module
 */
import path from 'node:path';
import { eventTypeName } from '../../../runtime/eventlog/event-types.ts';
import { EventLog, safeFormatMessage, type EventLogRecord } from '../../../runtime/eventlog/reader.ts';
import { eventIdText } from '../../../runtime/eventlog/service-log.ts';
import { onInterrupt } from '../interrupt.ts';

const TYPE_LABELS: Record<string, string> = {
  success: 'Success',
  error: 'Error',
  warning: 'Warning',
  information: 'Information',
  auditSuccess: 'Audit success',
  auditFailure: 'Audit failure',
};

/** What the read modes print: which source, how many, as JSON or lines; `log` names the message files' log. */
export interface PrintOptions {
  source?: string;
  max: number;
  json: boolean;
  log: string;
}

/** Prints one record; false when `source` filters it out. */
function printRecord(record: EventLogRecord, options: PrintOptions): boolean {
  if (options.source !== undefined && record.sourceName.toLowerCase() !== options.source.toLowerCase()) return false;
  const text = safeFormatMessage(record, options.log).trimEnd();
  if (options.json) {
    console.log(JSON.stringify({ ...record, type: eventTypeName(record.eventType), data: record.data.toString('base64'), text }));
  } else {
    const name = eventTypeName(record.eventType);
    const type = name ? TYPE_LABELS[name] : `Type ${record.eventType}`;
    console.log(
      `#${record.recordNumber}  ${record.timeGenerated.toISOString()}  ${type}  ${record.sourceName}  ${eventIdText(record.eventId)}  ${text}`,
    );
  }
  return true;
}

/** Prints the records of `log` (a log name, or a backup file when `file`) in `direction`. */
export async function printRecords(log: EventLog, backwards: boolean, what: string, options: PrintOptions): Promise<void> {
  let shown = 0;
  for await (const record of log.records({ direction: backwards ? 'backwards' : 'forwards' })) {
    if (printRecord(record, options) && ++shown >= options.max) break;
  }
  if (shown === 0 && !options.json) console.log(`No records${options.source ? ` from ${options.source}` : ''} in ${what}.`);
}

/** Opens `log`, or the backup file `file` when given; the caller closes it (`using`). */
export function openLog(log: string, machine: string | undefined, file: string | undefined): EventLog {
  return file === undefined ? EventLog.open(log, machine) : EventLog.openBackup(path.resolve(file), machine);
}

/** `--backup <file>`: saves the log to a new file. */
export function backup(log: EventLog, file: string): void {
  const target = path.resolve(file);
  log.backup(target);
  console.log(`Backed up the ${log.log} log to ${target}`);
}

/** `--clear [--backup-to <file>]`: empties the log, saving it first when asked. */
export function clear(log: EventLog, backupTo: string | undefined): void {
  const target = backupTo === undefined ? undefined : path.resolve(backupTo);
  log.clear({ backupTo: target });
  console.log(target ? `Cleared the ${log.log} log (saved first to ${target})` : `Cleared the ${log.log} log`);
}

/** Runs `body` with an AbortSignal that Ctrl+C (or Ctrl+Break) aborts; the handlers are removed after. */
export async function untilInterrupted(body: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  const offInterrupt = onInterrupt(stop);
  try {
    await body(controller.signal);
  } finally {
    offInterrupt();
  }
}

/** `--follow`: prints new records as they are written, until Ctrl+C. */
export async function follow(log: EventLog, options: PrintOptions): Promise<void> {
  await untilInterrupted(async (signal) => {
    if (!options.json) console.log(`Following the ${log.log} log (Ctrl+C to stop)…`);
    for await (const record of log.follow({ signal })) printRecord(record, options);
  });
  if (!options.json) console.log('Stopped following.');
}
