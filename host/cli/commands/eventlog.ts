/**
 * `eventlog`: reads an event log and prints each record with its text as Event Viewer shows it
 * (classic API), or a backup file of one (`--file`); backs a log up (`--backup`), clears it
 * (`--clear [--backup-to F]`), follows new records (`--follow`); and queries or follows a channel
 * with an XPath filter through wevtapi (`--xpath`). This file parses and picks the mode; the modes
 * live in eventlog-classic.ts and eventlog-channel.ts.
 * @module
 */
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';
import { followChannel, queryChannel } from './eventlog-channel.ts';
import { backup, clear, follow, openLog, printRecords } from './eventlog-classic.ts';

const options = {
  log: { type: 'string', default: 'Application' },
  source: { type: 'string' },
  backwards: { type: 'boolean' },
  max: { type: 'string' },
  machine: { type: 'string' },
  json: { type: 'boolean' },
  file: { type: 'string' },
  backup: { type: 'string' },
  clear: { type: 'boolean' },
  'backup-to': { type: 'string' },
  follow: { type: 'boolean' },
  xpath: { type: 'string' },
} as const;

/** The options each mode takes besides --log and --machine; anything else is a usage error. */
const MODES = {
  backup: ['backup'],
  clear: ['clear', 'backup-to'],
  xpath: ['xpath', 'follow', 'backwards', 'max', 'json'],
  read: ['file', 'follow', 'source', 'backwards', 'max', 'json'],
} as const;

export const eventlogCommand: Command = {
  name: 'eventlog',
  usage:
    '[--log L] [--source S] [--backwards] [--max N] [--json] [--file F.evt] [--follow] | --xpath Q [--follow] | --backup F | --clear [--backup-to F]  [--machine M]',
  summary: 'read, follow, back up or clear an event log (default Application); query a channel with an XPath filter',
  async run(argv) {
    const { values } = parseCommandArgs(argv, options, { names: [] });
    const mode = values.backup !== undefined ? 'backup' : values.clear ? 'clear' : values.xpath !== undefined ? 'xpath' : 'read';
    for (const name of Object.keys(values) as (keyof typeof options)[]) {
      if (name === 'log' || name === 'machine' || values[name] === undefined) continue;
      if (!(MODES[mode] as readonly string[]).includes(name))
        throw new UsageError(`--${name} does not go with ${mode === 'read' ? 'reading' : `--${mode}`}`);
    }
    if (values['backup-to'] !== undefined && !values.clear) throw new UsageError('--backup-to goes with --clear');
    if (values.max !== undefined && !/^[1-9]\d*$/.test(values.max))
      throw new UsageError(`--max must be a positive whole number, not '${values.max}'`);
    if (values.file !== undefined && values.follow) throw new UsageError('--follow reads a live log, not a backup file (--file)');
    if (values.xpath !== undefined && values.xpath.trim() === '')
      throw new UsageError('--xpath needs a query, such as "*[System[Level<=2]]"');
    const max = values.max === undefined ? Number.POSITIVE_INFINITY : Number(values.max);
    const json = values.json ?? false;
    if (mode === 'xpath') {
      const channel = { channel: values.log, xpath: values.xpath!, reverse: values.backwards ?? false, max, json };
      return values.follow ? followChannel(channel) : queryChannel(channel);
    }
    const print = { source: values.source, max, json, log: values.log };
    using log = openLog(values.log, values.machine, mode === 'read' ? values.file : undefined);
    if (mode === 'backup') backup(log, values.backup!);
    else if (mode === 'clear') clear(log, values['backup-to']);
    else if (values.follow) await follow(log, print);
    else await printRecords(log, values.backwards ?? false, values.file === undefined ? `the ${values.log} log` : values.file, print);
  },
};
