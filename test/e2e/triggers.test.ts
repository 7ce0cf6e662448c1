import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileService } from '../../build/services.ts';
import { host, prefixDir, reg, regValue, sc } from './wine.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\NodeService\\services';
const MODULE = `${SERVICES_DIR}\\triggered-service.js`;
const SERVICES_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';
const DISK = '53f56307-b6bf-11d0-94f2-00a0c91efb8b';
const PROVIDER = '0063715b-eeda-4007-9429-ad526f62696e';

async function ok(args: string[]): Promise<string> {
  const result = await host(args);
  expect(result.code, `host ${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout;
}

async function statusJson(name: string): Promise<{ config: { triggers: unknown[] } }> {
  return JSON.parse(await ok(['status', name, '--json'])) as { config: { triggers: unknown[] } };
}

async function triggerLines(name: string): Promise<string[]> {
  return (await ok(['status', name])).split(/\r?\n/).filter((line) => line.startsWith('  Trigger:'));
}

/** Whether `sc query` knows the service. */
async function scKnows(name: string): Promise<boolean> {
  const result = await sc(['query', name]);
  return result.code === 0 && result.stdout.includes(`SERVICE_NAME: ${name}`);
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
    expect((await statusJson('TriggeredService')).config.triggers).toEqual([
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
    await ok(['install', MODULE, '--name', 'TrigCli', '--display-name', 'Trigger CLI test', '--trigger', 'start:port=tcp/8080', '--trigger', 'stop:domain-leave']);
    expect(await triggerLines('TrigCli')).toEqual(['  Trigger: start:port=tcp/8080', '  Trigger: stop:domain-leave']);
    expect(await regValue(`${SERVICES_KEY}\\TrigCli\\TriggerInfo\\0`, 'Data0')).toBe(Buffer.from('8080\0TCP\0\0', 'utf16le').toString('hex').toUpperCase());

    await ok(['update', 'TrigCli', '--trigger', `start:etw={${PROVIDER}},ready`]);
    expect(await triggerLines('TrigCli')).toEqual([`  Trigger: start:etw={${PROVIDER}},ready`]);
    expect(await triggerKeys('TrigCli')).toEqual(['0']);

    // An update that names no trigger leaves them, also one that makes Wine's SCM rewrite the service's entry.
    await ok(['update', 'TrigCli', '--description', 'still triggered', '--startup', 'auto', '--display-name', 'Trigger CLI test, renamed']);
    expect((await statusJson('TrigCli')).config.triggers).toEqual([{ action: 'start', type: 'custom', provider: PROVIDER, data: [{ type: 'string', value: 'ready' }] }]);

    await ok(['update', 'TrigCli', '--clear-triggers']);
    expect(await triggerLines('TrigCli')).toEqual([]);
    expect((await statusJson('TrigCli')).config.triggers).toEqual([]);
    expect(await triggerKeys('TrigCli')).toBeUndefined();
    // Clearing what is already clear is not an error.
    await ok(['update', 'TrigCli', '--clear-triggers']);
  });

  it('refuses a bad --trigger with exit code 2 and one line naming it, before anything is installed or changed', async () => {
    const cases: [string, RegExp][] = [
      ['start:port=tcp/99999', /--trigger 'start:port=tcp\/99999': the port is PROTOCOL\/PORT/],
      ['start:device={53f56307-b6bf-11d0-94f2-00a0c91efb8}', /--trigger 'start:device=\{53f56307-b6bf-11d0-94f2-00a0c91efb8\}': the device interface class must be a GUID/],
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
