import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as ResEdit from 'resedit';
import {
  countersDllPath,
  countersManifestPath,
  planCounters,
  registerCounters,
  unregisterCounters,
  type ToolRunner,
} from '../../../installer/counters.ts';
import { defineCounters } from '../../../runtime/perf/counter-set.ts';
import type { ServiceClass } from '../../../runtime/service/framework.ts';

const serviceClass = {
  svcName: 'Svc',
  svcCounters: defineCounters({
    name: 'Svc set',
    description: 'What Svc counts',
    counters: {
      hits: { name: 'Hits/sec', description: 'Requests served per second', type: 'ratePerSecond' },
      open: { name: 'Open', description: '', type: 'count' },
    },
  }),
} as unknown as ServiceClass;

/** The English (0x409) string table of a DLL, its only resources, read back with resedit: id → text. */
function stringTable(dll: string): Record<number, string> {
  const resources = ResEdit.NtExecutableResource.from(ResEdit.NtExecutable.from(fs.readFileSync(dll), { ignoreCert: true }));
  expect(new Set(resources.entries.map((entry) => `${String(entry.type)}/${entry.lang}`))).toEqual(new Set(['6/1033']));
  return Object.fromEntries(
    ResEdit.Resource.StringTable.fromEntries(0x409, resources.entries)
      .getAllStrings()
      .map(({ id, text }) => [id, text]),
  );
}

describe("install's counter registration", () => {
  let dir: string;
  let modulePath: string;
  const calls: string[][] = [];
  const recorder: ToolRunner = (tool, args) => void calls.push([tool, ...args]);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-counters-'));
    modulePath = path.join(dir, 'svc.js');
    calls.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('plans nothing for a service without counters', () => {
    expect(planCounters({ svcName: 'Plain' } as unknown as ServiceClass, 'Plain', modulePath)).toBeUndefined();
  });

  it('writes <module>.<service>.counters.man and .dll and runs lodctr /m: with their folder; unregistering runs unlodctr and deletes both', () => {
    const plan = planCounters(serviceClass, 'Svc', modulePath)!;
    expect(plan.manifest).toBe(path.join(dir, 'svc.Svc.counters.man'));
    expect(plan.dll).toBe(countersDllPath(modulePath, 'Svc'));
    expect(plan.dll).toBe(path.join(dir, 'svc.Svc.counters.dll'));
    expect(plan.xml).toContain('applicationIdentity="svc.Svc.counters.dll"');
    registerCounters(plan, recorder);
    expect(fs.readFileSync(countersManifestPath(modulePath, 'Svc'), 'utf8')).toBe(plan.xml);
    // CTRPP's ids: the set, then each counter, four ids apart (name, {Locked} name, description); an empty description is no string.
    expect(stringTable(plan.dll)).toEqual({
      1: 'Svc set',
      2: 'Svc set',
      3: 'What Svc counts',
      5: 'Hits/sec',
      6: 'Hits/sec',
      7: 'Requests served per second',
      9: 'Open',
      10: 'Open',
    });
    unregisterCounters(modulePath, 'Other', recorder);
    expect(calls).toHaveLength(1);
    unregisterCounters(modulePath, 'Svc', recorder);
    expect(calls).toEqual([
      ['lodctr', `/m:${plan.manifest}`, dir],
      ['unlodctr', `/m:${plan.manifest}`],
    ]);
    expect(fs.existsSync(plan.manifest)).toBe(false);
    expect(fs.existsSync(plan.dll)).toBe(false);
    unregisterCounters(modulePath, 'Svc', recorder);
    expect(calls).toHaveLength(2);
  });

  it('gives each service of a module its own manifest, with a valid file name', () => {
    expect(countersManifestPath(modulePath, 'Orders EU')).toBe(path.join(dir, 'svc.Orders EU.counters.man'));
    expect(countersManifestPath(modulePath, 'a:b*c')).toBe(path.join(dir, 'svc.a_b_c.counters.man'));
  });

  it('leaves no manifest or DLL behind when lodctr fails, and says so', () => {
    const plan = planCounters(serviceClass, 'Svc', modulePath)!;
    const failing: ToolRunner = () => {
      throw new Error('lodctr /m:x failed with exit code 87');
    };
    expect(() => registerCounters(plan, failing)).toThrow(
      'registering the performance counters failed: lodctr /m:x failed with exit code 87',
    );
    expect(fs.existsSync(plan.manifest)).toBe(false);
    expect(fs.existsSync(plan.dll)).toBe(false);
  });

  it('leaves no manifest behind when the DLL cannot be written', () => {
    const plan = planCounters(serviceClass, 'Svc', modulePath)!;
    fs.mkdirSync(plan.dll);
    expect(() => registerCounters(plan, recorder)).toThrow(`could not write the performance counters strings DLL ${plan.dll}`);
    expect(fs.existsSync(plan.manifest)).toBe(false);
    expect(calls).toEqual([]);
  });
});
