import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMessageFile } from '../../messages/compile.ts';
import { host, hostExe, windowsPath } from './wine.ts';

const hostMessages = compileMessageFile(path.join(import.meta.dirname, '..', '..', 'messages', 'host.mc')).file.messages;

/** What FormatMessage should make of an entry of host.mc with these inserts. */
function expectedText(text: string, inserts: string[]): string {
  return text.replace(/%0\r\n$/, '').replace(/%(\d+)/g, (_, n: string) => inserts[Number(n) - 1] ?? '');
}

describe("host.exe's message table, as Event Viewer reads it", () => {
  beforeAll(async () => {
    expect((await host(['/register', '--services-dir', 'C:\\NodeService\\services'])).code).toBe(0);
  });

  afterAll(async () => {
    expect((await host(['/unregister'])).code).toBe(0);
  });

  it.each(hostMessages.map((message) => [message.symbolicName!, message]))('formats %s from host.exe loaded as a data file', async (_name, message) => {
    const inserts = ['PipeService', 'because: reasons', 'third'];
    const id = `0x${message.id.toString(16)}`;
    const result = await host(['message', 'unused', id, ...inserts, '--file', windowsPath(hostExe)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${expectedText(message.texts.get('English')!, inserts)}\n`);
  });

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
});
