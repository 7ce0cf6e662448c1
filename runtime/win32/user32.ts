/**
 * user32.dll: strings from a module's string table (RT_STRING), as Performance Monitor reads counter
 * names from the binary a counters manifest names; and device notifications for a service.
 * @module
 */
import type { ModuleHandle } from './kernel32.ts';
import { bindLibrary } from './koffi.ts';
import type { StatusHandle } from './advapi32/services.ts';
import { lastError } from './errors.ts';

/** A string table entry holds at most 65535 characters (a 16-bit length); one more for the NUL. */
const STRING_BUFFER_CHARS = 0x10000;

const api = bindLibrary('user32.dll', (dll) => ({
  LoadStringW: dll.func('int __stdcall LoadStringW(void *instance, uint32 id, _Out_ uint8_t *buffer, int bufferMax)'),
  RegisterDeviceNotificationW: dll.func(
    'void *__stdcall RegisterDeviceNotificationW(void *recipient, const uint8_t *filter, uint32 flags)',
  ),
  UnregisterDeviceNotification: dll.func('bool __stdcall UnregisterDeviceNotification(void *notification)'),
}));

/** A device notification registration (HDEVNOTIFY); end it with {@link unregisterDeviceNotification}. */
export type DeviceNotificationHandle = { readonly __brand: 'HDEVNOTIFY' };

/** RegisterDeviceNotificationW flags: the recipient is a service status handle; every interface class (the filter's GUID is ignored). */
export const DeviceNotifyFlags = { SERVICE_HANDLE: 0x1, ALL_INTERFACE_CLASSES: 0x4 } as const;

/**
 * RegisterDeviceNotificationW for a service: DEVICEEVENT controls for what `filter` (a
 * DEV_BROADCAST_* structure, see runtime/service/device-interfaces.ts) names reach its HandlerEx.
 * https://learn.microsoft.com/windows/win32/api/winuser/nf-winuser-registerdevicenotificationw
 */
export function registerServiceDeviceNotification(statusHandle: StatusHandle, filter: Uint8Array, flags: number): DeviceNotificationHandle {
  const handle = api().RegisterDeviceNotificationW(statusHandle, filter, flags | DeviceNotifyFlags.SERVICE_HANDLE);
  if (handle === null) throw lastError('RegisterDeviceNotificationW');
  return handle as DeviceNotificationHandle;
}

/** UnregisterDeviceNotification. */
export function unregisterDeviceNotification(handle: DeviceNotificationHandle): void {
  if (!(api().UnregisterDeviceNotification(handle) as boolean)) throw lastError('UnregisterDeviceNotification');
}

/**
 * String `id` of a module's string table (loadResourceModule's `handle` works), in the user's
 * language or another the module has; undefined when the table has no such string (an empty
 * string is stored as none). https://learn.microsoft.com/windows/win32/api/winuser/nf-winuser-loadstringw
 */
export function loadString(module: ModuleHandle, id: number): string | undefined {
  const buffer = Buffer.alloc(STRING_BUFFER_CHARS * 2);
  const chars = api().LoadStringW(module, id, buffer, STRING_BUFFER_CHARS) as number;
  return chars > 0 ? buffer.toString('utf16le', 0, chars * 2) : undefined;
}
