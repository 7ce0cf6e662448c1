/**
 * `host.exe logs <service>`: the tail of a service's captured output (capture/), merged by time
 * with its Event Log entries where the Event Log keeps them (Wine's keeps none), `--follow` to
 * keep printing until Ctrl+C, and `--rotate` to start new files now. The settings (folder, file
 * names) come from the service's Parameters, read the way the host reads them at start.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readServiceParameters } from '../../layout/registry-layout.ts';
import { serviceLogSettings } from '../../layout/log-folder.ts';
import { logFilePath, type LogSettings } from '../../layout/log-settings.ts';
import { queryStatus } from '../../../runtime/control/service-control.ts';
import { EventLog, safeFormatMessage } from '../../../runtime/eventlog/reader.ts';
import { ServiceState } from '../../../runtime/service/constants.ts';
import { parseCommandArgs } from '../args.ts';
import { FileFollower } from '../../capture/follow.ts';
import { LogFile } from '../../capture/log-file.ts';
import { ROTATE_CHECK_MS, ROTATE_REQUEST_FILE } from '../../capture/service-output.ts';
import { mergeByTime, parseSince, tailStream, type OutputLine } from '../../capture/tail.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';
import { onInterrupt } from '../interrupt.ts';

/** How often `--follow` looks for new output. */
export const FOLLOW_POLL_MS = 250;
const DEFAULT_LINES = 100;

const options = {
  lines: { type: 'string', short: 'n' },
  follow: { type: 'boolean', short: 'f' },
  since: { type: 'string' },
  stdout: { type: 'boolean' },
  stderr: { type: 'boolean' },
  json: { type: 'boolean' },
  rotate: { type: 'boolean' },
} as const;

function print(line: OutputLine, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ stream: line.stream, time: line.time?.toISOString(), text: line.text }));
    return;
  }
  const text = line.time && line.stream !== 'event' ? `${line.time.toISOString()} ${line.text}` : line.text;
  (line.stream === 'err' ? process.stderr : process.stdout).write(`${text}\n`);
}

/** The service's Event Log entries since `since`, as lines; none where the log keeps none (Wine) or cannot be read. */
async function eventLines(name: string, since: Date | undefined, count: number): Promise<OutputLine[]> {
  const lines: OutputLine[] = [];
  try {
    using log = EventLog.open('Application');
    for await (const record of log.records({ direction: 'backwards' })) {
      if (since && record.timeGenerated < since) break;
      if (record.sourceName.toLowerCase() !== name.toLowerCase()) continue;
      lines.unshift({ stream: 'event', time: record.timeGenerated, text: `[Event Log] ${safeFormatMessage(record).trimEnd()}` });
      if (lines.length >= count) break;
    }
  } catch {
    // The output is what was asked for; the entries are a help.
  }
  return lines;
}

function isRunning(name: string): boolean {
  try {
    return queryStatus(name).currentState !== ServiceState.STOPPED;
  } catch {
    return false;
  }
}

/** Asks the running host to rotate (it looks every ROTATE_CHECK_MS), or rotates itself when nothing holds the files. */
async function rotate(name: string, settings: LogSettings): Promise<void> {
  if (!isRunning(name)) {
    const failures: string[] = [];
    for (const stream of ['out', 'err'] as const)
      new LogFile(settings, stream, (file, reason) => failures.push(`${file}: ${reason}`)).rotate();
    if (failures.length) throw new Error(failures.join('; '));
    console.log(`Rotated the logs of ${name} (it is not running) in ${settings.dir}`);
    return;
  }
  const request = path.join(settings.dir, ROTATE_REQUEST_FILE);
  fs.writeFileSync(request, '');
  const deadline = Date.now() + 5 * ROTATE_CHECK_MS;
  while (fs.existsSync(request)) {
    if (Date.now() > deadline) {
      fs.rmSync(request, { force: true });
      throw new Error(
        `${name} did not take the request within ${5 * ROTATE_CHECK_MS} ms (is its output captured? a host older than this one?)`,
      );
    }
    await sleep(100);
  }
  console.log(`Rotated the logs of ${name} in ${settings.dir}`);
}

/** A file's size now (0 when it does not exist): where the tail ends and `--follow` begins. */
function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Prints new lines of the chosen streams, from `starts` (byte offsets in their current files), until Ctrl+C (or Ctrl+Break). */
async function follow(settings: LogSettings, streams: readonly ('out' | 'err')[], starts: readonly number[], json: boolean): Promise<void> {
  const followers = streams.map(
    (stream, i) => new FileFollower(logFilePath(settings, stream), (text) => print({ stream, text }, json), starts[i]),
  );
  const stop = Promise.withResolvers<void>();
  const onSignal = () => stop.resolve();
  const offInterrupt = onInterrupt(onSignal);
  let stopped = false;
  void stop.promise.then(() => (stopped = true));
  while (!stopped) {
    for (const follower of followers) follower.poll();
    await Promise.race([sleep(FOLLOW_POLL_MS), stop.promise]);
  }
  for (const follower of followers) {
    follower.poll();
    follower.close();
  }
  offInterrupt();
}

export const logsCommand: Command = {
  name: 'logs',
  usage: '<name> [--lines N] [--follow] [--since TIME] [--stdout|--stderr] [--json] | <name> --rotate',
  summary:
    "print the tail of a service's captured stdout and stderr (and its Event Log entries); --follow until Ctrl+C; --rotate starts new files",
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, options, { names: ['name'] });
    const name = positionals[0]!;
    if (values.stdout && values.stderr) throw new UsageError('--stdout and --stderr each choose one stream: leave both out for both');
    if (values.lines !== undefined && !/^\d+$/.test(values.lines))
      throw new UsageError(`--lines takes a whole number (not '${values.lines}')`);
    let since: Date | undefined;
    try {
      since = values.since === undefined ? undefined : parseSince(values.since);
    } catch (error) {
      throw new UsageError(`--since ${(error as Error).message}`);
    }
    if (values.rotate && (values.follow || values.lines !== undefined || since || values.stdout || values.stderr || values.json)) {
      throw new UsageError('--rotate takes no other option');
    }
    const parameters = readServiceParameters(name);
    if (!parameters) throw new Error(`'${name}' is not a NodeService service (it has no Parameters\\Module)`);
    const settings = serviceLogSettings(name, parameters.log);
    if (!settings.enabled)
      throw new Error(
        `${name} does not capture its output (installed with --log none): change it with "host.exe update ${name} --log files"`,
      );
    if (values.rotate) return rotate(name, settings);
    const count = values.lines === undefined ? DEFAULT_LINES : Number(values.lines);
    const streams = values.stdout ? (['out'] as const) : values.stderr ? (['err'] as const) : (['out', 'err'] as const);
    // Where each current file ends now: the tail stops there and --follow starts there.
    const ends = streams.map((stream) => (values.follow ? sizeOf(logFilePath(settings, stream)) : Infinity));
    const lists = streams.map((stream, i) => tailStream(settings, stream, count, since, ends[i]));
    if (!values.stdout && !values.stderr) lists.push(await eventLines(name, since, count));
    const lines = mergeByTime(...lists);
    for (const line of lines.slice(Math.max(0, lines.length - count))) print(line, values.json ?? false);
    if (values.follow) await follow(settings, streams, ends, values.json ?? false);
  },
};
