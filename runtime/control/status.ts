/**
 * A service's status as the control API returns it: SERVICE_STATUS_PROCESS with its numbers
 * typed. The state keeps its number (a {@link ServiceState}) beside its name; the type and the
 * accepted controls are flag types (service/service-flags.ts) whose `raw` is the DWORD.
 * @module
 */
import { stateName } from '../service/constants.ts';
import { AcceptedControls, ServiceTypeFlags, type AcceptedControl } from '../service/service-flags.ts';
import type { ServiceStatusProcess } from '../win32/advapi32/services.ts';

export { SERVICE_INTERACTIVE_PROCESS, type AcceptedControl, type ServiceTypeName } from '../service/service-flags.ts';

/** A service's status: the SCM's values, typed, and their names. */
export interface ServiceStatusInfo extends Omit<ServiceStatusProcess, 'serviceType' | 'controlsAccepted'> {
  /** The service's name. */
  name: string;
  /** The kind of service and its flags (`.raw` is dwServiceType). */
  serviceType: ServiceTypeFlags;
  /** The controls the service accepts now (`.raw` is dwControlsAccepted). */
  controlsAccepted: AcceptedControls;
  /** `serviceType` as a name, e.g. 'WIN32_OWN_PROCESS'. */
  typeName: string;
  /** `currentState` as a name, e.g. 'RUNNING'. */
  stateName: string;
  /** The controls the service accepts now, by name (`controlsAccepted.names` as a set). */
  accepts: ReadonlySet<AcceptedControl>;
}

/** The name of a service type, e.g. 0x10 → 'WIN32_OWN_PROCESS', 0x110 → 'WIN32_OWN_PROCESS|INTERACTIVE_PROCESS'. */
export function serviceTypeName(type: number): string {
  return ServiceTypeFlags.fromRaw(type).toString();
}

/** Types the numbers of a status as the SCM gives it. */
export function describeStatus(name: string, status: ServiceStatusProcess): ServiceStatusInfo {
  const serviceType = ServiceTypeFlags.fromRaw(status.serviceType);
  const controlsAccepted = AcceptedControls.fromRaw(status.controlsAccepted);
  return {
    name,
    ...status,
    serviceType,
    controlsAccepted,
    typeName: serviceType.toString(),
    stateName: stateName(status.currentState),
    accepts: new Set(controlsAccepted.names),
  };
}

/**
 * A status as plain JSON, as `status --json` and `list --json` print it: the flag types as their
 * raw numbers (as before they were types), the set of accepted controls as an array.
 */
export function statusToJSON(status: ServiceStatusInfo): Record<string, unknown> {
  return { ...status, serviceType: status.serviceType.raw, controlsAccepted: status.controlsAccepted.raw, accepts: [...status.accepts] };
}
