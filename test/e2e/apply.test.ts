import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileService, examplesOut } from '../../build/services.ts';
import { host, prefixDir, regValue, sc, startHost } from './wine.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SERVICES_DIR = 'C:\\Apply\\services';
const KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';
const CHANGED = 3;

/** Writes `document` as C:\Apply\<name> and returns its Windows path. */
function stateFile(name: string, document: unknown): string {
  fs.writeFileSync(prefixDir('Apply', name), typeof document === 'string' ? document : JSON.stringify(document, null, 2));
  return `C:\\Apply\\${name}`;
}

async function apply(name: string, document: unknown, ...args: string[]) {
  return host(['apply', stateFile(name, document), ...args]);
}

async function exists(name: string): Promise<boolean> {
  return (await sc(['query', name])).code === 0;
}

/** Waits until an apply started at or after `since` (ms) holds the lock: it writes the time it took it into the lock file. */
async function lockTakenSince(since: number): Promise<void> {
  const lock = prefixDir('ProgramData', 'NodeService', 'apply.lock');
  const takenAt = () => {
    const match = fs.existsSync(lock) ? /since (\S+)/.exec(fs.readFileSync(lock, 'utf8')) : null;
    return match ? Date.parse(match[1]!) : 0;
  };
  for (let i = 0; i < 200 && takenAt() < since; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(takenAt()).toBeGreaterThanOrEqual(since);
}

const appA = {
  module: 'services\\smallest-service.js',
  displayName: 'Apply A',
  startup: 'auto',
  environment: { GREETING: 'hi' },
  logKeep: 3,
};
const appB = { module: 'services\\smallest-service.js', displayName: 'Apply B', dependencies: ['AppA'], arguments: ['--port', '1'] };

describe("apply and export: the host's services as a desired state", () => {
  beforeAll(async () => {
    const dir = prefixDir('Apply', 'services');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(examplesOut, 'smallest-service.js'), path.join(dir, 'smallest-service.js'));
    await compileService(path.join(fixtures, 'hanging-module.ts'), path.join(dir, 'hanging-module.mjs'));
    expect((await host(['/register', '--services-dir', SERVICES_DIR, '--force'])).code).toBe(0);
    // Another program's service, which apply must never take over.
    expect((await sc(['create', 'ApplyForeign', 'binPath=', 'C:\\windows\\system32\\notepad.exe'])).code).toBe(0);
  });

  afterAll(async () => {
    await apply('empty.json', { services: {} });
    await sc(['delete', 'ApplyForeign']);
    await host(['/unregister']);
  });

  it('refuses an invalid file with exit code 2 and the JSON path of each error, changing nothing', async () => {
    const result = await apply('bad.json', { services: { AppA: { ...appA, logKeep: -1 }, AppB: { ...appB, startup: 'sometimes' } } });
    expect(result.code, result.stdout).toBe(2);
    expect(result.stderr).toContain('$.services.AppA.logKeep: must be an integer from 0 to 1000');
    expect(result.stderr).toContain('$.services.AppB.startup: must be one of "manual", "auto", "delayed", "disabled"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const notJson = await apply('bad.json', '{"services": ');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/\$: is not JSON/);
    expect(await exists('AppA')).toBe(false);
  });

  it('--dry-run prints the plan and changes nothing; apply from empty creates every service (exit 3)', async () => {
    const dry = await apply('state.json', { services: { AppA: appA, AppB: appB } }, '--dry-run');
    expect(dry.code, dry.stderr).toBe(CHANGED);
    expect(dry.stdout).toContain('+ create AppA\n+ create AppB');
    expect(await exists('AppA')).toBe(false);

    const result = await apply('state.json', { services: { AppA: appA, AppB: appB } });
    expect(result.code, result.stderr).toBe(CHANGED);
    expect(result.stdout).toContain('+ create AppA\n+ create AppB\nApplied: 2 created, 0 updated, 0 removed.');
    expect(await regValue(`${KEY}\\AppA`, 'DisplayName')).toBe('Apply A');
    expect(await regValue(`${KEY}\\AppA`, 'Start')).toBe('0x2');
    expect(await regValue(`${KEY}\\AppA\\Parameters`, 'LogKeep')).toBe('0x3');
    expect(await regValue(`${KEY}\\AppA\\Parameters`, 'Module')).toBe(`${SERVICES_DIR}\\smallest-service.js`);
    expect(await regValue(`${KEY}\\AppB`, 'DependOnService')).toBe('AppA');
  });

  it('applying the same file again changes nothing and exits 0', async () => {
    const result = await apply('state.json', { services: { AppA: appA, AppB: appB } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('No changes: 2 service(s) as declared.');
  });

  it('a changed setting changes only that setting', async () => {
    const before = JSON.parse((await host(['export'])).stdout) as { services: Record<string, Record<string, unknown>> };
    const result = await apply('state.json', { services: { AppA: { ...appA, logKeep: 7 }, AppB: { ...appB, displayName: 'Apply B2' } } });
    expect(result.code, result.stderr).toBe(CHANGED);
    expect(result.stdout).toContain('~ update AppA\n    logKeep: 3 -> 7\n');
    expect(result.stdout).toContain('~ update AppB\n    displayName: "Apply B" -> "Apply B2"');
    const after = JSON.parse((await host(['export'])).stdout) as typeof before;
    expect(after.services.AppA).toEqual({ ...before.services.AppA, logKeep: 7 });
    // Wine 8's SCM forgets the dependencies on a config change it is not given them with: apply gives them.
    expect(after.services.AppB).toEqual({ ...before.services.AppB, displayName: 'Apply B2' });
    expect(await regValue(`${KEY}\\AppB`, 'DependOnService')).toBe('AppA');
    const again = await apply('state.json', { services: { AppA: { ...appA, logKeep: 7 }, AppB: { ...appB, displayName: 'Apply B2' } } });
    expect(again.code, again.stdout).toBe(0);
  });

  it('export → apply round-trips with no change', async () => {
    const exported = await host(['export', '--out', 'C:\\Apply\\export.json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('Wrote 2 service(s) to C:\\Apply\\export.json');
    const file = JSON.parse(fs.readFileSync(prefixDir('Apply', 'export.json'), 'utf8')) as {
      services: Record<string, Record<string, unknown>>;
    };
    expect(file.services.AppA).toMatchObject({
      module: `${SERVICES_DIR}\\smallest-service.js`,
      startup: 'auto',
      logKeep: 7,
      environment: { GREETING: 'hi' },
      sharedGroup: false,
    });
    const result = await host(['apply', 'C:\\Apply\\export.json']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('refuses a service another program runs, changing nothing', async () => {
    const result = await apply('foreign.json', {
      services: { AppA: { ...appA, logKeep: 7 }, ApplyForeign: { module: 'services\\smallest-service.js', displayName: 'X' } },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\$\.services\.ApplyForeign: a service named 'ApplyForeign' exists and is not this host's \(it runs C:\\windows\\system32\\notepad\.exe\)/,
    );
    expect(await regValue(`${KEY}\\ApplyForeign`, 'ImagePath')).toBe('C:\\windows\\system32\\notepad.exe');
    expect(await exists('AppB')).toBe(true);
  });

  it("a service left out of the file is removed; other programs' services are not", async () => {
    const result = await apply('state.json', { services: { AppA: { ...appA, logKeep: 7 } } });
    expect(result.code, result.stderr).toBe(CHANGED);
    expect(result.stdout).toContain('- remove AppB\nApplied: 0 created, 0 updated, 1 removed; 1 unchanged.');
    expect(await exists('AppB')).toBe(false);
    expect(await exists('AppA')).toBe(true);
    expect(await exists('ApplyForeign')).toBe(true);
  });

  it('secrets come from the environment at apply, never from the file', async () => {
    const withSecret = { services: { AppA: { ...appA, logKeep: 7, secretEnvironment: { TOKEN: 'APPLY_TEST_TOKEN' } } } };
    const missing = await apply('secret.json', withSecret);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('$.services.AppA.secretEnvironment.TOKEN: APPLY_TEST_TOKEN is not set');
    const result = await host(['apply', stateFile('secret.json', withSecret)], { env: { APPLY_TEST_TOKEN: 's3cret-value' } });
    expect(result.code, result.stderr).toBe(CHANGED);
    expect(result.stdout).toContain('secretEnvironment: {} -> {TOKEN}');
    expect(result.stdout + result.stderr).not.toContain('s3cret-value');
    expect(await regValue(`${KEY}\\AppA\\Parameters`, 'SecretNames')).toBe('TOKEN');
    expect((await host(['apply', 'C:\\Apply\\secret.json'])).code).toBe(0);
  });

  it('an apply that fails halfway says what it did and did not do, holds off a second apply meanwhile, and a re-run converges', async () => {
    const smallest = (displayName: string) => ({ module: 'services\\smallest-service.js', displayName });
    const broken = {
      services: {
        AppA: { ...appA, logKeep: 7 },
        Early: smallest('Early'),
        Hang: { module: 'services\\hanging-module.mjs', loadTimeout: 8 },
        Later: smallest('Later'),
      },
    };
    const startedAt = Date.now();
    const first = startHost(['apply', stateFile('broken.json', broken)]);
    await lockTakenSince(startedAt);
    const second = await apply('state.json', { services: {} });
    expect(second.code, second.stdout).toBe(1);
    expect(second.stderr).toContain('another "host.exe apply" is running on this machine');
    const result = await first.result;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('+ create Early');
    expect(result.stderr).toMatch(/failed at: create Hang: .*hanging-module\.mjs did not finish loading within 8000 ms/);
    expect(result.stderr).toContain(
      'state left: 1 step(s) done, the failed install removed what it had made, 1 step(s) not tried: create Later.',
    );
    expect(await exists('AppA')).toBe(true);
    expect(await exists('Early')).toBe(true);
    expect(await exists('Hang')).toBe(false);
    const fixed = await apply('fixed.json', {
      services: { AppA: { ...appA, logKeep: 7 }, Early: smallest('Early'), Later: smallest('Later') },
    });
    expect(fixed.code, fixed.stderr).toBe(CHANGED);
    expect(fixed.stdout).toContain('+ create Later\nApplied: 1 created, 0 updated, 0 removed; 2 unchanged.');
  });

  it('an apply killed halfway leaves no lock behind, and the next one converges', async () => {
    const smallest = (displayName: string) => ({ module: 'services\\smallest-service.js', displayName });
    const state = { services: { AppA: { ...appA, logKeep: 7 }, Early: smallest('Early'), Later: smallest('Later') } };
    const startedAt = Date.now();
    const killed = startHost([
      'apply',
      stateFile('killed.json', { services: { ...state.services, Hang: { module: 'services\\hanging-module.mjs', loadTimeout: 60 } } }),
    ]);
    await lockTakenSince(startedAt);
    killed.kill();
    await killed.result.catch(() => undefined);
    const next = await apply('state.json', state);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stdout.trim()).toBe('No changes: 3 service(s) as declared.');
    expect(await exists('Hang')).toBe(false);
  });

  it('a service name outside ASCII is applied, found again and exported', async () => {
    const state = {
      services: { AppA: { ...appA, logKeep: 7 }, 'Café-Ü 服务': { module: 'services\\smallest-service.js', displayName: 'Café Ü 服务' } },
    };
    const created = await apply('unicode.json', state);
    expect(created.code, created.stderr).toBe(CHANGED);
    expect(created.stdout).toContain('+ create Café-Ü 服务');
    expect(created.stdout).toContain('- remove Early');
    expect((await apply('unicode.json', state)).code).toBe(0);
    const exported = JSON.parse((await host(['export'])).stdout) as { services: Record<string, { displayName: string }> };
    expect(exported.services['Café-Ü 服务']?.displayName).toBe('Café Ü 服务');
  });
});
