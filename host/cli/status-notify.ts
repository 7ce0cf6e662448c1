/**
 * The main thread's side of status notifications: starts the thread host.exe carries
 * (status-notify-thread.ts, an SEA asset) for the services a wait or a watch names, and hands
 * what it posts on as StatusEvents. The command line registers this as the runtime's notification
 * source (runtime/control/status-watch.ts); the thread starts only when something waits or
 * watches, so neither the command line's other verbs nor any service pays for it.
 * @module
 */
import { once } from 'node:events';
import { getAsset, isSea } from 'node:sea';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { describeStatus } from '../../runtime/control/status.ts';
import type { NotifySource, StatusEvent, StatusWatch } from '../../runtime/control/status-watch.ts';
import { windowsError } from '../../runtime/win32/errors.ts';
import { koffiAddonPath } from '../../runtime/win32/native-addon.ts';
import type { NotifyThreadData, NotifyThreadMessage } from './status-notify-protocol.ts';

/** The SEA asset holding the thread's program (named in build/bundle.ts). */
const STATUS_NOTIFY_THREAD_ASSET = 'status-notify-thread.cjs';
/** How long a closing watch waits for its thread to end on its own before ending it. */
const CLOSE_WAIT_MS = 2_000;

function toEvent(message: Exclude<NotifyThreadMessage, { kind: 'ready' | 'unsupported' }>): StatusEvent {
  switch (message.kind) {
    case 'status':
      return { ...message, status: describeStatus(message.service, message.status) };
    case 'deleted':
      return message;
    case 'error':
      return { kind: 'error', service: message.service, at: message.at, error: windowsError(message.functionName, message.code) };
  }
}

/**
 * Starts a notification thread for `request`; undefined (the caller polls) outside host.exe, or when
 * the thread finds no notifications (an advapi32 without them) or fails to set up (it cannot open a
 * service: the caller's own query then says why).
 */
export const notifyThreadSource: NotifySource = async (request) => {
  if (!isSea()) return undefined;
  const data: NotifyThreadData = {
    addon: koffiAddonPath(),
    services: [...request.services],
    machine: request.machine ?? null,
    connection: request.connection ?? null,
  };
  const worker = new Worker(getAsset(STATUS_NOTIFY_THREAD_ASSET, 'utf8'), { eval: true, workerData: data });
  let ready = false;
  const settled = new Promise<boolean>((resolve) => {
    worker.on('message', (message: NotifyThreadMessage) => {
      if (message.kind === 'ready') {
        ready = true;
        resolve(true);
      } else if (message.kind === 'unsupported') resolve(false);
      else if (ready) request.onEvent(toEvent(message));
    });
    worker.on('error', (error) => {
      if (!ready) resolve(false);
      else for (const service of request.services) request.onEvent({ kind: 'error', service, at: Date.now(), error });
    });
    worker.on('exit', () => resolve(false));
  });
  if (!(await settled)) {
    await worker.terminate();
    return undefined;
  }
  const exited = once(worker, 'exit');
  const watch: StatusWatch = {
    mode: 'notify',
    close: async () => {
      worker.postMessage('stop');
      const ended = await Promise.race([exited.then(() => true), sleep(CLOSE_WAIT_MS).then(() => false)]);
      if (!ended) await worker.terminate();
    },
  };
  return watch;
};
