/**
 * `eventlog [--log L] [--source S] [--backwards] [--max N] [--machine M] [--json]`: reads an event
 * log and prints each record with its text as Event Viewer shows it.
 * @module
 */
import { EventLog, safeFormatMessage } from '../../../runtime/eventlog/reader.ts';
import { eventIdText } from '../../../runtime/eventlog/service-log.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

const TYPE_NAMES = new Map([
  [0, 'Success'],
  [1, 'Error'],
  [2, 'Warning'],
  [4, 'Information'],
  [8, 'Audit success'],
  [16, 'Audit failure'],
]);

export const eventlogCommand: Command = {
  name: 'eventlog',
  usage: '[--log L] [--source S] [--backwards] [--max N] [--machine M] [--json]',
  summary: 'read an event log (default Application), with each entry formatted as Event Viewer shows it',
  async run(argv) {
    const { values } = parseCommandArgs(
      argv,
      {
        log: { type: 'string', default: 'Application' },
        source: { type: 'string' },
        backwards: { type: 'boolean' },
        max: { type: 'string' },
        machine: { type: 'string' },
        json: { type: 'boolean' },
      },
      { names: [] },
    );
    if (values.max !== undefined && !/^[1-9]\d*$/.test(values.max))
      throw new UsageError(`--max must be a positive whole number, not '${values.max}'`);
    const max = values.max === undefined ? Number.POSITIVE_INFINITY : Number(values.max);
    const log = EventLog.open(values.log, values.machine);
    try {
      let shown = 0;
      for await (const record of log.records({ direction: values.backwards ? 'backwards' : 'forwards' })) {
        if (values.source !== undefined && record.sourceName.toLowerCase() !== values.source.toLowerCase()) continue;
        const text = safeFormatMessage(record, values.log).trimEnd();
        if (values.json) console.log(JSON.stringify({ ...record, data: record.data.toString('base64'), text }));
        else {
          const type = TYPE_NAMES.get(record.eventType) ?? `Type ${record.eventType}`;
          console.log(
            `#${record.recordNumber}  ${record.timeGenerated.toISOString()}  ${type}  ${record.sourceName}  ${eventIdText(record.eventId)}  ${text}`,
          );
        }
        if (++shown >= max) break;
      }
      if (shown === 0 && !values.json) console.log(`No records${values.source ? ` from ${values.source}` : ''} in the ${values.log} log.`);
    } finally {
      log.close();
    }
  },
};
