/**
 * Registers a service's `static svcDeviceInterfaces` for DEVICEEVENT controls on its status
 * handle (RegisterDeviceNotificationW with DEVICE_NOTIFY_SERVICE_HANDLE), on the main thread,
 * which holds that handle; and ends the registrations when the service stops. A class that cannot
 * be registered is reported as a warning and the service runs on: the events are extra, not its work.
 * @module
 */
import { ALL_INTERFACE_CLASSES, deviceInterfaceFilter } from '../../runtime/service/device-interfaces.ts';
import type { StatusHandle } from '../../runtime/win32/advapi32/services.ts';
import {
  DeviceNotifyFlags,
  registerServiceDeviceNotification,
  unregisterDeviceNotification,
  type DeviceNotificationHandle,
} from '../../runtime/win32/user32.ts';

/** Registers `classes` (GUIDs, or ['all']); returns the function that ends the registrations. `failed` hears each class that could not be registered. */
export function registerDeviceInterfaces(handle: StatusHandle, classes: readonly string[], failed: (reason: string) => void): () => void {
  const registered: DeviceNotificationHandle[] = [];
  for (const guid of classes) {
    try {
      const flags = guid === ALL_INTERFACE_CLASSES ? DeviceNotifyFlags.ALL_INTERFACE_CLASSES : 0;
      registered.push(registerServiceDeviceNotification(handle, deviceInterfaceFilter(guid), flags));
    } catch (error) {
      failed(`device interface class ${guid} could not be registered: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return () => {
    for (const notification of registered.splice(0)) {
      try {
        unregisterDeviceNotification(notification);
      } catch {
        // The service has stopped: its status handle, and with it the registration, is gone anyway.
      }
    }
  };
}
