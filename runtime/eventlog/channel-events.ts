/**
 * The Windows Event Log API (wevtapi) as pywin32's win32evtlog offers it: query a channel with an
 * XPath filter (EvtQuery, EvtNext), each event rendered as XML (EvtRender) and read into an object
 * with its formatted message (EvtFormatMessage), and a subscription to new events in the pull model
 * (EvtSubscribe with a signal event whose wait runs on a worker thread, never the event loop).
 * Wine 8's wevtapi is stubs: both entry points then throw a WindowsError with ERROR_NOT_SUPPORTED
 * that says so (see runtime/win32/wevtapi.ts).
 * https://learn.microsoft.com/windows/win32/wes/querying-for-events
 * @module
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  EvtError,
  EvtQueryFlags,
  EvtSubscribeFlags,
  evtClose,
  evtFormatEventMessage,
  evtNext,
  evtOpenPublisherMetadata,
  evtQuery,
  evtRenderXml,
  evtSubscribe,
  type EvtHandle,
} from '../win32/wevtapi.ts';
import { isWindowsError } from '../win32/windows-error.ts';
import { OwnedHandle } from '../win32/owned-handle.ts';
import { parseEventXml, type EventRecord } from './event-xml.ts';
import { WakeEvent } from './wake-event.ts';

/** What {@link queryEvents} reads. */
export interface EventQuery {
  /** The channel: Application, System, Microsoft-Windows-…/Operational. */
  channel: string;
  /** An XPath filter over the Event schema, e.g. `*[System[Level<=2]]` (default `*`: all). */
  xpath?: string;
  /** Newest first. */
  reverse?: boolean;
  /** At most this many events. */
  max?: number;
}

/**
 * The codes that mean "this event has no message to show", not a failure: the wevtapi ones, and
 * ERROR_FILE_NOT_FOUND from EvtOpenPublisherMetadata for a provider that has no metadata registered.
 */
const NO_MESSAGE: ReadonlySet<number> = new Set([...Object.values(EvtError), 2]);

/** An EVT_HANDLE the caller owns (`using`). */
function ownedEvt(handle: EvtHandle, what: string): OwnedHandle<EvtHandle> {
  return new OwnedHandle(handle, evtClose, what);
}

/** Publisher metadata handles by provider, opened once per query or subscription (null: it has none). */
class Publishers implements Disposable {
  readonly #handles = new Map<string, OwnedHandle<EvtHandle> | null>();

  message(provider: string, event: EvtHandle): string | undefined {
    let publisher = this.#handles.get(provider);
    try {
      if (publisher === undefined) {
        publisher = ownedEvt(evtOpenPublisherMetadata(provider), `publisher metadata handle of ${provider}`);
        this.#handles.set(provider, publisher);
      }
      return publisher === null ? undefined : evtFormatEventMessage(publisher.handle, event);
    } catch (error) {
      if (!isWindowsError(error) || !NO_MESSAGE.has(error.code)) throw error;
      if (publisher === undefined) this.#handles.set(provider, null);
      return undefined;
    }
  }

  /** Closes every publisher handle (each close failure a warning, see owned-handle.ts). */
  [Symbol.dispose](): void {
    for (const handle of this.#handles.values()) handle?.[Symbol.dispose]();
    this.#handles.clear();
  }
}

/** Renders, reads and formats one event, and closes its handle. */
function readEvent(event: EvtHandle, publishers: Publishers): EventRecord {
  using owned = ownedEvt(event, 'event handle');
  const record: EventRecord = parseEventXml(evtRenderXml(owned.handle));
  const message = publishers.message(record.provider, owned.handle);
  if (message !== undefined) record.message = message;
  return record;
}

/** Throws unless `max` is a positive whole number (or absent). */
function checkMax(max: number | undefined): void {
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new Error(`max must be a positive whole number, not ${String(max)}`);
}

/**
 * The events of `channel` matching `xpath`, oldest first (newest with `reverse`), each with its XML
 * and formatted message. https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtquery
 */
export function queryEvents(query: EventQuery): EventRecord[] {
  checkMax(query.max);
  const flags = EvtQueryFlags.CHANNEL_PATH | (query.reverse ? EvtQueryFlags.REVERSE : EvtQueryFlags.FORWARD);
  using results = ownedEvt(evtQuery(query.channel, query.xpath ?? '*', flags), 'query handle');
  using publishers = new Publishers();
  const events: EventRecord[] = [];
  for (let event = evtNext(results.handle); event !== undefined; event = evtNext(results.handle)) {
    events.push(readEvent(event, publishers));
    if (events.length === query.max) break;
  }
  return events;
}

/** What {@link subscribeEvents} follows. */
export interface EventSubscription {
  channel: string;
  /** An XPath filter (default `*`). */
  xpath?: string;
  /** Start with the events already in the channel instead of only the ones to come. */
  fromOldest?: boolean;
  /** Ends the iteration cleanly: the pending wait is woken, then the handles are closed. */
  signal?: AbortSignal;
  /** The longest wait on the signal event before looking anyway (default 1000 ms). */
  pollMs?: number;
}

/**
 * The events matching `xpath` as they are written to `channel`, until `signal` aborts or the caller
 * stops iterating. https://learn.microsoft.com/windows/win32/wes/subscribing-to-events
 */
export async function* subscribeEvents(subscription: EventSubscription): AsyncGenerator<EventRecord> {
  const { signal, pollMs = 1000 } = subscription;
  // Disposed in reverse: publishers, the subscription, then the event it signals.
  using ready = new WakeEvent(signal);
  const flags = subscription.fromOldest ? EvtSubscribeFlags.START_AT_OLDEST : EvtSubscribeFlags.TO_FUTURE_EVENTS;
  using subscribed = ownedEvt(evtSubscribe(ready.handle, subscription.channel, subscription.xpath ?? '*', flags), 'subscription handle');
  using publishers = new Publishers();
  while (!signal?.aborted) {
    for (let event = evtNext(subscribed.handle, 0); event !== undefined; event = evtNext(subscribed.handle, 0)) {
      yield readEvent(event, publishers);
      await yieldToEventLoop();
    }
    if (signal?.aborted) break;
    await ready.wait(pollMs);
  }
}
