/**
 * The named-pipe echo service: every client that connects to \\.\pipe\NodeServicePipe and writes
 * a message gets back "You sent me:<message>", and the pipe is closed, as in pywin32's sample;
 * each one is logged to the Event Log ("Processed 11 bytes"). Clients are served concurrently. (Windows pipes have no half-close, so the message is one write.)
 *
 * Like pywin32's sample, it publishes two Performance Monitor counters, under the object
 * "NodeService PipeService": connections per second and bytes received per second
 * (`host.exe install` registers them; `host.exe perf "\NodeService PipeService\Connections/sec"` reads them).
 *
 * The pipe has Node's default security, not one of its own: Windows' default DACL for a named
 * pipe, which gives SYSTEM, Administrators and the creator full control and lets Everyone and
 * Anonymous read. Node cannot pass SECURITY_ATTRIBUTES, and under Wine a second server can take the
 * same name, so this sample is an echo demo, not a pattern for a privileged pipe: a real service
 * needs a pipe created with an explicit DACL and FILE_FLAG_FIRST_PIPE_INSTANCE (issue 15, item 11,
 * not done yet; see SECURITY.md).
 *
 *   host.exe install dist\examples\pipe-service.js
 *   net start PipeService
 *   node dist\examples\pipe-service-client.js "Hello there"
 */
import { once } from 'node:events';
import net from 'node:net';
import { defineCounters, logInfoMsg, ServiceFramework } from 'nodeservice';

/** The pipe the service listens on. */
export const PIPE_NAME = '\\\\.\\pipe\\NodeServicePipe';

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
    const clients = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      clients.add(socket);
      this.counters.connections.increment();
      socket.once('data', (message: Buffer) => {
        this.counters.bytesReceived.add(message.length);
        socket.end(`You sent me:${message.toString('utf8')}`);
        logInfoMsg(`Processed ${message.length} bytes`);
      });
      socket.on('error', () => socket.destroy());
      socket.on('close', () => clients.delete(socket));
    });
    server.listen(PIPE_NAME);
    await once(server, 'listening');
    await once(this.stopSignal, 'abort');
    for (const socket of clients) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}
