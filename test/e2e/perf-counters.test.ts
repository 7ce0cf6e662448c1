import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileService } from '../../build/services.ts';
import { parseXml, type XmlElement } from '../unit/xml.ts';
import { underWine } from '../platform.ts';
import { host, loggedEvents, net, prefixDir, reg, sc } from './wine.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\NodeService\\services';
const MODULE = `${SERVICES_DIR}\\counters-service.js`;
/** Wine's lodctr and unlodctr hand their command line to loadperf's stubs, which trace it. */
const LOADPERF_TRACE = '-all,fixme+loadperf';

/** Text as Wine's trace shows it inside L"…" (backslashes doubled). */
function traced(text: string): string {
  return text.replaceAll('\\', '\\\\');
}

/**
 * The command lines the trace shows for registering and unregistering the manifest. The manifest's
 * applicationIdentity is the strings DLL's file name; lodctr finds it in the folder given after the
 * manifest (the services folder, where both files are).
 */
const LODCTR = `lodctr.exe /m:${traced(`${SERVICES_DIR}\\counters-service.CountersTest.counters.man`)} ${traced(SERVICES_DIR)}"`;
const UNLODCTR = `unlodctr.exe /m:${traced(`${SERVICES_DIR}\\counters-service.CountersTest.counters.man`)}"`;

function servicesDir(...parts: string[]): string {
  return prefixDir('NodeService', 'services', ...parts);
}

function child(element: XmlElement, name: string): XmlElement {
  const found = element.children.find((candidate) => candidate.name === name);
  expect(found, `<${name}> in <${element.name}>`).toBeDefined();
  return found!;
}

describe('performance counters: a service publishes them', () => {
  beforeAll(async () => {
    expect((await host(['/register', '--services-dir', SERVICES_DIR])).code).toBe(0);
    await compileService(path.join(fixtures, 'counters-service.ts'), servicesDir('counters-service.js'));
  });

  afterAll(async () => {
    expect((await host(['/unregister'])).code).toBe(0);
  });

  let providerGuid = '';

  it('undoes the whole install when the manifest or the strings DLL cannot be written', async () => {
    for (const [blocked, what] of [
      ['counters-service.CountersTest.counters.man', 'manifest'],
      ['counters-service.CountersTest.counters.dll', 'strings DLL'],
    ] as const) {
      fs.mkdirSync(servicesDir(blocked));
      try {
        const result = await host(['install', MODULE]);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`could not write the performance counters ${what} ${SERVICES_DIR}\\${blocked}`);
        expect((await sc(['query', 'CountersTest'])).code).not.toBe(0);
        expect((await reg(['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\CountersTest'])).code).not.toBe(0);
      } finally {
        fs.rmdirSync(servicesDir(blocked));
      }
      expect(fs.readdirSync(servicesDir()).filter((file) => file.includes('.counters.'))).toEqual([]);
    }
  });

  it('install writes the manifest beside the module and runs lodctr /m: on it', async () => {
    const installed = await host(['install', MODULE], { wineDebug: LOADPERF_TRACE });
    expect(installed.code, installed.stderr).toBe(0);
    // Wine's lodctr passes its command line to LoadPerfCounterTextStringsW, a stub that keeps nothing.
    if (underWine) expect(installed.stderr).toContain(`LoadPerfCounterTextStringsW (L"${traced('C:\\windows\\System32\\')}${LODCTR}`);
    const manifest = parseXml(fs.readFileSync(servicesDir('counters-service.CountersTest.counters.man'), 'utf8'));
    const provider = child(child(child(manifest, 'instrumentation'), 'counters'), 'provider');
    expect(provider.attributes.applicationIdentity).toBe('counters-service.CountersTest.counters.dll');
    expect(fs.existsSync(servicesDir('counters-service.CountersTest.counters.dll'))).toBe(true);
    providerGuid = provider.attributes.providerGuid!;
    // Windows' lodctr /m: registers the provider where PDH finds it.
    if (!underWine)
      expect(
        (await reg(['query', `HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Perflib\\_V2Providers\\${providerGuid}`])).code,
      ).toBe(0);
    const counterSet = child(provider, 'counterSet');
    expect(counterSet.attributes).toMatchObject({ name: 'NodeService counters test', instances: 'multiple' });
    expect(counterSet.children.map((counter) => [counter.attributes.id, counter.attributes.name, counter.attributes.type])).toEqual([
      ['1', 'Connections/sec', 'perf_counter_counter'],
      ['2', 'Bytes received/sec', 'perf_counter_bulk_count'],
      ['3', 'Open connections', 'perf_counter_rawcount'],
      ['4', 'Avg. request time', 'perf_average_timer'],
      ['5', 'Avg. request time base', 'perf_average_base'],
      ['6', 'Cache hit ratio', 'perf_raw_fraction'],
      ['7', 'Cache hit ratio base', 'perf_raw_base'],
      ['8', 'Up time', 'perf_elapsed_time'],
    ]);
    // Each average and fraction names its base, the counter right after it.
    expect(counterSet.children.map((counter) => counter.attributes.baseID)).toEqual([
      undefined,
      undefined,
      undefined,
      '5',
      undefined,
      '7',
      undefined,
      undefined,
    ]);
  });

  it("the strings DLL gives every name and description of the manifest under CTRPP's ids (read with LoadStringW)", async () => {
    const result = await host(['perf', '--names', 'CountersTest']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'NodeService counters test: Counters of the end-to-end test service',
      '  Connections/sec: Clients served per second',
      '  Bytes received/sec: Bytes read from clients per second',
      '  Open connections: Clients connected now',
      '  Avg. request time: Seconds a request takes',
      '  Avg. request time base: Requests timed',
      '  Cache hit ratio: Lookups found in the cache',
      '  Cache hit ratio base: Lookups',
      '  Up time: Seconds since the service started',
      '',
    ]);
    // The same strings, in the manifest's document order: what the DLL holds is what the manifest declares.
    const counterSet = child(
      child(
        child(
          child(parseXml(fs.readFileSync(servicesDir('counters-service.CountersTest.counters.man'), 'utf8')), 'instrumentation'),
          'counters',
        ),
        'provider',
      ),
      'counterSet',
    );
    const json = await host(['perf', '--names', 'CountersTest', '--json']);
    const strings = ({ attributes }: XmlElement) => ({
      name: attributes.name,
      englishName: attributes.name,
      description: attributes.description,
    });
    expect(JSON.parse(json.stdout)).toEqual({ ...strings(counterSet), counters: counterSet.children.map(strings) });
  });

  it('perf --names says clearly when the service is not a NodeService service', async () => {
    const unknown = await host(['perf', '--names', 'NoSuchService']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("there is no NodeService service named 'NoSuchService'");
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    expect((await host(['perf', '--names'])).code).toBe(2);
  });

  it('the running service writes the counters of each instance into the memory the provider reads', async () => {
    expect((await net(['start', 'CountersTest'])).code).toBe(0);
    const logged = await vi.waitFor(
      () => {
        const entries = loggedEvents().filter((event) => event.source === 'CountersTest' && event.strings[0]?.startsWith('counters '));
        expect(entries).toHaveLength(4);
        return Object.fromEntries(
          entries
            .map((entry) => /^counters (\S+) (.*)$/.exec(entry.strings[0]!)!.slice(1, 3))
            .map(([name, json]) => [name!, JSON.parse(json!)]),
        );
      },
      { timeout: 20_000, interval: 200 },
    );
    const own = { connections: 3, bytesReceived: 2 ** 40 + 1234, open: 5 };
    const pipe = { connections: 1, bytesReceived: 0, open: 1 };
    // time(fn): an awaited 30 ms sleep and a throw, both counted, the throw passed on; QueryPerformanceCounter
    // ticks (Wine's frequency is 10 MHz: 30 ms is about 300 000); the fraction and the up-time stamp set.
    const { timed } = logged as { timed: Record<string, number | boolean> };
    delete logged.timed;
    expect(timed).toMatchObject({ requestTimeBase: 2, hitRatio: 3, hitRatioBase: 4, rethrown: true, same: true });
    expect(timed.requestTime).toBeGreaterThanOrEqual(250_000);
    expect(timed.upTime).toBeGreaterThan(0);
    // What the service wrote, beside what the provider's instances point at.
    expect(logged).toEqual({
      set: { published: true, providerGuid: providerGuid.slice(1, -1).toLowerCase() },
      own: [own, own],
      'pipe-a': [pipe, pipe],
    });
    if (!underWine) {
      // Windows' PDH reads what the service published (Wine's lodctr and PDH know no such counter set).
      const path = '\\NodeService counters test(CountersTest)\\Open connections';
      const read = await host(['perf', path, '--count', '1', '--json']);
      expect(read.code, read.stderr).toBe(0);
      expect(JSON.parse(read.stdout.trim())).toEqual({ [path]: own.open });
    }
    expect((await net(['stop', 'CountersTest'])).code).toBe(0);
  });

  it('update --module registers the manifest again: unlodctr, then lodctr', async () => {
    const updated = await host(['update', 'CountersTest', '--module', MODULE], { wineDebug: LOADPERF_TRACE });
    expect(updated.code, updated.stderr).toBe(0);
    if (underWine) {
      const unload = updated.stderr.indexOf(UNLODCTR);
      const load = updated.stderr.indexOf(LODCTR);
      expect(unload, updated.stderr).toBeGreaterThanOrEqual(0);
      expect(load).toBeGreaterThan(unload);
    }
    expect(fs.existsSync(servicesDir('counters-service.CountersTest.counters.man'))).toBe(true);
    expect(fs.existsSync(servicesDir('counters-service.CountersTest.counters.dll'))).toBe(true);
  });

  it('gives the same module installed under another name its own manifest and GUIDs', async () => {
    expect((await host(['install', MODULE, '--name', 'CountersTest2'])).code).toBe(0);
    const other = parseXml(fs.readFileSync(servicesDir('counters-service.CountersTest2.counters.man'), 'utf8'));
    expect(child(child(child(other, 'instrumentation'), 'counters'), 'provider').attributes.providerGuid).not.toBe(providerGuid);
    expect((await host(['remove', 'CountersTest2'])).code).toBe(0);
    expect(fs.existsSync(servicesDir('counters-service.CountersTest2.counters.man'))).toBe(false);
    expect(fs.existsSync(servicesDir('counters-service.CountersTest2.counters.dll'))).toBe(false);
    expect(fs.existsSync(servicesDir('counters-service.CountersTest.counters.man'))).toBe(true);
    expect(fs.existsSync(servicesDir('counters-service.CountersTest.counters.dll'))).toBe(true);
  });

  it('remove runs unlodctr /m: and deletes the manifest and the strings DLL', async () => {
    const removed = await host(['remove', 'CountersTest'], { wineDebug: LOADPERF_TRACE });
    expect(removed.code, removed.stderr).toBe(0);
    if (underWine) expect(removed.stderr).toContain(`UnloadPerfCounterTextStringsW (L"${traced('C:\\windows\\System32\\')}${UNLODCTR}`);
    expect(fs.existsSync(servicesDir('counters-service.CountersTest.counters.man'))).toBe(false);
    expect(fs.existsSync(servicesDir('counters-service.CountersTest.counters.dll'))).toBe(false);
  });
});

describe('performance counters: host.exe perf reads them through PDH', () => {
  it('reads System Up Time (under Wine, the Linux uptime)', async () => {
    const result = await host(['perf', '\\System\\System Up Time']);
    expect(result.code, result.stderr).toBe(0);
    const match = /^\\System\\System Up Time = (\d+(?:\.\d+)?)\n$/.exec(result.stdout);
    expect(match, result.stdout).not.toBeNull();
    const uptime = os.uptime();
    expect(Math.abs(Number(match![1]) - uptime)).toBeLessThan(10);
  });

  it('samples processor time as a percentage, as JSON', async () => {
    const result = await host(['perf', '\\Processor(_Total)\\% Processor Time', '--interval', '200', '--count', '2', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number>);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const value = line['\\Processor(_Total)\\% Processor Time']!;
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
  });

  it('says clearly which counter does not exist', async () => {
    const result = await host(['perf', '\\System\\System Up Time', '\\NoSuchObject\\No Such Counter', '--count', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'no counter \\NoSuchObject\\No Such Counter: the counter is not on this machine (PDH_CSTATUS_NO_COUNTER)',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('lists objects and counters on Windows; says that Wine cannot, rather than crashing', async () => {
    if (!underWine) {
      const objects = await host(['perf', '--list']);
      expect(objects.code, objects.stderr).toBe(0);
      expect(objects.stdout).toMatch(/^Processor$/m);
      const counters = await host(['perf', '--list', 'Processor']);
      expect(counters.code, counters.stderr).toBe(0);
      expect(counters.stdout).toContain('% Processor Time');
      return;
    }
    const objects = await host(['perf', '--list']);
    expect(objects.code).toBe(1);
    expect(objects.stderr).toContain('PdhEnumObjectsW: not implemented on this system (PDH_NOT_IMPLEMENTED)');
    const counters = await host(['perf', '--list', 'Processor']);
    expect(counters.code).toBe(1);
    expect(counters.stderr).toContain('PdhEnumObjectItemsW: not implemented on this system (PDH_NOT_IMPLEMENTED)');
  });

  it('wildcard paths: expanded on Windows; Wine cannot (PdhExpandWildCardPathW is a stub) and says so', async () => {
    const expanded = await host(['perf', '--expand', '\\Process(*)\\% Processor Time']);
    const sampled = await host(['perf', '\\Process(*)\\% Processor Time', '--count', '1', '--interval', '200', '--json']);
    if (underWine) {
      for (const result of [expanded, sampled]) {
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(
          'cannot expand \\Process(*)\\% Processor Time: not implemented on this system (PDH_NOT_IMPLEMENTED)',
        );
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
    } else {
      expect(expanded.code, expanded.stderr).toBe(0);
      const paths = expanded.stdout.trimEnd().split('\n');
      expect(paths.length).toBeGreaterThan(1);
      for (const line of paths) expect(line).toMatch(/^\\Process\(.+\)\\% Processor Time$/);
      expect(sampled.code, sampled.stderr).toBe(0);
      expect(Object.keys(JSON.parse(sampled.stdout) as object).length).toBeGreaterThan(1);
    }
    // A path without a wildcard stands for itself.
    expect((await host(['perf', '--expand', '\\System\\System Up Time'])).stdout).toBe('\\System\\System Up Time\n');
    // A malformed wildcard path is refused before PDH sees it.
    const malformed = await host(['perf', '\\Process(*\\% Processor Time']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('is not a counter path: the instance has "(" but does not end with ")"');
  });

  it("parses paths in TS and builds them back with PdhMakeCounterPathW (Wine's adds #0)", async () => {
    const parsed = await host([
      'perf',
      '--parse',
      '\\Thread(explorer/0#1)\\% Processor Time',
      '\\Processor(_Total)\\% Processor Time',
      '\\\\Server1\\Processus(服务)\\% temps processeur',
      '--json',
    ]);
    expect(parsed.code, parsed.stderr).toBe(0);
    expect(
      parsed.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      {
        path: '\\Thread(explorer/0#1)\\% Processor Time',
        object: 'Thread',
        parent: 'explorer',
        instance: '0',
        index: 1,
        counter: '% Processor Time',
        pdhPath: '\\Thread(explorer/0#1)\\% Processor Time',
      },
      {
        path: '\\Processor(_Total)\\% Processor Time',
        object: 'Processor',
        instance: '_Total',
        counter: '% Processor Time',
        // Windows leaves index 0 out; Wine (8 and 10) writes "#%u" for every instance.
        pdhPath: underWine ? '\\Processor(_Total#0)\\% Processor Time' : '\\Processor(_Total)\\% Processor Time',
      },
      {
        path: '\\\\Server1\\Processus(服务)\\% temps processeur',
        machine: 'Server1',
        object: 'Processus',
        instance: '服务',
        counter: '% temps processeur',
        pdhPath: underWine ? '\\\\Server1\\Processus(服务#0)\\% temps processeur' : '\\\\Server1\\Processus(服务)\\% temps processeur',
      },
    ]);
    const text = await host(['perf', '--parse', '\\System\\System Up Time']);
    expect(text.stdout).toBe(
      [
        '\\System\\System Up Time',
        '  object: System',
        '  counter: System Up Time',
        '  PdhMakeCounterPathW: \\System\\System Up Time',
        '',
      ].join('\n'),
    );
    const bad = await host(['perf', '--parse', 'Processor\\% Processor Time']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a counter path: it must start with "\\"');
    const huge = await host(['perf', '--parse', `\\Process(${'x'.repeat(3000)})\\Counter`]);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('it is longer than 2048 characters');
  });

  it('refuses bad options with a usage error', async () => {
    expect((await host(['perf'])).code).toBe(2);
    expect((await host(['perf', '--parse'])).code).toBe(2);
    expect((await host(['perf', '--expand'])).code).toBe(2);
    expect((await host(['perf', '\\System\\System Up Time', '--count', 'lots'])).code).toBe(2);
  });
});
