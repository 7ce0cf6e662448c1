/**
 * The program of the status-notification thread: a bundle of its own (build/bundle.ts), carried as
 * an asset of host.exe's SEA and started by host/cli/status-notify.ts only while something waits for or
 * watches a service (never on a service's start path).
 *
 * Why a thread: NotifyServiceStatusChangeW tells the registering thread through an APC, which runs
 * only while that thread waits alertably; Node's main thread never does. This thread registers,
 * then sleeps alertably in slices (SleepEx), so the APC runs koffi's callback here, on the thread
 * that called SleepEx, as koffi requires; between slices it yields to its event loop so the main
 * thread's "stop" gets in. The SCM's notifications are one-shot: each is registered again.
 *
 * A service marked for deletion is reported by the notification (Windows) or found gone by a
 * probe every second (see probe()), since Wine 8's services.exe sends no deletion notice.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeServiceNotify, WATCH_MASK } from '../../runtime/control/service-notify.ts';
import { createNotifyBuffer, hasServiceNotify, type NotifyBuffer } from '../../runtime/win32/advapi32/service-notify.ts';
import {
  closeServiceHandle,
  openSCManager,
  openService,
  scHandleAt,
  ScmAccess,
  ServiceAccess,
  type ScHandle,
} from '../../runtime/win32/advapi32/services.ts';
import { sleepAlertable } from '../../runtime/win32/kernel32.ts';
import { adoptKoffiAddon } from '../../runtime/win32/native-addon.ts';
import { isWindowsError } from '../../runtime/win32/windows-error.ts';
import type { NotifyThreadData, NotifyThreadMessage } from './status-notify-protocol.ts';
import { ErrorCode } from '../../runtime/win32/errors.ts';

/** How long one alertable sleep lasts: the longest a "stop" waits to be seen. */
const SLICE_MS = 100;
/** How often each service is looked up by name, to see it deleted where no notification says so. */
const PROBE_MS = 1000;

interface Watched {
  name: string;
  handle: ScHandle;
  buffer: NotifyBuffer;
  live: boolean;
}

const post = (message: NotifyThreadMessage) => parentPort!.postMessage(message);

function run(data: NotifyThreadData): Promise<void> | void {
  adoptKoffiAddon(data.addon);
  if (!hasServiceNotify()) return post({ kind: 'unsupported', reason: 'advapi32.dll has no NotifyServiceStatusChangeW' });
  const fired: Uint8Array[] = [];
  // The caller's connection when it gives one (one SCM connection per command), else one of its own.
  const scm = data.connection === null ? openSCManager(data.machine, ScmAccess.CONNECT) : scHandleAt(data.connection);
  const watched: Watched[] = [];
  const cleanUp = () => {
    for (const entry of watched) if (entry.live) closeServiceHandle(entry.handle);
    // A notification that fired as its handle closed runs now, with nothing left to tell.
    sleepAlertable(0);
    for (const entry of watched) entry.buffer.free();
    if (data.connection === null) closeServiceHandle(scm);
  };
  const gone = (entry: Watched) => {
    entry.live = false;
    closeServiceHandle(entry.handle);
    post({ kind: 'deleted', service: entry.name, at: Date.now() });
  };
  const register = (entry: Watched): number => {
    const code = entry.buffer.register(entry.handle, WATCH_MASK);
    if (code === ErrorCode.ERROR_SERVICE_MARKED_FOR_DELETE) gone(entry);
    // ERROR_ALREADY_REGISTERED: a registration is pending on the handle already (a late callback was handled twice): it stands.
    else if (code !== 0 && code !== ErrorCode.ERROR_CALL_NOT_IMPLEMENTED && code !== ErrorCode.ERROR_ALREADY_REGISTERED) {
      entry.live = false;
      closeServiceHandle(entry.handle);
      post({ kind: 'error', service: entry.name, at: Date.now(), code, functionName: 'NotifyServiceStatusChangeW' });
    }
    return code;
  };
  try {
    for (const [index, name] of data.services.entries()) {
      const handle = openService(scm, name, ServiceAccess.QUERY_STATUS);
      const entry: Watched = { name, handle, buffer: createNotifyBuffer(index, (bytes) => fired.push(bytes)), live: true };
      watched.push(entry);
      if (register(entry) === ErrorCode.ERROR_CALL_NOT_IMPLEMENTED) {
        cleanUp();
        return post({ kind: 'unsupported', reason: 'NotifyServiceStatusChangeW answered ErrorCode.ERROR_CALL_NOT_IMPLEMENTED' });
      }
    }
  } catch (error) {
    cleanUp();
    throw error;
  }
  post({ kind: 'ready' });
  return loop(scm, watched, fired, register, gone).finally(cleanUp);
}

async function loop(
  scm: ScHandle,
  watched: Watched[],
  fired: Uint8Array[],
  register: (entry: Watched) => number,
  gone: (entry: Watched) => void,
): Promise<void> {
  let stopping = false;
  parentPort!.on('message', (message) => {
    if (message === 'stop') stopping = true;
  });
  let probedAt = Date.now();
  while (!stopping && watched.some((entry) => entry.live)) {
    sleepAlertable(SLICE_MS);
    for (const bytes of fired.splice(0)) {
      const notification = decodeServiceNotify(bytes);
      const entry = watched[Number(notification.context)];
      // A callback that reads its buffer after a new registration has reset it finds no state: skip it.
      if (!entry?.live || (notification.status.currentState as number) === 0) continue;
      if (notification.deleted) {
        gone(entry);
        continue;
      }
      post({ kind: 'status', service: entry.name, at: Date.now(), status: notification.status });
      register(entry);
    }
    if (Date.now() - probedAt >= PROBE_MS) {
      probedAt = Date.now();
      for (const entry of watched.filter((candidate) => candidate.live)) probe(scm, entry, register, post);
    }
    // Lets the main thread's "stop" in.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Lets go of the service's handle and opens it again by name: gone (1060) or marked for deletion
 * (1072) ends its watch; else it is registered again (a new handle's first registration reports
 * the current status, which the caller dedupes). Letting go matters under Wine 8: its services.exe
 * removes a deleted service only when the last handle to it closes, sends no notification and
 * still opens it by name until then, so a watch that held its handle would keep it forever.
 */
function probe(scm: ScHandle, entry: Watched, register: (entry: Watched) => number, post: (message: NotifyThreadMessage) => void): void {
  closeServiceHandle(entry.handle);
  try {
    entry.handle = openService(scm, entry.name, ServiceAccess.QUERY_STATUS);
  } catch (error) {
    entry.live = false;
    const goneCode =
      isWindowsError(error) &&
      (error.code === ErrorCode.ERROR_SERVICE_DOES_NOT_EXIST || error.code === ErrorCode.ERROR_SERVICE_MARKED_FOR_DELETE);
    if (goneCode) post({ kind: 'deleted', service: entry.name, at: Date.now() });
    else
      post({
        kind: 'error',
        service: entry.name,
        at: Date.now(),
        code: isWindowsError(error) ? error.code : 0,
        functionName: 'OpenServiceW',
      });
    return;
  }
  register(entry);
}

// An uncaught error ends this thread; its 'error' event tells the main thread.
void run(workerData as NotifyThreadData);
