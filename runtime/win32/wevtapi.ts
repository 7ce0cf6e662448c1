/**
 * wevtapi.dll, the Windows Event Log API of Vista and later: a query over a channel with an XPath
 * filter, the events of a result set one by one, each rendered as XML and its message formatted
 * through its provider's metadata, and subscriptions in the pull model (a signal event set when new
 * events match). https://learn.microsoft.com/windows/win32/wes/using-windows-event-log
 *
 * Wine 8's wevtapi is stubs: EvtQuery and EvtSubscribe return NULL without setting a last error, and
 * EvtRender and EvtFormatMessage are bare `@ stub` exports that raise an exception (ending the
 * process) when called (dlls/wevtapi/main.c, wevtapi.spec). So the last error is cleared before the
 * calls that open something, a NULL with no code becomes ERROR_NOT_SUPPORTED with a sentence that
 * says so, and nothing renders before a query or subscription has handed out an event.
 * @module
 */
import { bindLibrary } from './koffi.ts';
import { clearLastError } from './kernel32/last-error.ts';
import { WindowsError } from './windows-error.ts';
import type { EventHandle } from './kernel32/events.ts';
import { ErrorCode, lastError } from './errors.ts';

/** An EVT_HANDLE: a result set, a subscription, an event, publisher metadata. Close it with {@link evtClose}. */
export type EvtHandle = { readonly __brand: 'EVT_HANDLE' };

/** EvtQuery flags. */
export const EvtQueryFlags = { CHANNEL_PATH: 0x1, FORWARD: 0x100, REVERSE: 0x200, TOLERATE_QUERY_ERRORS: 0x1000 } as const;
/** EvtSubscribe flags. */
export const EvtSubscribeFlags = { TO_FUTURE_EVENTS: 1, START_AT_OLDEST: 2 } as const;

const EVT_RENDER_EVENT_XML = 1;
const EVT_FORMAT_MESSAGE_EVENT = 1;
const INFINITE = 0xffffffff;

/** The codes EvtFormatMessage and EvtOpenPublisherMetadata give when there is no text to show (winerror.h). */
export const EvtError = {
  PUBLISHER_METADATA_NOT_FOUND: 15002,
  MESSAGE_NOT_FOUND: 15027,
  MESSAGE_ID_NOT_FOUND: 15028,
  UNRESOLVED_VALUE_INSERT: 15029,
  UNRESOLVED_PARAMETER_INSERT: 15030,
  MAX_INSERTS_REACHED: 15031,
  MESSAGE_LOCALE_NOT_FOUND: 15033,
} as const;

const api = bindLibrary('wevtapi.dll', (dll) => ({
  EvtQuery: dll.func('void * __stdcall EvtQuery(void *session, const char16_t *path, const char16_t *query, uint32 flags)'),
  EvtNext: dll.func(
    'bool __stdcall EvtNext(void *resultSet, uint32 size, _Out_ void **events, uint32 timeout, uint32 flags, _Out_ uint32 *returned)',
  ),
  EvtRender: dll.func(
    'bool __stdcall EvtRender(void *context, void *fragment, uint32 flags, uint32 bufferSize, _Out_ uint8_t *buffer, _Out_ uint32 *used, _Out_ uint32 *propertyCount)',
  ),
  EvtOpenPublisherMetadata: dll.func(
    'void * __stdcall EvtOpenPublisherMetadata(void *session, const char16_t *publisher, const char16_t *logFile, uint32 locale, uint32 flags)',
  ),
  EvtFormatMessage: dll.func(
    'bool __stdcall EvtFormatMessage(void *publisherMetadata, void *event, uint32 messageId, uint32 valueCount, void *values, uint32 flags, uint32 bufferSize, _Out_ uint8_t *buffer, _Out_ uint32 *used)',
  ),
  EvtSubscribe: dll.func(
    'void * __stdcall EvtSubscribe(void *session, void *signalEvent, const char16_t *channel, const char16_t *query, void *bookmark, void *context, void *callback, uint32 flags)',
  ),
  EvtClose: dll.func('bool __stdcall EvtClose(void *handle)'),
}));

/** The error for a NULL handle: the last error, or ERROR_NOT_SUPPORTED when the call set none (Wine's stubs). */
function openFailure(functionName: string): WindowsError {
  const error = lastError(functionName);
  if (error.code !== 0) return error;
  return new WindowsError(
    functionName,
    ErrorCode.ERROR_NOT_SUPPORTED,
    'wevtapi.dll returned no handle and no error code: the Windows Event Log API (wevtapi) is not implemented on this system',
  );
}

/** Runs a query over `channel` with an XPath `query` ('*' for all). https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtquery */
export function evtQuery(channel: string, query: string, flags: number): EvtHandle {
  clearLastError();
  const handle = api().EvtQuery(null, channel, query, flags);
  if (!handle) throw openFailure('EvtQuery');
  return handle as EvtHandle;
}

/**
 * Subscribes in the pull model: `signal` is set when events matching `query` arrive; read them with
 * {@link evtNext}. https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtsubscribe
 */
export function evtSubscribe(signal: EventHandle, channel: string, query: string, flags: number): EvtHandle {
  clearLastError();
  const handle = api().EvtSubscribe(null, signal, channel, query, null, null, null, flags);
  if (!handle) throw openFailure('EvtSubscribe');
  return handle as EvtHandle;
}

/**
 * The next event of a result set or subscription, or undefined when there is none (now, for a
 * subscription). https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtnext
 */
export function evtNext(resultSet: EvtHandle, timeoutMs = INFINITE): EvtHandle | undefined {
  const events: unknown[] = [null];
  const returned = [0];
  if (api().EvtNext(resultSet, 1, events, timeoutMs, 0, returned)) return returned[0] === 1 ? (events[0] as EvtHandle) : undefined;
  const error = lastError('EvtNext');
  if (error.code === ErrorCode.ERROR_NO_MORE_ITEMS || error.code === ErrorCode.ERROR_TIMEOUT) return undefined;
  throw error;
}

/** The event as Event schema XML. https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtrender */
export function evtRenderXml(event: EvtHandle): string {
  let buffer = Buffer.alloc(4096);
  for (;;) {
    const used = [0];
    if (api().EvtRender(null, event, EVT_RENDER_EVENT_XML, buffer.length, buffer, used, [0])) {
      return buffer.toString('utf16le', 0, used[0]!).replace(/\0+$/, '');
    }
    const error = lastError('EvtRender');
    if (error.code !== ErrorCode.ERROR_INSUFFICIENT_BUFFER || used[0]! <= buffer.length) throw error;
    buffer = Buffer.alloc(used[0]!);
  }
}

/** Publisher metadata for formatting messages of `provider`. https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtopenpublishermetadata */
export function evtOpenPublisherMetadata(provider: string): EvtHandle {
  const handle = api().EvtOpenPublisherMetadata(null, provider, null, 0, 0);
  if (!handle) throw lastError('EvtOpenPublisherMetadata');
  return handle as EvtHandle;
}

/** The event's message text through its provider's metadata. https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtformatmessage */
export function evtFormatEventMessage(publisher: EvtHandle, event: EvtHandle): string {
  let chars = 1024;
  for (;;) {
    const buffer = Buffer.alloc(chars * 2);
    const used = [0];
    if (api().EvtFormatMessage(publisher, event, 0, 0, null, EVT_FORMAT_MESSAGE_EVENT, chars, buffer, used)) {
      return buffer.toString('utf16le', 0, used[0]! * 2).replace(/\0+$/, '');
    }
    const error = lastError('EvtFormatMessage');
    if (error.code !== ErrorCode.ERROR_INSUFFICIENT_BUFFER || used[0]! <= chars) throw error;
    chars = used[0]!;
  }
}

/** Closes an EVT_HANDLE. https://learn.microsoft.com/windows/win32/api/winevt/nf-winevt-evtclose */
export function evtClose(handle: EvtHandle): void {
  if (!api().EvtClose(handle)) throw lastError('EvtClose');
}
