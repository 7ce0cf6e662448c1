/**
 * `eventsource add|remove|write`: what an administrator does by hand with event sources (as
 * pywin32's win32evtlogutil and Windows' eventcreate): register a source in Application or a custom
 * log with its message, category and parameter files, remove it (and the custom log when it is left
 * empty), and write one entry under it, e.g. to check what Event Viewer shows. A thin layer over
 * the runtime's registerEventSource/removeEventSource/reportEvent: every check lives there.
 * @module
 */
import fs from 'node:fs';
import { EVENT_TYPES, type EventType } from '../../../runtime/eventlog/event-types.ts';
import { reportEvent } from '../../../runtime/eventlog/report.ts';
import { registerEventSource, removeEventSource } from '../../../runtime/eventlog/sources.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';
import { parseEventId } from './message.ts';

const options = {
  log: { type: 'string', default: 'Application' },
  'message-file': { type: 'string', multiple: true },
  'category-file': { type: 'string' },
  'category-count': { type: 'string' },
  'parameter-file': { type: 'string' },
  types: { type: 'string' },
  'remove-log': { type: 'boolean' },
  type: { type: 'string', default: 'information' },
  category: { type: 'string' },
  'data-file': { type: 'string' },
  sid: { type: 'string' },
} as const;

/** The options each action takes besides --log. */
const ACTIONS = {
  add: ['message-file', 'category-file', 'category-count', 'parameter-file', 'types'],
  remove: ['remove-log'],
  write: ['type', 'category', 'data-file', 'sid'],
} as const;

function eventType(text: string, option: string): EventType {
  if (!(EVENT_TYPES as string[]).includes(text)) throw new UsageError(`${option} takes ${EVENT_TYPES.join(', ')}, not '${text}'`);
  return text as EventType;
}

function whole(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${option} takes a whole number, not '${text}'`);
  return Number(text);
}

export const eventsourceCommand: Command = {
  name: 'eventsource',
  usage:
    'add <name> --message-file F [--message-file F…] [--log L] [--category-file F --category-count N] [--parameter-file F] [--types T,T] | remove <name> [--log L] [--remove-log] | write <name> <id> [insert ...] [--type T] [--category N] [--data-file F] [--sid SID]',
  summary: 'register or remove an event source (in Application or a custom log), or write one entry under it',
  run(argv) {
    const { values, positionals } = parseCommandArgs(argv, options, {
      names: ['action', 'name', 'id', 'insert'],
      required: 2,
      variadic: true,
    });
    const [action, name, ...rest] = positionals as [string, string, ...string[]];
    if (!Object.hasOwn(ACTIONS, action)) throw new UsageError(`<action> is add, remove or write, not '${action}'`);
    const allowed = ACTIONS[action as keyof typeof ACTIONS] as readonly string[];
    for (const option of Object.keys(values)) {
      const given = values[option as keyof typeof values];
      if (option === 'log' || given === undefined || (option === 'type' && given === 'information')) continue;
      if (!allowed.includes(option)) throw new UsageError(`--${option} does not go with ${action}`);
    }
    if (action !== 'write' && rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
    if (action === 'write' && values.log !== 'Application') {
      throw new UsageError('--log does not go with write: the entry goes to the log its source is registered in');
    }
    if (action === 'add') {
      const messageFiles = values['message-file'] ?? [];
      if (messageFiles.length === 0) throw new UsageError('add needs at least one --message-file');
      registerEventSource({
        name,
        log: values.log,
        messageFiles,
        categoryMessageFile: values['category-file'],
        categoryCount: whole(values['category-count'], '--category-count'),
        parameterMessageFile: values['parameter-file'],
        typesSupported: values.types?.split(',').map((type) => eventType(type.trim(), '--types')),
      });
      console.log(`Registered event source ${name} in the ${values.log} log`);
    } else if (action === 'remove') {
      const removed = removeEventSource(name, values.log, { removeLogIfEmpty: values['remove-log'] });
      console.log(
        removed
          ? `Removed event source ${name} from the ${values.log} log`
          : `No event source ${name} of NodeService's in the ${values.log} log`,
      );
    } else {
      const [idText, ...inserts] = rest;
      if (idText === undefined) throw new UsageError('missing <id>');
      const dataFile = values['data-file'];
      let data: Buffer | undefined;
      try {
        data = dataFile === undefined ? undefined : fs.readFileSync(dataFile);
      } catch (error) {
        throw new Error(`cannot read --data-file ${dataFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      reportEvent({
        source: name,
        type: eventType(values.type, '--type'),
        category: whole(values.category, '--category'),
        eventId: parseEventId(idText),
        strings: inserts,
        data,
        userSid: values.sid,
      });
      console.log(`Wrote event ${idText} under ${name}`);
    }
  },
};
