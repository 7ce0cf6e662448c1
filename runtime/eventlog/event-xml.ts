/**
 * The Event schema XML that EvtRender(EvtRenderEventXml) gives, read into the fields callers use.
 * Strict on purpose: the root must be `<Event>` in the events namespace with a `<System>` that has
 * a provider, a numeric event id, a valid creation time and a record id; anything else is an error
 * that says what was missing, never an object with holes. Classic entries (ReportEventW) carry the
 * top 16 bits of their id as `Qualifiers`, so the full id is rebuilt from both. Pure code, tested on
 * real Windows samples. https://learn.microsoft.com/windows/win32/wes/eventschema-schema
 * @module
 */
import { parseXml, type XmlElement } from '../system/xml.ts';

const EVENT_NAMESPACE = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** An event's level by name (winmeta.xml); a provider's own levels (16…255) as `level<n>`. */
export type EventLevel = 'logAlways' | 'critical' | 'error' | 'warning' | 'information' | 'verbose' | `level${number}`;

const LEVELS: readonly EventLevel[] = ['logAlways', 'critical', 'error', 'warning', 'information', 'verbose'];

/** One `<Data>` of `<EventData>`: named (manifest events) or not (classic entries' inserts). */
export interface EventDataItem {
  name?: string;
  value: string;
}

/** An event read from its XML. */
export interface EventRecord {
  /** The provider (for a classic entry, its event source). */
  provider: string;
  /** The event id as the provider's message table knows it: with the Qualifiers as its top 16 bits. */
  eventId: number;
  level: EventLevel;
  timeCreated: Date;
  recordId: number;
  channel: string;
  computer: string;
  /** The user SID of `<Security UserID>`, when there is one. */
  userId?: string;
  /** The `<EventData>` items, in order ([] when the event has `<UserData>` or none). */
  data: EventDataItem[];
  /** The `<Binary>` data of a classic entry. */
  binary?: Buffer;
  /** The formatted message, when the provider's metadata has one. */
  message?: string;
  /** The event's XML as rendered. */
  xml: string;
}

function child(parent: XmlElement, name: string): XmlElement | undefined {
  return parent.children.find((element) => element.name === name);
}

function required(parent: XmlElement, name: string): XmlElement {
  const found = child(parent, name);
  if (!found) throw new Error(`event XML: <${parent.name}> has no <${name}>`);
  return found;
}

function whole(text: string, what: string, max: number): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) > max) throw new Error(`event XML: ${what} is not a whole number up to ${max}: '${text}'`);
  return Number(trimmed);
}

/** The name of a level number (0…255). */
export function levelName(level: number): EventLevel {
  return LEVELS[level] ?? `level${level}`;
}

/** `2019-07-09T04:22:41.815238100Z` (up to 9 fraction digits) as a Date, to the millisecond. */
function systemTime(text: string | undefined): Date {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text ?? '');
  const date = match ? new Date(`${match[1]}.${(match[2] ?? '').padEnd(3, '0').slice(0, 3)}Z`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new Error(`event XML: TimeCreated SystemTime is not a UTC time: '${text ?? ''}'`);
  return date;
}

function binaryData(text: string): Buffer {
  const hex = text.trim();
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error('event XML: <Binary> is not hexadecimal bytes');
  return Buffer.from(hex, 'hex');
}

/** Reads one event's XML (as EvtRender gives it); throws a clear error when it is not a well-formed event. */
export function parseEventXml(xml: string): Omit<EventRecord, 'message'> {
  const root = parseXml(xml);
  if (root.name !== 'Event') throw new Error(`event XML: the root is <${root.name}>, not <Event>`);
  if (root.attributes.xmlns !== EVENT_NAMESPACE) throw new Error(`event XML: <Event> is not in the namespace ${EVENT_NAMESPACE}`);
  const system = required(root, 'System');
  const provider = required(system, 'Provider').attributes;
  const name = provider.Name ?? provider.EventSourceName;
  if (!name) throw new Error('event XML: <Provider> has no Name');
  const id = required(system, 'EventID');
  const qualifiers = id.attributes.Qualifiers === undefined ? 0 : whole(id.attributes.Qualifiers, 'EventID Qualifiers', 0xffff);
  const eventId = ((qualifiers << 16) | whole(id.text, 'EventID', 0xffff)) >>> 0;
  const levelElement = child(system, 'Level');
  const level = levelElement ? whole(levelElement.text, 'Level', 255) : 0;
  const userId = child(system, 'Security')?.attributes.UserID;
  const eventData = child(root, 'EventData');
  const binary = eventData && child(eventData, 'Binary');
  return {
    provider: name,
    eventId,
    level: levelName(level),
    timeCreated: systemTime(required(system, 'TimeCreated').attributes.SystemTime),
    recordId: whole(required(system, 'EventRecordID').text, 'EventRecordID', Number.MAX_SAFE_INTEGER),
    channel: child(system, 'Channel')?.text.trim() ?? '',
    computer: child(system, 'Computer')?.text.trim() ?? '',
    ...(userId === undefined ? {} : { userId }),
    data: (eventData?.children ?? [])
      .filter((element) => element.name === 'Data')
      .map((element) =>
        element.attributes.Name === undefined ? { value: element.text } : { name: element.attributes.Name, value: element.text },
      ),
    ...(binary ? { binary: binaryData(binary.text) } : {}),
    xml,
  };
}
