/**
 * A service's status as the control API returns it: SERVICE_STATUS_PROCESS with its numbers named.
 * @module
 */
import { AcceptControl, ServiceType, stateName } from '../service/constants.ts';
import type { ServiceStatusProcess } from '../win32/advapi32/services.ts';

/** A name of an {@link AcceptControl} flag, e.g. 'STOP' or 'PAUSE_CONTINUE'. */
export type AcceptedControl = keyof typeof AcceptControl;

/** A service's status: the SCM's numbers, and their names. */
export interface ServiceStatusInfo extends ServiceStatusProcess {
  /** The service's name. */
  name: string;
  /** `serviceType` as a name, e.g. 'WIN32_OWN_PROCESS'. */
  typeName: string;
  /** `currentState` as a name, e.g. 'RUNNING'. */
  stateName: string;
  /** The controls the service accepts now, by name (`controlsAccepted` as a set). */
  accepts: ReadonlySet<AcceptedControl>;
}

/** A name of {@link ServiceType}, as `typeName` gives it. */
export type ServiceTypeName = keyof typeof ServiceType;
/** SERVICE_INTERACTIVE_PROCESS: the service may interact with the desktop (own- and share-process services only). */
export const SERVICE_INTERACTIVE_PROCESS = 0x100;

/** The name of a service type, e.g. 0x10 → 'WIN32_OWN_PROCESS', 0x110 → 'WIN32_OWN_PROCESS|INTERACTIVE_PROCESS'. */
export function serviceTypeName(type: number): string {
  const base = type & ~SERVICE_INTERACTIVE_PROCESS;
  const name = Object.entries(ServiceType).find(([, value]) => value === base)?.[0] ?? `0x${base.toString(16)}`;
  return type & SERVICE_INTERACTIVE_PROCESS ? `${name}|INTERACTIVE_PROCESS` : name;
}

/** The names of the AcceptControl flags set in `controlsAccepted`. */
export function acceptedControlNames(controlsAccepted: number): Set<AcceptedControl> {
  return new Set((Object.keys(AcceptControl) as AcceptedControl[]).filter((key) => controlsAccepted & AcceptControl[key]));
}

/** Names the numbers of a status. */
export function describeStatus(name: string, status: ServiceStatusProcess): ServiceStatusInfo {
  return {
    name,
    ...status,
    typeName: serviceTypeName(status.serviceType),
    stateName: stateName(status.currentState),
    accepts: acceptedControlNames(status.controlsAccepted),
  };
}

/** A status as plain JSON (the set of accepted controls as an array). */
export function statusToJSON(status: ServiceStatusInfo): Record<string, unknown> {
  return { ...status, accepts: [...status.accepts] };
}
