import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countersManifestPath, planCounters, registerCounters, unregisterCounters, type ToolRunner } from '../../installer/counters.ts';
import { defineCounters } from '../../runtime/perf/counter-set.ts';
import type { ServiceClass } from '../../runtime/service/framework.ts';

const serviceClass = {
  svcName: 'Svc',
  svcCounters: defineCounters({ name: 'Svc', description: 'd', counters: { hits: { name: 'Hits/sec', description: 'd', type: 'ratePerSecond' } } }),
} as unknown as ServiceClass;

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
    expect(planCounters({ svcName: 'Plain' } as unknown as ServiceClass, 'Plain', modulePath, 'C:\\NodeService\\host.exe')).toBeUndefined();
  });

  it('writes <module>.<service>.counters.man and runs lodctr /m: with the host folder; unregistering runs unlodctr and deletes it', () => {
    const plan = planCounters(serviceClass, 'Svc', modulePath, 'C:\\Node Service\\host.exe')!;
    expect(plan.manifest).toBe(path.join(dir, 'svc.Svc.counters.man'));
    expect(plan.xml).toContain('applicationIdentity="host.exe"');
    registerCounters(plan, recorder);
    expect(fs.readFileSync(countersManifestPath(modulePath, 'Svc'), 'utf8')).toBe(plan.xml);
    unregisterCounters(modulePath, 'Other', recorder);
    expect(calls).toHaveLength(1);
    unregisterCounters(modulePath, 'Svc', recorder);
    expect(calls).toEqual([
      ['lodctr', `/m:${plan.manifest}`, 'C:\\Node Service'],
      ['unlodctr', `/m:${plan.manifest}`],
    ]);
    expect(fs.existsSync(plan.manifest)).toBe(false);
    unregisterCounters(modulePath, 'Svc', recorder);
    expect(calls).toHaveLength(2);
  });

  it('gives each service of a module its own manifest, with a valid file name', () => {
    expect(countersManifestPath(modulePath, 'Orders EU')).toBe(path.join(dir, 'svc.Orders EU.counters.man'));
    expect(countersManifestPath(modulePath, 'a:b*c')).toBe(path.join(dir, 'svc.a_b_c.counters.man'));
  });

  it('leaves no manifest behind when lodctr fails, and says so', () => {
    const plan = planCounters(serviceClass, 'Svc', modulePath, 'C:\\NodeService\\host.exe')!;
    const failing: ToolRunner = () => {
      throw new Error('lodctr /m:x failed with exit code 87');
    };
    expect(() => registerCounters(plan, failing)).toThrow('registering the performance counters failed: lodctr /m:x failed with exit code 87');
    expect(fs.existsSync(plan.manifest)).toBe(false);
  });
});
