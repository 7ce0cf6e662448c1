import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { crashingModule, PROOF_VALUE, proofCounterSet, proofLogText, provingModule } from '../../../../host/doctor/selftest-proofs.ts';

/** Runs a selftest module's text as CommonJS with a fake `nodeservice`, and returns its export. */
function load(text: string, fakes: Record<string, unknown>): unknown {
  const module = { exports: {} as unknown };
  const require = (name: string) => {
    if (name in fakes) return fakes[name];
    throw new Error(`unexpected require('${name}')`);
  };
  vm.runInNewContext(text, { module, require });
  return module.exports;
}

describe('the selftest services', () => {
  it('the proving service declares the counter set doctor reads, sets it and logs the entry doctor looks for', async () => {
    const declared: unknown[] = [];
    const logged: string[] = [];
    class ServiceFramework {
      counters = { proof: { set: (value: number) => logged.push(`set ${value}`) } };
      stopSignal = new EventTarget();
    }
    const exported = load(provingModule('0a1b2c3d'), {
      'node:events': { once: () => Promise.resolve() },
      nodeservice: {
        ServiceFramework,
        defineCounters: (spec: unknown) => {
          declared.push(spec);
          return spec;
        },
        logInfoMsg: (text: string) => logged.push(text),
      },
    }) as { svcCounters: unknown; new (): { svcDoRun(): Promise<void> } };
    expect(declared).toEqual([
      {
        name: proofCounterSet('0a1b2c3d'),
        description: expect.any(String),
        counters: { proof: { name: 'Proof', description: expect.any(String), type: 'count' } },
      },
    ]);
    expect(exported.svcCounters).toBe(declared[0]);
    await new exported().svcDoRun();
    expect(logged).toEqual([`set ${PROOF_VALUE}`, proofLogText('0a1b2c3d')]);
  });

  it('the crashing service throws on its first run only, leaving its marker', async () => {
    const files = new Set<string>();
    class ServiceFramework {
      stopSignal = new EventTarget();
    }
    const fakes = {
      'node:fs': { existsSync: (file: string) => files.has(file), writeFileSync: (file: string) => files.add(file) },
      'node:events': { once: () => Promise.resolve() },
      nodeservice: { ServiceFramework },
    };
    const Crash = load(crashingModule('C:\\svc\\crashed "once".txt'), fakes) as new () => { svcDoRun(): Promise<void> };
    await expect(new Crash().svcDoRun()).rejects.toThrow('the selftest crash');
    expect([...files]).toEqual(['C:\\svc\\crashed "once".txt']);
    await expect(new Crash().svcDoRun()).resolves.toBeUndefined();
  });
});
