import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileService, examplesOut } from '../../build/services.ts';
import { host, net, prefixDir, startHost } from './wine.ts';
import { fails, ok } from './helpers.ts';
import { underWine } from '../platform.ts';

const SERVICES_DIR = 'C:\\NodeService\\services';
const SMALLEST = `${SERVICES_DIR}\\smallest-service.js`;

describe('watch: state changes as they happen', () => {
  beforeAll(async () => {
    const dir = prefixDir('NodeService', 'services');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(dir, 'smallest-service.js'));
    await compileService(path.join(import.meta.dirname, 'fixtures', 'pausable-service.ts'), path.join(dir, 'pausable-service.mjs'));
    await ok(['/register', '--services-dir', SERVICES_DIR, '--force']);
    // It takes 2.5 s to stop: a notification is one-shot, registered again after each, so a state
    // that lasts less than that round trip (the smallest service's STOP_PENDING, under Wine 10) can
    // be missed, as on Windows; this one's STOP_PENDING cannot.
    await ok(['install', `${SERVICES_DIR}\\pausable-service.mjs`, '--name', 'WatchOne', '--display-name', 'Watched one', '--arg', 'slow']);
    await ok(['install', SMALLEST, '--name', 'WatchTwo', '--display-name', 'Watched two']);
  });

  afterAll(async () => {
    for (const name of ['WatchOne', 'WatchTwo']) await host(['remove', name]);
    await ok(['/unregister']);
  });

  it('prints each change of a service another command starts and stops, as the SCM notifies it', async () => {
    const watch = startHost(['watch', 'WatchOne']);
    await vi.waitFor(() => expect(watch.stdout()).toMatch(/WatchOne {2}STOPPED/), { timeout: 20_000, interval: 100 });
    expect((await net(['start', 'WatchOne'])).code).toBe(0);
    // Wine's net start returns once the process has connected, before RUNNING; a stop sent during the
    // start can time out in the SCM (1053), so the watch itself says when the service runs.
    await vi.waitFor(() => expect(watch.stdout()).toContain('START_PENDING → RUNNING'), { timeout: 20_000, interval: 100 });
    const netStop = await net(['stop', 'WatchOne']);
    expect(netStop.code, netStop.stdout + netStop.stderr).toBe(0);
    await vi.waitFor(() => expect(watch.stdout()).toContain('STOP_PENDING → STOPPED'), { timeout: 20_000, interval: 100 });
    await watch.interrupt();
    const result = await watch.result;
    expect(result.code, result.stderr).toBe(0);
    // Windows and Wine (8 and 10) implement NotifyServiceStatusChange: the notification thread runs, not polling.
    expect(result.stderr).toContain('watching WatchOne (SCM notifications)');
    const lines = result.stdout.trimEnd().split('\n');
    const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z {2}WatchOne {2}/;
    for (const line of lines) expect(line).toMatch(at);
    // Wine reports a service that never ran as STOPPED with exit code 1077 (ERROR_SERVICE_NEVER_STARTED), as Windows does.
    expect(lines.map((line) => line.replace(at, '').replace(/ {2}pid \d+/, ''))).toEqual([
      expect.stringMatching(/^STOPPED( {2}exit code 1077)?$/),
      'STOPPED → START_PENDING',
      'START_PENDING → RUNNING',
      'RUNNING → STOP_PENDING',
      'STOP_PENDING → STOPPED',
    ]);
  });

  it('two watches at once see the same changes; --json gives one object a line; --timeout ends a watch', async () => {
    const first = startHost(['watch', 'WatchOne', 'WatchTwo', '--json', '--timeout', '60']);
    const second = startHost(['watch', 'WatchOne', '--json', '--timeout', '60']);
    const seen = (watch: typeof first, text: string) => watch.stdout().includes(text);
    await vi.waitFor(() => expect(seen(first, '"WatchTwo"') && seen(second, '"WatchOne"')).toBe(true), { timeout: 20_000, interval: 100 });
    await ok(['start', 'WatchOne']);
    await ok(['stop', 'WatchOne']);
    const stopped = '"from":"STOP_PENDING","to":"STOPPED"';
    await vi.waitFor(() => expect(seen(first, stopped) && seen(second, stopped)).toBe(true), { timeout: 20_000, interval: 100 });
    await first.interrupt();
    await second.interrupt();
    for (const watch of [first, second]) {
      const result = await watch.result;
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { service: string; event: string; from?: string; to: string });
      const changes = lines.filter((line) => line.service === 'WatchOne').map((line) => line.to);
      expect(changes).toEqual(['STOPPED', 'START_PENDING', 'RUNNING', 'STOP_PENDING', 'STOPPED']);
    }
    const timed = await host(['watch', 'WatchTwo', '--timeout', '1.5']);
    expect(timed.code, timed.stderr).toBe(0);
    expect(timed.stdout).toMatch(/^\S+ {2}WatchTwo {2}STOPPED( {2}exit code 1077)?\n$/);
  });

  // Wine has no Ctrl+Break for a program (its CTRL_BREAK_EVENT is a SIGQUIT that aborts a thread
  // without calling the program's handlers): test/wine/run.ts refuses it, so this runs on Windows only.
  it.skipIf(underWine)('Ctrl+Break ends a watch as Ctrl+C does (Windows only)', async () => {
    const watch = startHost(['watch', 'WatchTwo']);
    await vi.waitFor(() => expect(watch.stdout()).toMatch(/WatchTwo {2}STOPPED/), { timeout: 20_000, interval: 100 });
    await watch.interrupt('break');
    const result = await watch.result;
    // Unhandled, Ctrl+Break ends a console program with STATUS_CONTROL_C_EXIT (0xC000013A).
    expect(result.code, result.stderr).toBe(0);
  });

  it('a service deleted while watched is reported and its watch ends', async () => {
    await ok(['install', SMALLEST, '--name', 'WatchGone', '--display-name', 'Watched gone']);
    const watch = startHost(['watch', 'WatchGone']);
    await vi.waitFor(() => expect(watch.stdout()).toMatch(/WatchGone {2}STOPPED/), { timeout: 20_000, interval: 100 });
    await ok(['remove', 'WatchGone']);
    const result = await watch.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\n\S+ {2}WatchGone {2}deleted\n$/);
  });

  // Wine's trace channels are what show the calls; Windows has none.
  it.skipIf(!underWine)('start and stop wait through the SCM notification (sechost traces NotifyServiceStatusChangeW)', async () => {
    const started = await host(['start', 'WatchTwo'], { wineDebug: '+service' });
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/^WatchTwo {2}RUNNING/);
    expect(started.stderr).toMatch(/trace:service:NotifyServiceStatusChangeW/);
    const stopped = await host(['stop', 'WatchTwo'], { wineDebug: '+service' });
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toMatch(/trace:service:NotifyServiceStatusChangeW/);
    // The notification thread uses the command's SCM connection: still one a command.
    const connections = (trace: string) => trace.split('\n').filter((line) => line.includes('trace:service:OpenSCManagerW')).length;
    expect(connections(started.stderr)).toBe(1);
    expect(connections(stopped.stderr)).toBe(1);
  });

  it('a service that does not exist is refused', async () => {
    await fails(['watch', 'NoSuchWatched'], /there is no service named 'NoSuchWatched'/);
    await fails(['watch', 'WatchOne', 'NoSuchWatched'], /there is no service named 'NoSuchWatched'/);
    await fails(['watch'], /missing <service>/, 2);
    await fails(['watch', 'WatchOne', '--timeout', '0'], /--timeout must be a positive number/, 2);
    await fails(['watch', 'WatchOne', '--timeout', 'Infinity'], /--timeout must be a positive number/, 2);
  });
});
