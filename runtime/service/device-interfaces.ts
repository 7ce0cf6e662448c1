/**
 * The device interface classes a service asks DEVICEEVENT controls for (`static
 * svcDeviceInterfaces`), checked on the service's thread when it loads, and the
 * DEV_BROADCAST_DEVICEINTERFACE_W filter RegisterDeviceNotificationW takes for each. The main
 * thread registers them on the service's status handle (it is the thread that holds that handle),
 * so the declaration is static: the service says up front what it wants, as it does for its controls.
 * @module
 */
import { guidBytes } from '../perf/guid.ts';

/** Every device interface class (DEVICE_NOTIFY_ALL_INTERFACE_CLASSES). */
export const ALL_INTERFACE_CLASSES = 'all';

/** What `static svcDeviceInterfaces` may hold: interface class GUIDs, or 'all'. */
export type DeviceInterfaceClasses = readonly string[] | typeof ALL_INTERFACE_CLASSES;

/** sizeof(DEV_BROADCAST_DEVICEINTERFACE_W) on x64: header 12, GUID 16, one WCHAR, padded to 4. */
const FILTER_SIZE = 32;
const DBT_DEVTYP_DEVICEINTERFACE = 5;
const GUID_PATTERN = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
/** More registrations than any service needs: a bound on what one declaration may ask of the system. */
export const MAX_DEVICE_INTERFACE_CLASSES = 64;

/**
 * The class's `svcDeviceInterfaces`, checked: GUIDs in lower case without braces (duplicates
 * dropped), ['all'] for every class, [] when it declares none. Throws a message naming what is wrong.
 */
export function deviceInterfaceClasses(declared: unknown, className = 'the service'): string[] {
  if (declared === undefined) return [];
  const where = `static svcDeviceInterfaces of ${className}`;
  if (declared === ALL_INTERFACE_CLASSES) return [ALL_INTERFACE_CLASSES];
  if (!Array.isArray(declared)) throw new TypeError(`${where} must be an array of interface class GUIDs, or 'all'`);
  const guids = new Set<string>();
  for (const item of declared as unknown[]) {
    if (typeof item !== 'string' || !GUID_PATTERN.test(item))
      throw new TypeError(`${where}: ${JSON.stringify(item)} is not a GUID like '{A5DCBF10-6530-11D2-901F-00C04FB951ED}'`);
    guids.add(item.replace(/[{}]/g, '').toLowerCase());
  }
  if (guids.size > MAX_DEVICE_INTERFACE_CLASSES)
    throw new RangeError(`${where} lists ${guids.size} classes; at most ${MAX_DEVICE_INTERFACE_CLASSES}`);
  return [...guids];
}

/** True for a list {@link deviceInterfaceClasses} returns: ['all'], or at most MAX_DEVICE_INTERFACE_CLASSES GUIDs without braces. */
export function isDeviceInterfaceList(value: unknown): value is string[] {
  if (!Array.isArray(value) || value.length > MAX_DEVICE_INTERFACE_CLASSES) return false;
  if (value.length === 1 && value[0] === ALL_INTERFACE_CLASSES) return true;
  return value.every((item) => typeof item === 'string' && !item.startsWith('{') && GUID_PATTERN.test(item));
}

/** The DEV_BROADCAST_DEVICEINTERFACE_W filter for class `guid` (for 'all', a zero GUID: Windows ignores it). */
export function deviceInterfaceFilter(guid: string): Buffer {
  const filter = Buffer.alloc(FILTER_SIZE);
  filter.writeUInt32LE(FILTER_SIZE, 0);
  filter.writeUInt32LE(DBT_DEVTYP_DEVICEINTERFACE, 4);
  if (guid !== ALL_INTERFACE_CLASSES) guidBytes(guid).copy(filter, 12);
  return filter;
}
