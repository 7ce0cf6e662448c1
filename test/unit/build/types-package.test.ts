import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../../build/paths.ts';
import { nodeVersion } from '../../../build/sea.ts';
import { writeTypesPackage } from '../../../build/types.ts';

const GOOD_SERVICE = `
import { once } from 'node:events';
import { ServiceFramework, ServiceState, defineCounters, perf, queryStatus, type ServiceHooks } from 'nodeservice';

const counters = defineCounters({
  name: 'Echo',
  description: 'Echo counters',
  counters: { requests: { name: 'Requests/sec', description: 'Requests per second', type: 'ratePerSecond' } },
});

export default class Echo extends ServiceFramework<typeof counters> implements ServiceHooks {
  static override svcName = 'Echo';
  static override svcStopTimeout = 5000;
  static override svcCounters = counters;
  async svcDoRun(): Promise<void> {
    this.reportServiceStatus(ServiceState.RUNNING, { waitHint: 1000 });
    this.counters.requests.increment();
    const uptime: number = await perf.query('\\System\\System Up Time');
    console.log(uptime);
    const status = await queryStatus('Spooler');
    console.log(status.stateName, this.args.length);
    await once(this.stopSignal, 'abort');
  }
  svcPause(): void {}
}
`;

/** Type-checks `source` as a service author's project would: strict, nodenext, no skipLibCheck. */
function typeCheck(dir: string, source: string): string[] {
  const file = path.join(dir, 'service.mts');
  fs.writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    types: ['node'],
    noImplicitOverride: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const EVENTS_SERVICE = `
import { isDebugging, isService, ServiceExitCode, ServiceFramework, type DeviceEvent, type PowerEvent, type ServiceHooks, type ServiceTrigger, type SessionChangeEvent, type TimeChangeEvent } from 'nodeservice';

export default class Watcher extends ServiceFramework implements ServiceHooks {
  static override svcName = 'Watcher';
  static override svcDeviceInterfaces = ['{A5DCBF10-6530-11D2-901F-00C04FB951ED}'];
  static override svcTriggers: readonly ServiceTrigger[] = [{ action: 'start', type: 'networkAvailable' }, { action: 'start', type: 'firewallPortOpen', port: 8080, protocol: 'tcp' }];
  async svcDoRun(): Promise<ServiceExitCode | undefined> {
    const reasons: readonly string[] = this.startReason ?? [];
    console.log(isService(), isDebugging(), reasons.includes('trigger'));
    return isService() ? undefined : ServiceExitCode.win32(1231);
  }
  svcSessionChange(event: SessionChangeEvent): void {
    if (event.reason === 'session-lock') console.log(event.sessionId);
  }
  svcPowerEvent(event: PowerEvent): void {
    console.log(event.type, event.setting?.guid, event.setting?.value);
  }
  svcDeviceEvent(event: DeviceEvent): boolean {
    if (event.device?.deviceType === 'interface') console.log(event.device.classGuid, event.device.name);
    return event.type !== 'query-remove';
  }
  svcTimeChange(event: TimeChangeEvent): void {
    console.log(event.newTime.getTime() - event.oldTime.getTime());
  }
  svcParamChange(): void {}
  svcNetBindAdd(): void {}
}
`;

// A whole TypeScript program per test: seconds, more on a busy machine.
const TYPE_CHECK_TIMEOUT_MS = 60_000;

describe('the nodeservice types package', () => {
  let project: string;

  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeservice-author-'));
    writeTypesPackage('1.2.3', path.join(project, 'node_modules', 'nodeservice'));
    // A junction on Windows: a directory symbolic link needs a privilege there (ignored elsewhere).
    fs.symlinkSync(path.join(root, 'node_modules', '@types'), path.join(project, 'node_modules', '@types'), 'junction');
  }, TYPE_CHECK_TIMEOUT_MS);

  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it(
    'compiles a service in an author project with strict settings and no skipLibCheck',
    () => {
      expect(typeCheck(project, GOOD_SERVICE)).toEqual([]);
    },
    TYPE_CHECK_TIMEOUT_MS,
  );

  it(
    'catches an author mistake',
    () => {
      const broken = GOOD_SERVICE.replace('async svcDoRun', 'async svcDoRunn')
        .replace("svcName = 'Echo'", 'svcName = 42')
        .replace('counters.requests', 'counters.request');
      const errors = typeCheck(project, broken).join('\n');
      expect(errors).toMatch(/Non-abstract class 'Echo' does not implement inherited abstract member svcDoRun/);
      expect(errors).toMatch(/Type 'number' is not assignable to type 'string'/);
      expect(errors).toMatch(/Property 'request' does not exist on type 'Counters<"requests">'/);
    },
    TYPE_CHECK_TIMEOUT_MS,
  );

  it(
    'types the event methods, the run mode and exit codes, and catches their misuse',
    () => {
      expect(typeCheck(project, EVENTS_SERVICE)).toEqual([]);
      const broken = EVENTS_SERVICE.replace("event.reason === 'session-lock'", "event.reason === 'session-locked'")
        .replace('ServiceExitCode.win32(1231)', "({ win32: 'x' })")
        .replace("protocol: 'tcp'", "protocol: 'icmp'");
      const errors = typeCheck(project, broken).join('\n');
      expect(errors).toMatch(/'"session-locked"'.*no overlap/);
      expect(errors).toMatch(/'"icmp"' is not assignable/);
      expect(errors).toMatch(/Type 'string' is not assignable to type 'number'/);
    },
    TYPE_CHECK_TIMEOUT_MS,
  );

  it('names the package and explains itself when run outside host.exe', () => {
    const dir = path.join(project, 'node_modules', 'nodeservice');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      description: string;
    };
    expect(manifest).toMatchObject({ name: 'nodeservice', version: '1.2.3', nodeservice: { hostNode: nodeVersion } });
    expect(manifest.description).toContain(`Node.js ${nodeVersion}`);
    expect(() => require(path.join(dir, 'outside-host.cjs'))).toThrow(/runtime lives inside host\.exe.*host\.exe debug <module>/);
  });
});
