/**
 * The type of an Event Log entry, by name at the edge ('error', 'warning'…) and as the EVENTLOG_*_TYPE
 * number the API takes: callers write names, the FFI gets numbers, and an unknown name is refused
 * before any call. https://learn.microsoft.com/windows/win32/eventlog/event-types
 * @module
 */

/** The type of an Event Log entry as the API numbers it (EVENTLOG_*_TYPE). */
export const EventLogType = {
  SUCCESS: 0x0,
  ERROR: 0x1,
  WARNING: 0x2,
  INFORMATION: 0x4,
  AUDIT_SUCCESS: 0x8,
  AUDIT_FAILURE: 0x10,
} as const;
export type EventLogType = (typeof EventLogType)[keyof typeof EventLogType];

/** The type of an Event Log entry by name. */
export type EventType = 'success' | 'error' | 'warning' | 'information' | 'auditSuccess' | 'auditFailure';

const NUMBERS: Record<EventType, EventLogType> = {
  success: EventLogType.SUCCESS,
  error: EventLogType.ERROR,
  warning: EventLogType.WARNING,
  information: EventLogType.INFORMATION,
  auditSuccess: EventLogType.AUDIT_SUCCESS,
  auditFailure: EventLogType.AUDIT_FAILURE,
};

/** Every event type name. */
export const EVENT_TYPES = Object.keys(NUMBERS) as EventType[];

/** The EVENTLOG_*_TYPE number of a type name; throws for a name that is not one. */
export function eventTypeNumber(type: EventType): EventLogType {
  if (!Object.hasOwn(NUMBERS, type)) throw new Error(`'${String(type)}' is not an event type: use one of ${EVENT_TYPES.join(', ')}`);
  return NUMBERS[type];
}

/** The name of an EVENTLOG_*_TYPE number, or undefined for a number that is none. */
export function eventTypeName(type: number): EventType | undefined {
  return EVENT_TYPES.find((name) => NUMBERS[name] === type);
}

/** The TypesSupported bit mask of an event source that writes these types. */
export function typesSupportedMask(types: readonly EventType[]): number {
  return types.reduce((mask, type) => mask | eventTypeNumber(type), 0);
}
