/**
 * The bench's node:net pipe server: PipeService's protocol ("You sent me:<message>", then close)
 * on \\.\pipe\BenchNetPipe with node:net, as the sample was before it had the runtime's pipe
 * server, so `npm run bench` compares the two under the same host and the same SCM.
 */
import { once } from 'node:events';
import net from 'node:net';
import { ServiceFramework } from 'nodeservice';

export default class NetPipeService extends ServiceFramework {
  static override svcName = 'BenchNetPipe';

  async svcDoRun(): Promise<void> {
    const clients = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      clients.add(socket);
      socket.once('data', (message: Buffer) => socket.end(`You sent me:${message.toString('utf8')}`));
      socket.on('error', () => socket.destroy());
      socket.on('close', () => clients.delete(socket));
    });
    server.listen('\\\\.\\pipe\\BenchNetPipe');
    await once(server, 'listening');
    if (!this.stopSignal.aborted) await once(this.stopSignal, 'abort');
    for (const socket of clients) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}
