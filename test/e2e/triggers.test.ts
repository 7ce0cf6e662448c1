import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileService } from '../../build/services.ts';
import { decodeTriggerInfo, encodeTriggerInfo } from '../../runtime/control/trigger-info.ts';
import { toRawTriggers } from '../../runtime/control/triggers.ts';
import { host, prefixDir, reg, regValue, runWindowsProgram, windowsPath } from './wine.ts';
import { ok, scKnows, statusJson } from './helpers.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\NodeService\\services';
const MODULE = `${SERVICES_DIR}\\triggered-service.js`;
const SERVICES_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';
const DISK = '53f56307-b6bf-11d0-94f2-00a0c91efb8b';
/** What this file reads of `status --json`. */
interface Triggered {
  config: { triggers: unknown[] };
}

const PROVIDER = '0063715b-eeda-4007-9429-ad526f62696e';

async function triggerLines(name: string): Promise<string[]> {
  return (await ok(['status', name])).split(/\r?\n/).filter((line) => line.startsWith('  Trigger:'));
}

/** The subkeys of a service's TriggerInfo key, or undefined when it has none. */
async function triggerKeys(name: string): Promise<string[] | undefined> {
  const result = await reg(['query', `${SERVICES_KEY}\\${name}\\TriggerInfo`]);
  if (result.code !== 0) return undefined;
  return [...result.stdout.matchAll(/\\TriggerInfo\\(\d+)\s*$/gm)].map((match) => match[1]!);
}

describe('service triggers', () => {
  beforeAll(async () => {
    const dir = prefixDir('NodeService', 'services');
    fs.mkdirSync(dir, { recursive: true });
    await compileService(path.join(fixtures, 'triggered-service.ts'), path.join(dir, 'triggered-service.js'));
    await compileService(path.join(fixtures, 'bad-triggers-service.ts'), path.join(dir, 'bad-triggers-service.js'));
    await ok(['/register', '--services-dir', SERVICES_DIR, '--force']);
  });

  afterAll(async () => {
    for (const name of ['TriggeredService', 'TrigCli']) await host(['remove', name]);
    await host(['/unregister']);
  });

  it("install sets the class's static svcTriggers; status shows them, and they are where Windows keeps them", async () => {
    await ok(['install', MODULE]);
    expect(await triggerLines('TriggeredService')).toEqual([
      '  Trigger: start:network',
      '  Trigger: stop:network-lost',
      `  Trigger: start:device={${DISK}},USBSTOR\\GenDisk`,
    ]);
    expect((await statusJson<Triggered>('TriggeredService')).config.triggers).toEqual([
      { action: 'start', type: 'networkAvailable' },
      { action: 'stop', type: 'networkLost' },
      { action: 'start', type: 'deviceInterfaceArrival', interfaceClass: DISK, hardwareIds: ['USBSTOR\\GenDisk'] },
    ]);
    // Wine 8's SCM refuses SERVICE_CONFIG_TRIGGER_INFO: the triggers are in its database, as Windows has them.
    expect(await triggerKeys('TriggeredService')).toEqual(['0', '1', '2']);
    const first = `${SERVICES_KEY}\\TriggeredService\\TriggerInfo\\0`;
    expect(await regValue(first, 'Type')).toBe('0x2');
    expect(await regValue(first, 'Action')).toBe('0x1');
    expect(await regValue(first, 'GUID')).toBe('DEF2274FE2140B43A5497CD48CBC8245');
    const device = `${SERVICES_KEY}\\TriggeredService\\TriggerInfo\\2`;
    expect(await regValue(device, 'Type')).toBe('0x1');
    expect(await regValue(device, 'DataType0')).toBe('0x2');
    expect(await regValue(device, 'Data0')).toBe(Buffer.from('USBSTOR\\GenDisk\0', 'utf16le').toString('hex').toUpperCase());
    // A service with triggers still starts and stops on demand.
    await ok(['start', 'TriggeredService']);
    await ok(['stop', 'TriggeredService']);
  });

  it('install --trigger replaces the class triggers; update --trigger replaces them again; --clear-triggers removes them', async () => {
    await ok([
      'install',
      MODULE,
      '--name',
      'TrigCli',
      '--display-name',
      'Trigger CLI test',
      '--trigger',
      'start:port=tcp/8080',
      '--trigger',
      'stop:domain-leave',
    ]);
    expect(await triggerLines('TrigCli')).toEqual(['  Trigger: start:port=tcp/8080', '  Trigger: stop:domain-leave']);
    expect(await regValue(`${SERVICES_KEY}\\TrigCli\\TriggerInfo\\0`, 'Data0')).toBe(
      Buffer.from('8080\0TCP\0\0', 'utf16le').toString('hex').toUpperCase(),
    );

    await ok(['update', 'TrigCli', '--trigger', `start:etw={${PROVIDER}},ready`]);
    expect(await triggerLines('TrigCli')).toEqual([`  Trigger: start:etw={${PROVIDER}},ready`]);
    expect(await triggerKeys('TrigCli')).toEqual(['0']);

    // An update that names no trigger leaves them, also one that makes Wine's SCM rewrite the service's entry.
    await ok(['update', 'TrigCli', '--description', 'still triggered', '--startup', 'auto', '--display-name', 'Trigger CLI test, renamed']);
    expect((await statusJson<Triggered>('TrigCli')).config.triggers).toEqual([
      { action: 'start', type: 'custom', provider: PROVIDER, data: [{ type: 'string', value: 'ready' }] },
    ]);

    await ok(['update', 'TrigCli', '--clear-triggers']);
    expect(await triggerLines('TrigCli')).toEqual([]);
    expect((await statusJson<Triggered>('TrigCli')).config.triggers).toEqual([]);
    expect(await triggerKeys('TrigCli')).toBeUndefined();
    // Clearing what is already clear is not an error.
    await ok(['update', 'TrigCli', '--clear-triggers']);
  });

  it('refuses a bad --trigger with exit code 2 and one line naming it, before anything is installed or changed', async () => {
    const cases: [string, RegExp][] = [
      ['start:port=tcp/99999', /--trigger 'start:port=tcp\/99999': the port is PROTOCOL\/PORT/],
      [
        'start:device={53f56307-b6bf-11d0-94f2-00a0c91efb8}',
        /--trigger 'start:device=\{53f56307-b6bf-11d0-94f2-00a0c91efb8\}': the device interface class must be a GUID/,
      ],
      ['start:wifi', /--trigger 'start:wifi': no event is called 'wifi'/],
      ['reboot:network', /the action is start or stop/],
    ];
    for (const [spec, message] of cases) {
      const result = await host(['install', MODULE, '--name', 'TrigBad', '--display-name', 'Trigger refused', '--trigger', spec]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.split(/\r?\n/)[0]).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await scKnows('TrigBad')).toBe(false);

    await ok(['update', 'TrigCli', '--trigger', 'start:user-policy']);
    const refused = await host(['update', 'TrigCli', '--trigger', 'start:network', '--trigger', 'stop:port-closed=udp/0']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/--trigger 'stop:port-closed=udp\/0'/);
    expect(await triggerLines('TrigCli')).toEqual(['  Trigger: start:user-policy']);
    const both = await host(['update', 'TrigCli', '--trigger', 'start:network', '--clear-triggers']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--clear-triggers and --trigger contradict each other/);
  });

  it('refuses a class whose svcTriggers are wrong, naming the class and the field, and installs nothing', async () => {
    const result = await host(['install', `${SERVICES_DIR}\\bad-triggers-service.js`]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/static svcTriggers of BadTriggersService\[0\]\.port must be 1–65535 or 'RPC' \(not 70000\)/);
    expect(await scKnows('BadTriggersService')).toBe(false);
  });

  it('remove takes the triggers with the service', async () => {
    await ok(['update', 'TrigCli', '--trigger', 'start:network']);
    expect(await triggerKeys('TrigCli')).toEqual(['0']);
    await ok(['remove', 'TrigCli']);
    expect(await scKnows('TrigCli')).toBe(false);
    expect(await triggerKeys('TrigCli')).toBeUndefined();
  });
});

describe('SERVICE_TRIGGER_INFO as a C compiler lays it out for x64 (fixtures/trigger-layout.c)', () => {
  const exe = () => prefixDir('trigger-layout', 'trigger-layout.exe');
  /** Where the C program puts the block (VirtualAlloc at a fixed address), so the pointers in it can be absolute. */
  const BASE = 0x3_0000_0000n;

  beforeAll(() => {
    fs.mkdirSync(path.dirname(exe()), { recursive: true });
    const built = spawnSync('x86_64-w64-mingw32-gcc', ['-O2', '-Wall', '-o', exe(), path.join(fixtures, 'trigger-layout.c')], {
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
  });

  it('reads the block the encoder lays out as the structs say', async () => {
    const raw = toRawTriggers([
      { action: 'start', type: 'networkAvailable' },
      {
        action: 'stop',
        type: 'custom',
        provider: PROVIDER,
        data: [
          { type: 'binary', value: '010203' },
          { type: 'level', value: 4 },
          { type: 'keywordAll', value: '0x8000000000000010' },
        ],
      },
      { action: 'start', type: 'firewallPortOpen', port: 8080, protocol: 'tcp' },
    ]);
    const file = prefixDir('trigger-layout', 'block.bin');
    fs.writeFileSync(file, encodeTriggerInfo(raw, BASE));
    const result = await runWindowsProgram(exe(), ['read', windowsPath(file)]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.trim().split(/\r?\n/)).toEqual([
      'sizes 24 32 16',
      'count 3 reserved 1',
      'trigger 0 type 2 action 1 guid 4f27f2de-14e2-430b-a549-7cd48cbc8245 items 0',
      `trigger 1 type 20 action 2 guid ${PROVIDER} items 3`,
      'item 1 0 type 1 size 3 hex 010203',
      'item 1 1 type 3 size 1 hex 04',
      'item 1 2 type 5 size 8 hex 1000000000000080',
      'trigger 2 type 4 action 1 guid b7569e07-8421-4ee0-ad10-86915afdad09 items 1',
      `item 2 0 type 2 size 20 hex ${Buffer.from('8080\0TCP\0\0', 'utf16le').toString('hex')}`,
    ]);
  });

  it('decodes a block built with the structs', async () => {
    const result = await runWindowsProgram(exe(), ['write']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const base = BigInt(`0x${/^base ([0-9a-f]+)/m.exec(result.stdout)![1]}`);
    const block = Buffer.from(/^hex ([0-9a-f]+)/m.exec(result.stdout)![1]!, 'hex');
    expect(base).toBe(BASE);
    expect(decodeTriggerInfo(block, base)).toEqual([
      { type: 2, action: 1, subtype: '4f27f2de-14e2-430b-a549-7cd48cbc8245', data: [] },
      {
        type: 20,
        action: 2,
        subtype: PROVIDER,
        data: [
          { type: 1, bytes: Uint8Array.of(1, 2, 3) },
          { type: 2, bytes: new Uint8Array(Buffer.from('a\0b\0\0', 'utf16le')) },
        ],
      },
    ]);
  });
});
