/**
 * advapi32.dll, Event Log surface: writing entries under an event source.
 * https://learn.microsoft.com/windows/win32/eventlog/event-logging-functions
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import { lastError } from '../kernel32.ts';

/** An event source handle from registerEventSource. */
export type EventSourceHandle = unknown;

const api = bindLibrary('advapi32.dll', (dll) => ({
  RegisterEventSourceW: dll.func('void * __stdcall RegisterEventSourceW(const char16_t *server, const char16_t *source)'),
  DeregisterEventSource: dll.func('bool __stdcall DeregisterEventSource(void *handle)'),
  ReportEventW: dll.func(
    'bool __stdcall ReportEventW(void *handle, uint16 type, uint16 category, uint32 eventId, void *userSid, uint16 numStrings, uint32 dataSize, const char16_t **strings, void *rawData)',
  ),
}));

/** Opens the event source `source` on `server` (null: this machine). */
export function registerEventSource(server: string | null, source: string): EventSourceHandle {
  const handle = api().RegisterEventSourceW(server, source);
  if (!handle) throw lastError('RegisterEventSourceW');
  return handle;
}

/** Closes an event source handle. */
export function deregisterEventSource(handle: EventSourceHandle): void {
  if (!api().DeregisterEventSource(handle)) throw lastError('DeregisterEventSource');
}

/** Writes one entry: its type (EVENTLOG_*_TYPE), category, event id and insert strings. */
export function reportEvent(handle: EventSourceHandle, type: number, category: number, eventId: number, strings: readonly string[]): void {
  if (!api().ReportEventW(handle, type, category, eventId >>> 0, null, strings.length, 0, strings.length > 0 ? [...strings] : null, null)) {
    throw lastError('ReportEventW');
  }
}
