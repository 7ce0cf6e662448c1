import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentState, sharedGroupOf } from '../../../../host/apply/current-state.ts';
import { parseApplyFile, type DesiredEntry } from '../../../../host/apply/desired-state.ts';
import { toApplyFile } from '../../../../host/apply/export-state.ts';
import { computePlan, describeStep, type CurrentService } from '../../../../host/apply/plan.ts';
import { createOptions, updateOptions } from '../../../../host/apply/step-options.ts';
import type { ServiceConfig } from '../../../../runtime/control/config.ts';
import type { ServiceParameters } from '../../../../host/layout/registry-layout.ts';
import { serviceConfig } from '../../service-config.ts';

let dir: string;
let modulePath: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-plan-'));
  modulePath = path.join(dir, 'web.js');
  fs.writeFileSync(modulePath, 'module.exports = {};\n');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What the machine has for a service installed from web.js with install's defaults. */
function machineService(
  name: string,
  change: { config?: Partial<ServiceConfig>; parameters?: Partial<ServiceParameters> } = {},
): CurrentService {
  const config = serviceConfig(name, change.config);
  const parameters: ServiceParameters = {
    module: modulePath,
    exportName: 'default',
    environment: {},
    secretNames: [],
    arguments: [],
    ...change.parameters,
  };
  return { name, state: currentState(config, parameters, []) };
}

function desired(services: Record<string, object>): DesiredEntry[] {
  const file = { services: Object.fromEntries(Object.entries(services).map(([name, entry]) => [name, { module: 'web.js', ...entry }])) };
  return parseApplyFile(JSON.stringify(file), 'state.json', dir);
}

function plan(entries: DesiredEntry[], current: CurrentService[], rotate = false) {
  return computePlan(
    entries.map((entry) => ({ name: entry.name, state: entry.state, hasSecrets: Boolean(entry.entry.secretEnvironment) })),
    current,
    rotate,
  );
}

describe('computePlan', () => {
  it('creates every declared service on an empty host', () => {
    expect(plan(desired({ A: {}, B: {} }), [])).toEqual({
      steps: [
        { kind: 'create', name: 'A' },
        { kind: 'create', name: 'B' },
      ],
      unchanged: [],
    });
  });

  it('changes nothing when the machine is as declared, names compared without case', () => {
    const result = plan(desired({ web: { startup: 'manual', logKeep: 5, account: 'LocalSystem', dependencies: [] } }), [
      machineService('Web'),
    ]);
    expect(result).toEqual({ steps: [], unchanged: ['Web'] });
  });

  it('updates only the settings that differ, named as the machine spells the service', () => {
    const result = plan(desired({ web: { startup: 'auto', logKeep: 5, description: '' } }), [machineService('Web')]);
    expect(result.steps).toEqual([
      { kind: 'update', name: 'Web', changes: [{ key: 'startup', from: '"manual"', to: '"auto"' }], rotateSecrets: false },
    ]);
    expect(describeStep(result.steps[0]!)).toBe('~ update Web\n    startup: "manual" -> "auto"');
  });

  it('removes services of this host that the file does not list, first', () => {
    const result = plan(desired({ New: {} }), [machineService('Old')]);
    expect(result.steps.map((step) => `${step.kind} ${step.name}`)).toEqual(['remove Old', 'create New']);
    expect(plan(desired({}), [machineService('Old')]).steps).toEqual([{ kind: 'remove', name: 'Old', halfInstalled: false }]);
  });

  it('replaces a half-installed service the file lists (remove, then create), and removes one it does not', () => {
    const result = plan(desired({ web: {} }), [
      { name: 'web', state: undefined },
      { name: 'Stale', state: undefined },
    ]);
    expect(result.steps.map((step) => `${step.kind} ${step.name}`)).toEqual(['remove web', 'remove Stale', 'create web']);
    expect(describeStep(result.steps[0]!)).toBe('- remove web (half-installed: it has no Parameters)');
  });

  it('compares paths, accounts and dependency sets as Windows does, and keys left out not at all', () => {
    const current = machineService('web', {
      config: { account: 'NT AUTHORITY\\LocalService', dependencies: ['Tcpip', 'Afd'], groupDependencies: ['NetGroup'] },
      parameters: { module: modulePath.toUpperCase(), arguments: ['--port', '1'], environment: { A: '1', B: '2' } },
    });
    // Upper-cased path: only where paths are case-insensitive (a Linux test directory stands in for C:\).
    const same = desired({
      web: { account: 'LocalService', dependencies: ['afd', '+netgroup', 'TCPIP'], environment: { B: '2', A: '1' } },
    });
    const changes = plan(same, [current]).steps.flatMap((step) => (step.kind === 'update' ? step.changes.map((change) => change.key) : []));
    expect(changes).toEqual([]);
    const differing = desired({ web: { arguments: ['--port', '2'], environment: { A: 'secret-ish' } } });
    const [step] = plan(differing, [current]).steps;
    expect(step).toMatchObject({
      kind: 'update',
      changes: [{ key: 'environment', from: '{A, B} (values not shown)', to: '{A} (values not shown)' }, { key: 'arguments' }],
    });
    expect(describeStep(step!)).not.toContain('secret-ish');
  });

  it('rewrites secrets only when asked (their values are never read back)', () => {
    const current = machineService('web', { parameters: { secretNames: ['TOKEN'] } });
    const entries = desired({ web: { secretEnvironment: { TOKEN: 'WEB_TOKEN' } } });
    expect(plan(entries, [current]).steps).toEqual([]);
    expect(plan(entries, [current], true).steps).toEqual([{ kind: 'update', name: 'web', changes: [], rotateSecrets: true }]);
  });
});

describe('export', () => {
  it('writes every setting, and applying the export plans nothing', () => {
    const current = [
      machineService('web', {
        config: {
          startup: 'delayed',
          binaryPath: '"C:\\NodeService\\host.exe" --shared-group shared',
          dependencies: ['Tcpip'],
          groupDependencies: ['G'],
        },
        parameters: {
          exportName: 'Web',
          environment: { A: '1' },
          secretNames: ['TOKEN'],
          arguments: ['x'],
          loadTimeout: Infinity,
          log: { keep: 9, maxSize: 2048, timestamps: true },
        },
      }),
      machineService('quiet', {
        config: { failure: { resetPeriod: 0, actions: [], command: '', rebootMessage: '', onNonCrashFailures: false } },
        parameters: { log: { none: true } },
      }),
    ];
    const file = toApplyFile(current.map((service) => ({ name: service.name, state: service.state!, allowOutside: false })));
    expect(Object.keys(file.services)).toEqual(['quiet', 'web']);
    expect(file.services.web).toMatchObject({
      module: `${modulePath}#Web`,
      sharedGroup: 'shared',
      dependencies: ['Tcpip', '+G'],
      secretEnvironment: { TOKEN: 'TOKEN' },
      loadTimeout: 'infinite',
      logKeep: 9,
      logTimestamps: true,
    });
    expect(file.services.quiet).toMatchObject({ failureActions: [], log: 'none', sharedGroup: false, loadTimeout: 60 });
    expect(file.services.quiet).not.toHaveProperty('failureReset');
    const entries = parseApplyFile(JSON.stringify(file), 'export.json', dir);
    expect(plan(entries, current)).toEqual({ steps: [], unchanged: ['quiet', 'web'] });
  });

  it('reads the shared group from the binPath', () => {
    expect(sharedGroupOf('"C:\\h\\host.exe" --shared-group web-1')).toBe('web-1');
    expect(sharedGroupOf('"C:\\h\\host.exe"')).toBe(false);
  });
});

describe('the options each step passes to the installer', () => {
  it('an update passes only what changed (and the dependencies beside an SCM setting, for Wine)', () => {
    const [entry] = desired({ web: { logKeep: 10, startup: 'auto', dependencies: ['Tcpip'], description: 'd' } });
    const current = machineService('web', { config: { dependencies: ['Tcpip'] } }).state!;
    expect(updateOptions(entry!, current, [{ key: 'logKeep', from: '5', to: '10' }], false, {}).options).toEqual({
      allowOutside: undefined,
      log: { keep: 10 },
    });
    expect(updateOptions(entry!, current, [{ key: 'startup', from: '', to: '' }], false, {}).options).toEqual({
      allowOutside: undefined,
      startup: 'auto',
      dependencies: ['Tcpip'],
    });
  });

  it("sets the file's variables exactly, adds new secrets from the environment, and drops the rest", () => {
    const [entry] = desired({ web: { environment: { A: '1' }, secretEnvironment: { NEW: 'WEB_NEW', KEPT: 'WEB_KEPT' } } });
    const current = machineService('web', { parameters: { environment: { A: '0', OLD: 'x' }, secretNames: ['KEPT', 'GONE'] } }).state!;
    const changes = [
      { key: 'environment' as const, from: '', to: '' },
      { key: 'secretEnvironment' as const, from: '', to: '' },
    ];
    const { options, missing } = updateOptions(entry!, current, changes, false, { WEB_NEW: 'n3w', WEB_KEPT: 'k' });
    expect(missing).toEqual([]);
    expect(options.environment).toEqual({ A: '1', OLD: undefined, GONE: undefined });
    expect(options.secrets).toEqual({ NEW: 'n3w' });
    expect(updateOptions(entry!, current, changes, true, { WEB_NEW: 'n3w', WEB_KEPT: 'k' }).options.secrets).toEqual({
      NEW: 'n3w',
      KEPT: 'k',
    });
  });

  it('names every variable a step lacks, by the setting that names it', () => {
    const [entry] = desired({ web: { account: '.\\svc', passwordEnv: 'WEB_PASSWORD', secretEnvironment: { TOKEN: 'WEB_TOKEN' } } });
    expect(createOptions(entry!, {}).missing).toEqual([
      { path: '$.services.web.secretEnvironment.TOKEN', variable: 'WEB_TOKEN' },
      { path: '$.services.web.passwordEnv', variable: 'WEB_PASSWORD' },
    ]);
    const { options } = createOptions(entry!, { WEB_TOKEN: 't', WEB_PASSWORD: 'p' });
    expect(options).toMatchObject({ name: 'web', password: 'p', secrets: { TOKEN: 't' }, account: { kind: 'user', name: '.\\svc' } });
  });
});
