/**
 * The named-pipe echo service, as pywin32's PipeService sample: every client of
 * \\.\pipe\NodeServicePipe that sends a message gets back "You sent me:<message>" and the pipe is
 * closed; each one is logged to the Event Log ("Processed 11 bytes"). Clients are served
 * concurrently. The pipe is in message mode, so pywin32's PipeServiceClient (one CallNamedPipe
 * call) works against it, and so does a byte-mode client such as node:net.
 *
 * Security: the pipe's DACL admits SYSTEM and Administrators (full control) and nobody else, so
 * only they can connect (the sample client must run elevated), and FILE_FLAG_FIRST_PIPE_INSTANCE
 * makes a pipe of the same name created first by another process a start failure
 * ("…NodeServicePipe is taken: another process owns the pipe name"), not a pipe shared with it.
 * Under Wine the DACL is set and reads back but Wine does not check it, and the flag is ignored:
 * the runtime then refuses a name that already exists when the service starts.
 *
 * Like pywin32's sample, it publishes two Performance Monitor counters, under the object
 * "NodeService PipeService": connections per second and bytes received per second
 * (`host.exe install` registers them; `host.exe perf "\NodeService PipeService\Connections/sec"` reads them).
 *
 *   host.exe install dist\examples\pipe-service.js
 *   net start PipeService
 *   node dist\examples\pipe-service-client.js "Hello there"
 */
import { once } from 'node:events';
import { createPipeServer, defineCounters, logInfoMsg, logWarningMsg, ServiceFramework } from 'nodeservice';

/** The pipe the service listens on. */
export const PIPE_NAME = '\\\\.\\pipe\\NodeServicePipe';

/** SYSTEM and BUILTIN\Administrators get full control, protected from inheritance: nobody else may connect. */
export const PIPE_SDDL = 'D:P(A;;GA;;;SY)(A;;GA;;;BA)';

/** The sample's counter set: what pywin32's sample counted, as PerfLib v2 counters. */
const counters = defineCounters({
  name: 'NodeService PipeService',
  description: 'The NodeService named-pipe echo sample',
  counters: {
    connections: { name: 'Connections/sec', description: 'Clients served per second', type: 'ratePerSecond' },
    bytesReceived: { name: 'Bytes received/sec', description: 'Bytes received from clients per second', type: 'ratePerSecond64' },
  },
});

export default class PipeService extends ServiceFramework<typeof counters> {
  static override svcName = 'PipeService';
  static override svcDisplayName = 'NodeService pipe echo sample';
  static override svcDescription = 'Replies "You sent me:<data>" to each client of \\\\.\\pipe\\NodeServicePipe';
  static override svcCounters = counters;

  async svcDoRun(): Promise<void> {
    // Throws when another process has the name: the service fails to start and says why.
    const server = await createPipeServer(
      {
        name: PIPE_NAME,
        mode: 'message',
        sddl: PIPE_SDDL,
        // A request is one short message: a client sending more is cut off, not buffered.
        maxMessageBytes: 64 * 1024,
        // …and has 5 s to arrive: a client that connects and says nothing does not keep an instance.
        readTimeoutMs: 5000,
        onError: (error) => logWarningMsg(`Pipe client failed: ${error instanceof Error ? error.message : String(error)}`),
      },
      async (connection) => {
        this.counters.connections.increment();
        const message = await connection.read();
        if (message === null) return;
        this.counters.bytesReceived.add(message.length);
        await connection.write(`You sent me:${message.toString('utf8')}`);
        logInfoMsg(`Processed ${message.length} bytes`);
      },
    );
    try {
      if (!this.stopSignal.aborted) await once(this.stopSignal, 'abort');
    } finally {
      await server.close();
    }
  }
}
