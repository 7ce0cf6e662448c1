/**
 * Round trips per second to a named-pipe service: `clients` connections at a time, each one
 * connect, write, read the reply, close (PipeService's protocol), for `durationMs`.
 * @module
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

function roundTrip(pipe: string, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(pipe, () => socket.write(message));
    socket.on('data', () => {});
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

/**
 * What a Windows client meets while a server is between instances (ENOENT: it has not yet made the
 * next one) or has every instance busy (EBUSY): such a client waits and tries again, as
 * WaitNamedPipe makes it; so does this one. Under load the C server, which keeps one instance
 * waiting, sent clients ENOENT often enough to fail a whole bench run.
 */
function isBetweenInstances(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'EBUSY';
}

/** Waits until the pipe answers: a service reports RUNNING before its svcDoRun has opened the pipe. */
async function reachable(pipe: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await roundTrip(pipe, 'hello');
    } catch (error) {
      if (attempt === 100) throw error;
      await sleep(50);
    }
  }
}

/** Runs the load and returns the round trips completed per second. */
export async function pipeRoundTrips(pipe: string, clients: number, durationMs: number): Promise<number> {
  await reachable(pipe);
  const started = performance.now();
  const deadline = started + durationMs;
  let done = 0;
  const client = async () => {
    while (performance.now() < deadline) {
      try {
        await roundTrip(pipe, 'ping');
        done++;
      } catch (error) {
        if (!isBetweenInstances(error)) throw error;
        await sleep(1);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return done / ((performance.now() - started) / 1000);
}
