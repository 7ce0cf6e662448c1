/**
 * The wevtapi side of `host.exe eventlog --xpath`: a channel queried with an XPath filter, or
 * followed with a subscription until Ctrl+C, each event printed as a line or as JSON with its XML.
 * Where the system has no wevtapi (Wine 8: stubs), the runtime's WindowsError (ERROR_NOT_SUPPORTED)
 * becomes one sentence that says so and points at the classic log.
 * @module
 */
import { queryEvents, subscribeEvents } from '../../../runtime/eventlog/channel-events.ts';
import type { EventRecord } from '../../../runtime/eventlog/event-xml.ts';
import { eventIdText } from '../../../runtime/eventlog/service-log.ts';
import { isWindowsError } from '../../../runtime/win32/windows-error.ts';
import { untilInterrupted } from './eventlog-classic.ts';
import { ErrorCode } from '../../../runtime/win32/errors.ts';

function print(event: EventRecord, json: boolean): void {
  if (json) console.log(JSON.stringify({ ...event, binary: event.binary?.toString('base64') }));
  else
    console.log(
      `#${event.recordId}  ${event.timeCreated.toISOString()}  ${event.level}  ${event.provider}  ${eventIdText(event.eventId)}  ${(event.message ?? event.data.map((item) => item.value).join('; ')).trimEnd()}`,
    );
}

/** Says plainly that this system has no Windows Event Log API, instead of a bare Win32 code. */
function explain(error: unknown): never {
  if (isWindowsError(error) && error.code === ErrorCode.ERROR_NOT_SUPPORTED) {
    throw new Error(
      `--xpath needs the Windows Event Log API (wevtapi.dll), which this system does not implement (${error.functionName} returned nothing; Wine's wevtapi is a stub). Read the classic log without --xpath`,
      { cause: error },
    );
  }
  throw error;
}

/** What `--xpath` reads. */
export interface ChannelOptions {
  channel: string;
  xpath: string;
  reverse: boolean;
  max: number;
  json: boolean;
}

/** `--xpath Q`: the matching events of the channel. */
export function queryChannel(options: ChannelOptions): void {
  let events: EventRecord[];
  try {
    events = queryEvents({
      channel: options.channel,
      xpath: options.xpath,
      reverse: options.reverse,
      max: Number.isFinite(options.max) ? options.max : undefined,
    });
  } catch (error) {
    explain(error);
  }
  for (const event of events) print(event, options.json);
  if (events.length === 0 && !options.json) console.log(`No events in ${options.channel} match ${options.xpath}.`);
}

/** `--xpath Q --follow`: matching events as they are written, until Ctrl+C. */
export async function followChannel(options: ChannelOptions): Promise<void> {
  await untilInterrupted(async (signal) => {
    try {
      for await (const event of subscribeEvents({ channel: options.channel, xpath: options.xpath, signal })) print(event, options.json);
    } catch (error) {
      explain(error);
    }
  });
}
