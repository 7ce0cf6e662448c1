/**
 * Round trips per second to a named-pipe service: `clients` connections at a time, each one
 * connect, write, read the reply, close (PipeService's protocol), for `durationMs`.
 * @module
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A round trip that failed before its connection was made: the server had no instance ready. */
class NotConnected extends Error {}

function roundTrip(pipe: string, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let connected = false;
    const socket = net.connect(pipe, () => {
      connected = true;
      socket.write(message);
    });
    socket.on('data', () => {});
    socket.on('close', () => resolve());
    socket.on('error', (error) => reject(connected ? error : new NotConnected(error.message, { cause: error })));
  });
}

/**
 * A client that finds no instance ready (the server is between instances: ENOENT; all are busy:
 * EBUSY; Wine also says UNKNOWN for one being set up) waits and tries again, as WaitNamedPipe makes
 * a Windows client; so does this one, and only round trips that were made count. Under load the C
 * server, which keeps one instance waiting, sent clients such errors often enough to fail a bench
 * run. An error once connected is a real failure.
 */
function isBetweenInstances(error: unknown): boolean {
  return error instanceof NotConnected;
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
