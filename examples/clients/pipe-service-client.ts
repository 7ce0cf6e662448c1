/**
 * Sends each argument to PipeService as its own concurrent connection and prints the replies.
 * node:net opens the pipe in byte mode, which reads a message-mode pipe fine: each reply is one
 * message, read whole. pywin32's client (one CallNamedPipe call) works too; the pipe admits SYSTEM
 * and Administrators only, so run this elevated.
 *
 *   node pipe-service-client.js "Hello there" "General Kenobi"
 */
import net from 'node:net';

const PIPE_NAME = '\\\\.\\pipe\\NodeServicePipe';

function send(message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(PIPE_NAME, () => socket.write(message));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', (error) => reject(new Error(`cannot reach ${PIPE_NAME}: ${error.message} (is PipeService running?)`)));
  });
}

async function main(messages: string[]): Promise<number> {
  if (messages.length === 0) {
    console.error('usage: node pipe-service-client.js <message> [message...]');
    return 2;
  }
  try {
    for (const reply of await Promise.all(messages.map(send))) console.log(reply);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
