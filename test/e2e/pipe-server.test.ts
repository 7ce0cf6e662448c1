/**
 * The runtime's pipe server beyond the sample: byte mode, a name with spaces and symbols, and
 * the ways a service can end with its server open (it closes it, forgets it, or throws): each
 * time the service stops promptly and its process is gone, so no native wait was left blocking.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { windowsNode } from '../../build/paths.ts';
import { compileService } from '../../build/services.ts';
import { SERVICE_FAILED } from '../../runtime/eventlog/host-messages.ts';
import { host, loggedEvents, prefixDir, runWindowsProgram, scQuery } from './wine.ts';
import { hostServiceProcesses } from './helpers.ts';

const SERVICES_DIR = 'C:\\PipeServer\\services';
const PIPE = '\\\\.\\pipe\\Odd name $&!é (byte)';
const installed: string[] = [];

/** Sends each message on one byte-mode connection, waiting for each echo, then ends. */
const CLIENT = `
const net = require('node:net');
const [pipe, ...messages] = process.argv.slice(2);
const socket = net.connect(pipe);
const replies = [];
socket.on('error', (e) => { console.log('error ' + e.message); process.exitCode = 1; });
socket.on('connect', async () => {
  for (const message of messages) {
    socket.write(message);
    replies.push(String(await new Promise((resolve) => socket.once('data', resolve))));
  }
  console.log(replies.join('|'));
  socket.end();
});`;

/** Installs with no failure actions: PipeByteThrow fails on purpose, and Windows' SCM would start it again (install's default: restart after 1 s). */
async function install(name: string, ending: string): Promise<void> {
  const result = await host([
    'install',
    `${SERVICES_DIR}\\pipe-byte-service.js`,
    '--name',
    name,
    '--display-name',
    name,
    '--arg',
    ending,
    '--failure-actions',
    'none',
  ]);
  expect(result.code, result.stderr).toBe(0);
  installed.push(name);
}

describe("the runtime's pipe server", () => {
  beforeAll(async () => {
    const dir = prefixDir('PipeServer', 'services');
    fs.mkdirSync(dir, { recursive: true });
    await compileService(path.join(import.meta.dirname, 'fixtures', 'pipe-byte-service.ts'), path.join(dir, 'pipe-byte-service.js'));
    fs.writeFileSync(prefixDir('PipeServer', 'client.js'), CLIENT);
    expect((await host(['/register', '--services-dir', SERVICES_DIR, '--force'])).code).toBe(0);
  });

  afterAll(async () => {
    for (const name of installed.splice(0)) await host(['remove', name]);
    await host(['/unregister']);
  });

  it('serves a byte-mode stream on a name with spaces and symbols, and closes cleanly on stop', async () => {
    await install('PipeByteClose', 'close');
    expect((await host(['start', 'PipeByteClose'])).code).toBe(0);
    const result = await runWindowsProgram(windowsNode, ['C:\\PipeServer\\client.js', PIPE, 'abc', 'déf', 'ghi']);
    expect(result.stdout).toBe('ABC|DÉF|GHI\n');
    const started = Date.now();
    expect((await host(['stop', 'PipeByteClose'])).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await scQuery('PipeByteClose')).toMatchObject({ state: 'STOPPED', win32ExitCode: 0 });
    await vi.waitFor(() => expect(hostServiceProcesses()).toEqual([]), { timeout: 10_000, interval: 100 });
  });

  it('a service that returns without closing its server still stops, and its process ends', async () => {
    await install('PipeByteLeave', 'leave');
    expect((await host(['start', 'PipeByteLeave'])).code).toBe(0);
    expect((await runWindowsProgram(windowsNode, ['C:\\PipeServer\\client.js', PIPE, 'x'])).stdout).toBe('X\n');
    expect((await host(['stop', 'PipeByteLeave'])).code).toBe(0);
    expect(await scQuery('PipeByteLeave')).toMatchObject({ state: 'STOPPED', win32ExitCode: 0 });
    await vi.waitFor(() => expect(hostServiceProcesses()).toEqual([]), { timeout: 10_000, interval: 100 });
  });

  it('a service that throws with its server listening fails, and its process ends', async () => {
    await install('PipeByteThrow', 'throw');
    await host(['start', 'PipeByteThrow']);
    await vi.waitFor(async () => expect((await scQuery('PipeByteThrow')).state).toBe('STOPPED'), { timeout: 20_000, interval: 150 });
    expect(await scQuery('PipeByteThrow')).toMatchObject({ win32ExitCode: 1066, serviceExitCode: 1 });
    expect(loggedEvents().some((event) => event.source === 'PipeByteThrow' && event.id === SERVICE_FAILED)).toBe(true);
    await vi.waitFor(() => expect(hostServiceProcesses()).toEqual([]), { timeout: 10_000, interval: 100 });
  });
});
