/**
 * advapi32.dll, NotifyServiceStatusChangeW: the SCM queues an APC to the thread that registered,
 * which runs only while that thread waits alertably (kernel32's sleepAlertable). Node's main thread
 * never does, so this is used from a worker thread of its own (host/cli/status-notify-thread.ts), where
 * the APC runs the koffi callback on that same thread during its SleepEx call, as koffi requires.
 * Bound apart, as QueryServiceDynamicInformation is: a Windows without it (or a Wine whose services.exe
 * answers ERROR_CALL_NOT_IMPLEMENTED) leaves the caller on polling.
 * https://learn.microsoft.com/windows/win32/api/winsvc/nf-winsvc-notifyservicestatuschangew
 * @module
 */
import { ServiceNotifyLayout, SERVICE_NOTIFY_VERSION } from '../../control/service-notify.ts';
import { bindLibrary, memoryReader, type ForeignFunction } from '../koffi.ts';
import type { ScHandle } from './services.ts';

const api = bindLibrary('advapi32.dll', (dll, k) => {
  const proto = k.proto('void __stdcall ScNotifyCallback(void *parameter)');
  let notify: ForeignFunction | undefined;
  try {
    notify = dll.func('uint32 __stdcall NotifyServiceStatusChangeW(void *service, uint32 mask, void *buffer)');
  } catch {
    notify = undefined;
  }
  return { k, proto, notify };
});

/** Whether this advapi32 exports NotifyServiceStatusChangeW. */
export function hasServiceNotify(): boolean {
  return api().notify !== undefined;
}

/**
 * One SERVICE_NOTIFY_2W buffer in native memory (it must not move while a registration is pending)
 * and the callback its registrations name. `onNotify` gets the buffer's bytes, copied, on the
 * registering thread. Free it only after the service handles it was registered on are closed.
 */
export interface NotifyBuffer {
  /** NotifyServiceStatusChangeW(service, mask, buffer): 0, or the Win32 error code it returned. */
  register(service: ScHandle, mask: number): number;
  free(): void;
}

/** Allocates a buffer whose pContext is `context` and whose callback hands its bytes to `onNotify`. */
export function createNotifyBuffer(context: number, onNotify: (bytes: Uint8Array) => void): NotifyBuffer {
  const { k, proto, notify } = api();
  if (notify === undefined) throw new Error('this advapi32.dll has no NotifyServiceStatusChangeW');
  const memory = k.alloc('uint8_t', ServiceNotifyLayout.size);
  const callback = k.register((parameter: unknown) => {
    onNotify(memoryReader(parameter)(0, ServiceNotifyLayout.size));
  }, k.pointer(proto));
  const reset = () => {
    const view = new DataView(k.view(memory, ServiceNotifyLayout.size));
    new Uint8Array(view.buffer).fill(0);
    view.setUint32(ServiceNotifyLayout.dwVersion, SERVICE_NOTIFY_VERSION, true);
    view.setBigUint64(ServiceNotifyLayout.pfnNotifyCallback, k.address(callback), true);
    view.setBigUint64(ServiceNotifyLayout.pContext, BigInt(context), true);
  };
  return {
    register(service, mask) {
      reset();
      return (notify(service, mask, memory) as number) >>> 0;
    },
    free() {
      k.unregister(callback);
      k.free(memory);
    },
  };
}
