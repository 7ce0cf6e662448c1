/**
 * `message <source> <id> [insert ...]`: the text Event Viewer shows for an event of a source,
 * formatted from the source's registered message files (or from `--file`) with the inserts.
 * @module
 */
import { formatEventMessage, formatMessageFromFile } from '../../../runtime/eventlog/format.ts';
import { eventIdText } from '../../../runtime/eventlog/service-log.ts';
import { eventMessageFiles } from '../../../runtime/eventlog/sources.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

/** An event id as typed: `0x40001002` or `1073745922`; a usage error otherwise. */
export function parseEventId(text: string): number {
  const id = /^0x[0-9a-f]{1,8}$/i.test(text) ? Number.parseInt(text.slice(2), 16) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id) || id > 0xffffffff)
    throw new UsageError(`<id> must be a number such as 0x40001002 or 1073745922, not '${text}'`);
  return id;
}

export const messageCommand: Command = {
  name: 'message',
  usage: '<source> <id> [insert ...] [--file F] [--log L]',
  summary: "print an event's text as Event Viewer shows it, from the source's message files",
  run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { file: { type: 'string' }, log: { type: 'string', default: 'Application' } },
      { names: ['source', 'id', 'insert'], required: 2, variadic: true },
    );
    const [source, idText, ...inserts] = positionals as [string, string, ...string[]];
    const id = parseEventId(idText);
    const hex = eventIdText(id);
    let text: string | undefined;
    if (values.file) {
      text = formatMessageFromFile(values.file, id, inserts);
      if (text === undefined) throw new Error(`${values.file} has no message ${hex}`);
    } else {
      const files = eventMessageFiles(source, values.log);
      if (files.length === 0) throw new Error(`'${source}' is not an event source of the ${values.log} log (it has no EventMessageFile)`);
      text = formatEventMessage(source, id, inserts, values.log);
      if (text === undefined) throw new Error(`no message file of '${source}' has message ${hex} (searched ${files.join(', ')})`);
    }
    console.log(text.trimEnd());
  },
};
