/**
 * pywin32's ReportEvent (win32evtlogutil.ReportEvent): one entry under any source, with its type,
 * category, event id, insert strings, binary data and the user's SID, through RegisterEventSourceW
 * and ReportEventW. Beside the logMsg family, which writes under the service's own source and never
 * throws, this throws: every documented limit is checked first, with a message that names it,
 * so nothing is cut or dropped silently.
 * https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-reporteventw
 * @module
 */
import { deregisterEventSource, registerEventSource, reportEvent as reportEventW } from '../win32/advapi32/eventlog.ts';
import { OwnedHandle } from '../win32/owned-handle.ts';
import { eventTypeNumber, type EventType } from './event-types.ts';
import { MAX_INSERT_LENGTH } from './inserts.ts';
import { checkEventName } from './names.ts';
import { sidFromString } from './sid.ts';

/**
 * The most bytes of binary data one entry takes: ReportEventW fails with ERROR_INVALID_PARAMETER
 * above 261,991 (0x3FF67) bytes, as its documentation says.
 */
export const MAX_EVENT_DATA = 0x3ff67;
/** wNumStrings is a WORD. */
export const MAX_EVENT_STRINGS = 0xffff;

/** One entry to write. */
export interface EventReport {
  /** The event source (registered with registerEventSource, or any name: Windows then files it under Application). */
  source: string;
  /** The entry's type (default 'information'). */
  type?: EventType;
  /** The category (0…65535, default 0: none), numbered as the source's category message file. */
  category?: number;
  /** The full 32-bit event id from the source's message file (severity bits included), e.g. 0x40001002. */
  eventId: number;
  /** The inserts %1, %2…: each at most 31,839 characters, no NUL. */
  strings?: readonly string[];
  /** Binary data shown with the entry (at most 261,991 bytes). */
  data?: Uint8Array;
  /** The user the entry is about, as a SID string (S-1-5-18). */
  userSid?: string;
  /** Another machine (`\\server`) instead of this one. */
  machine?: string;
}

/** The checked values ReportEventW gets; throws with a clear message when a limit is broken. Pure, unit-tested. */
export function checkEventReport(report: EventReport): {
  type: number;
  category: number;
  eventId: number;
  strings: string[];
  data: Buffer | null;
  sid: Buffer | null;
} {
  checkEventName(report.source, 'event source');
  const category = report.category ?? 0;
  if (!Number.isInteger(category) || category < 0 || category > 0xffff)
    throw new Error(`category must be a whole number from 0 to 65535, not ${String(category)}`);
  if (!Number.isInteger(report.eventId) || report.eventId < 0 || report.eventId > 0xffffffff) {
    throw new Error(`eventId must be a whole number from 0 to 0xFFFFFFFF, not ${String(report.eventId)}`);
  }
  const strings = [...(report.strings ?? [])].map(String);
  if (strings.length > MAX_EVENT_STRINGS)
    throw new Error(`an entry takes at most ${MAX_EVENT_STRINGS} insert strings, not ${strings.length}`);
  strings.forEach((text, i) => {
    if (text.length > MAX_INSERT_LENGTH) {
      throw new Error(`insert string ${i + 1} has ${text.length} characters; ReportEventW takes at most ${MAX_INSERT_LENGTH} in one`);
    }
    if (text.includes('\0')) throw new Error(`insert string ${i + 1} contains a NUL character, which would end it there`);
  });
  const data = report.data === undefined ? null : Buffer.from(report.data.buffer, report.data.byteOffset, report.data.byteLength);
  if (data !== null && data.length > MAX_EVENT_DATA)
    throw new Error(`an entry takes at most ${MAX_EVENT_DATA} bytes of data, not ${data.length}`);
  const sid = report.userSid === undefined ? null : sidFromString(report.userSid);
  return { type: eventTypeNumber(report.type ?? 'information'), category, eventId: report.eventId, strings, data, sid };
}

/** Writes one Event Log entry (see {@link EventReport}); throws when a limit is broken or Windows refuses it. */
export function reportEvent(report: EventReport): void {
  const { type, category, eventId, strings, data, sid } = checkEventReport(report);
  using source = new OwnedHandle(registerEventSource(report.machine ?? null, report.source), deregisterEventSource, 'event source handle');
  reportEventW(source.handle, type, category, eventId, strings, sid, data);
}
