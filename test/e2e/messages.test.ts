import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileService } from '../../build/services.ts';
import { compileMessageFile } from '../../messages/compile.ts';
import { underWine } from '../platform.ts';
import { host, hostExe, loggedEvents, net, prefixDir, reg, sc, startHost, windowsPath } from './wine.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\NodeService\\services';

const hostMessages = compileMessageFile(path.join(import.meta.dirname, '..', '..', 'messages', 'host.mc')).file.messages;

/** What FormatMessage should make of an entry of host.mc with these inserts. */
function expectedText(text: string, inserts: string[]): string {
  return text.replace(/%0\r\n$/, '').replace(/%(\d+)/g, (_, n: string) => inserts[Number(n) - 1] ?? '');
}

describe("host.exe's message table, as Event Viewer reads it", () => {
  beforeAll(async () => {
    expect((await host(['/register', '--services-dir', SERVICES_DIR])).code).toBe(0);
    const dir = prefixDir('NodeService', 'services');
    await compileService(path.join(fixtures, 'orders-service.ts'), path.join(dir, 'orders-service.js'));
    for (const file of ['orders.mc', 'broken.mc']) fs.copyFileSync(path.join(fixtures, file), path.join(dir, file));
  });

  afterAll(async () => {
    expect((await host(['/unregister'])).code).toBe(0);
  });

  it.each(hostMessages.map((message) => [message.symbolicName!, message]))(
    'formats %s from host.exe loaded as a data file',
    async (_name, message) => {
      const inserts = ['PipeService', 'because: reasons', 'third'];
      const id = `0x${message.id.toString(16)}`;
      const result = await host(['message', 'unused', id, ...inserts, '--file', windowsPath(hostExe)]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(`${expectedText(message.texts.get('English')!, inserts)}\n`);
    },
  );

  it('formats through the "host" event source that /register wrote, as Event Viewer does', async () => {
    const started = await host(['message', 'host', '0x40001002', 'PipeService', '']);
    expect(started.stdout).toBe('The PipeService service has started.\n');
    const info = await host(['message', 'host', String(0x400000ff), 'Processed 8 bytes']);
    expect(info.stdout).toBe('Processed 8 bytes\n');
  });

  it('says clearly when a source or an id is unknown', async () => {
    const noSource = await host(['message', 'NoSuchSource', '0x40001002']);
    expect(noSource.code).toBe(1);
    expect(noSource.stderr).toContain("'NoSuchSource' is not an event source of the Application log");
    const noId = await host(['message', 'host', '0x40009999']);
    expect(noId.code).toBe(1);
    expect(noId.stderr).toContain("no message file of 'host' has message 0x40009999");
    const badId = await host(['message', 'host', 'twelve']);
    expect(badId.code).toBe(2);
  });

  it('refuses a malformed --messages file with its file:line, installing nothing', async () => {
    const result = await host(['install', `${SERVICES_DIR}\\orders-service.js`, '--messages', `${SERVICES_DIR}\\broken.mc`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("broken.mc:2: unknown severity 'Fatal'");
    expect((await sc(['query', 'OrdersTest'])).code).not.toBe(0);
  });

  it('compiles an author .mc into a DLL beside the module, registered before host.exe, and logs with it', async () => {
    const installed = await host(['install', `${SERVICES_DIR}\\orders-service.js`, '--messages', `${SERVICES_DIR}\\orders.mc`]);
    expect(installed.code, installed.stderr).toBe(0);
    const dll = `${SERVICES_DIR}\\orders-service.OrdersTest.messages.dll`;
    const files = await reg([
      'query',
      'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\OrdersTest',
      '/v',
      'EventMessageFile',
    ]);
    expect(files.stdout).toContain(`${dll};${windowsPath(hostExe)}`);

    // Event Viewer's way: the author's id from the DLL, the lifecycle ids from host.exe.
    expect((await host(['message', 'OrdersTest', '0x40002001', '42', 'Oslo'])).stdout).toBe('Order 42 shipped to Oslo.\n');
    expect((await host(['message', 'OrdersTest', '0x80002002', '42', '3'])).stdout).toBe('Order 42 is 3 days late.\n');
    expect((await host(['message', 'OrdersTest', '0x40001002', 'OrdersTest', ''])).stdout).toBe('The OrdersTest service has started.\n');

    expect((await net(['start', 'OrdersTest'])).code).toBe(0);
    await vi.waitFor(() =>
      expect(loggedEvents()).toContainEqual({
        source: 'OrdersTest',
        type: 4,
        id: 0x40002001,
        count: 2,
        strings: ['42', 'Oslo'],
        category: 0,
        dataSize: 0,
        hasSid: false,
      }),
    );
    expect((await net(['stop', 'OrdersTest'])).code).toBe(0);
  });

  it('debug prints the author messages from the DLL beside the module', async () => {
    const debug = startHost(['debug', `${SERVICES_DIR}\\orders-service.js`]);
    await vi.waitFor(() => expect(debug.stdout()).toContain('Info 0x40002001 - Order 42 shipped to Oslo.'), {
      timeout: 20_000,
      interval: 100,
    });
    await debug.interrupt();
    expect((await debug.result).code).toBe(0);
  });

  it('remove deletes the DLL it compiled and the event source', async () => {
    expect((await host(['remove', 'OrdersTest'])).code).toBe(0);
    await sleep(100);
    expect(fs.existsSync(prefixDir('NodeService', 'services', 'orders-service.OrdersTest.messages.dll'))).toBe(false);
    expect((await host(['message', 'OrdersTest', '0x40002001'])).code).toBe(1);
  });

  it('reads the Application log (Wine keeps no records, so it says so)', async () => {
    if (!underWine) {
      // Windows keeps them: the newest entries, each with its text resolved from its message file.
      const stored = await host(['eventlog', '--backwards', '--max', '5', '--json']);
      expect(stored.code, stored.stderr).toBe(0);
      const records = stored.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { sourceName: string; text: string });
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) expect(record.sourceName).not.toBe('');
    }
    // Under Wine even the host's own source has none; on Windows, a source nobody wrote under.
    const source = underWine ? 'host' : 'NoSuchSourceAnywhere';
    const result = await host(['eventlog', '--source', source, '--backwards', '--max', '5']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`No records from ${source} in the Application log.\n`);
    expect((await host(['eventlog', '--max', 'lots'])).code).toBe(2);
  });
});
