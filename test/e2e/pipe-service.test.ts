import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { windowsNode } from '../../build/paths.ts';
import { examplesOut } from '../../build/services.ts';
import { MSG_INFO_TEXT } from '../../runtime/eventlog/host-messages.ts';
import { host, loggedEvents, net, prefixDir, runWindowsProgram } from './wine.ts';

describe('the PipeService sample', () => {
  it('installs, starts, answers concurrent clients, stops and goes away', async () => {
    fs.mkdirSync(prefixDir('PipeDemo', 'services'), { recursive: true });
    fs.copyFileSync(path.join(examplesOut, 'pipe-service.js'), prefixDir('PipeDemo', 'services', 'pipe-service.js'));
    fs.copyFileSync(path.join(examplesOut, 'pipe-service-client.js'), prefixDir('PipeDemo', 'client.js'));

    expect((await host(['/register', '--services-dir', 'C:\\PipeDemo\\services', '--force'])).code).toBe(0);
    expect((await host(['install', 'C:\\PipeDemo\\services\\pipe-service.js'])).code).toBe(0);
    const manifest = prefixDir('PipeDemo', 'services', 'pipe-service.PipeService.counters.man');
    expect(fs.readFileSync(manifest, 'utf8')).toMatch(/name="Connections\/sec"[^>]*type="perf_counter_counter"[\s\S]*name="Bytes received\/sec"[^>]*type="perf_counter_bulk_count"/);
    expect((await net(['start', 'PipeService'])).code).toBe(0);
    try {
      const messages = Array.from({ length: 8 }, (_, i) => `message ${i}`);
      const client = await runWindowsProgram(windowsNode, ['C:\\PipeDemo\\client.js', ...messages]);
      expect(client.stderr).toBe('');
      expect(client.stdout.trimEnd().split('\n')).toEqual(messages.map((message) => `You sent me:${message}`));
      const processed = loggedEvents().filter((event) => event.source === 'PipeService' && event.id === MSG_INFO_TEXT);
      expect(processed).toEqual(messages.map(() => ({ source: 'PipeService', type: 4, id: MSG_INFO_TEXT, strings: ['Processed 9 bytes'] })));
    } finally {
      expect((await net(['stop', 'PipeService'])).code).toBe(0);
      expect((await host(['remove', 'PipeService'])).code).toBe(0);
      expect((await host(['/unregister'])).code).toBe(0);
    }
    expect(fs.existsSync(manifest)).toBe(false);
    const refused = await runWindowsProgram(windowsNode, ['C:\\PipeDemo\\client.js', 'anyone?']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is PipeService running?');
  });
});
