import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplyFileError, MAX_FILE_BYTES, parseApplyFile, readApplyFile, SCHEMA } from '../../../../host/apply/desired-state.ts';
import { unsupportedKeywords, validate } from '../../../../host/apply/json-schema.ts';
import { duplicateKeys } from '../../../../host/apply/duplicate-keys.ts';
import { ENTRY_KEYS, OPTION_OF } from '../../../../host/apply/service-entry.ts';
import { STATE_KEYS } from '../../../../host/apply/service-state.ts';
import { serviceOptions } from '../../../../host/cli/commands/service-options.ts';
import { UsageError } from '../../../../host/cli/usage-error.ts';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-file-'));
  fs.writeFileSync(path.join(dir, 'web.js'), 'module.exports = {};\n');
  fs.mkdirSync(path.join(dir, 'logs'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The errors parseApplyFile reports for `document`, as `path: message` lines. */
function errorsOf(document: unknown): string[] {
  try {
    parseApplyFile(typeof document === 'string' ? document : JSON.stringify(document), 'state.json', dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ApplyFileError);
    expect(error).toBeInstanceOf(UsageError);
    return (error as ApplyFileError).errors.map((item) => `${item.path}: ${item.message}`);
  }
  throw new Error('the file was accepted');
}

const web = (extra: object) => ({ services: { web: { module: 'web.js', ...extra } } });

describe('the schema and the code that reads files by it', () => {
  it('uses only keywords the validator checks (a new keyword must be implemented first)', () => {
    expect([...unsupportedKeywords(SCHEMA)]).toEqual([]);
    expect([...unsupportedKeywords({ type: 'string', format: 'email', properties: { format: { if: {} } } })].sort()).toEqual([
      'format',
      'if',
    ]);
  });

  it('declares exactly the keys the code reads, each an option of install/update', () => {
    const properties = (SCHEMA.$defs as { service: { properties: object } }).service.properties;
    expect(Object.keys(properties)).toEqual([...ENTRY_KEYS]);
    // Every key but the module and the password's variable is one install option, and that option exists.
    for (const key of ENTRY_KEYS.filter((key) => key !== 'module' && key !== 'passwordEnv')) {
      const option = OPTION_OF[key];
      expect(option, key).toBeDefined();
      expect(option === 'shared-group' || option! in serviceOptions, `${key} → --${option}`).toBe(true);
    }
    // Every key but the two that are not settings (a password and a permission) is compared.
    expect([...STATE_KEYS]).toEqual(ENTRY_KEYS.filter((key) => key !== 'passwordEnv' && key !== 'allowOutside'));
  });

  it('validates types, ranges, enums, patterns and unknown keys with the JSON path', () => {
    expect(validate({ services: {} }, SCHEMA)).toEqual([]);
    expect(errorsOf(web({ logKeep: -1 }))).toEqual(['$.services.web.logKeep: must be an integer from 0 to 1000']);
    expect(errorsOf(web({ logKeep: 2.5 }))).toEqual(['$.services.web.logKeep: must be an integer from 0 to 1000']);
    expect(errorsOf(web({ startup: 'sometimes' }))).toEqual([
      '$.services.web.startup: must be one of "manual", "auto", "delayed", "disabled"',
    ]);
    expect(errorsOf(web({ stratup: 'auto' }))[0]).toMatch(
      /^\$\.services\.web\.stratup: is not a setting NodeService knows \(known: module, displayName,/,
    );
    expect(errorsOf(web({ sharedGroup: 'a b' }))).toEqual([
      '$.services.web.sharedGroup: must be a string matching ^[A-Za-z0-9_.-]+$ or false',
    ]);
    expect(errorsOf(web({ sharedGroup: true }))).toHaveLength(1);
    expect(errorsOf(web({ loadTimeout: 0 }))).toEqual([
      '$.services.web.loadTimeout: must be a number above 0, at most 4294967 or "infinite"',
    ]);
    expect(errorsOf(web({ failureActions: [{ type: 'restart', delay: -5 }] }))).toEqual([
      '$.services.web.failureActions[0].delay: must be an integer from 0 to 4294967295',
    ]);
    expect(errorsOf(web({ environment: { 'A=B': 'x' } }))[0]).toMatch(/^\$\.services\.web\.environment\["A=B"\]: is not an accepted name/);
    expect(errorsOf(web({ environment: { A: '' } }))).toEqual(['$.services.web.environment.A: must not be empty']);
    expect(errorsOf(web({ dependencies: 'A,B' }))).toEqual(['$.services.web.dependencies: must be an array']);
    expect(errorsOf({ services: { web: {} } })).toEqual(['$.services.web: must have "module"']);
    expect(errorsOf({ service: {} })).toEqual([
      '$: must have "services"',
      '$.service: is not a setting NodeService knows (known: services)',
    ]);
    expect(errorsOf({ services: { 'a\\b': { module: 'web.js' } } })[0]).toMatch(/^\$\.services\["a\\\\b"\]: is not an accepted name/);
    expect(errorsOf({ services: { ' web': { module: 'web.js' } } })[0]).toMatch(/is not an accepted name/);
    expect(errorsOf([])).toEqual(['$: must be an object']);
  });

  it("refuses what is not JSON, and an empty file, with the parser's reason", () => {
    expect(errorsOf('')[0]).toMatch(/^\$: is not JSON: /);
    expect(errorsOf('{"services": {},}')[0]).toMatch(/^\$: is not JSON: /);
  });

  it('reports every error at once, and two names of one service', () => {
    expect(errorsOf({ services: { Web: { module: 'web.js' }, web: { module: 'web.js', logKeep: 'x' } } })).toEqual([
      '$.services.web.logKeep: must be an integer from 0 to 1000',
    ]);
    expect(errorsOf({ services: { Web: { module: 'web.js' }, web: { module: 'web.js' } } })).toEqual([
      '$.services.web: names the same service as "Web" (service names ignore case)',
    ]);
  });

  it('checks each service as install checks its command line, the error at the key it is about', () => {
    expect(errorsOf({ services: { web: { module: 'missing.js' } } })[0]).toMatch(
      /^\$\.services\.web\.module: module not found: .*missing\.js/,
    );
    expect(errorsOf(web({ failureActions: [{ type: 'run' }] }))).toEqual([
      "$.services.web: a 'run' failure action needs --failure-command: say which command to run",
    ]);
    expect(errorsOf(web({ failureActions: [], failureReset: 60 }))[0]).toMatch(
      /^\$\.services\.web\.failureActions: --failure-actions none sets no actions/,
    );
    expect(errorsOf(web({ workingDirectory: 'nowhere' }))[0]).toMatch(
      /^\$\.services\.web\.workingDirectory: --cwd .*nowhere is not a folder/,
    );
    expect(errorsOf(web({ account: 'NT AUTHORITY\\Nobody' }))[0]).toMatch(
      /^\$\.services\.web\.account: --username: 'NT AUTHORITY\\Nobody' is not a built-in account/,
    );
    expect(errorsOf(web({ logMaxSize: '1' }))[0]).toMatch(/^\$\.services\.web\.logMaxSize: --log-max-size must be between 1K and 4G - 1/);
    expect(errorsOf(web({ messages: 'none.mc' }))[0]).toMatch(/^\$\.services\.web\.messages: message file not found/);
  });

  it("resolves relative paths against the file's folder and gives the comparable state", () => {
    const [entry] = parseApplyFile(
      JSON.stringify(
        web({
          logDir: 'logs',
          workingDirectory: '',
          loadTimeout: 'infinite',
          logMaxSize: '2M',
          environment: { A: '1' },
          secretEnvironment: { TOKEN: 'WEB_TOKEN' },
        }),
      ),
      'f',
      dir,
    );
    expect(entry!.spec.modulePath).toBe(path.join(dir, 'web.js'));
    expect(entry!.state).toMatchObject({
      module: { path: path.join(dir, 'web.js') },
      logDir: path.join(dir, 'logs'),
      workingDirectory: '',
      loadTimeout: Infinity,
      logMaxSize: 2 * 1024 * 1024,
      environment: { A: '1' },
      secretEnvironment: ['TOKEN'],
    });
    expect(entry!.state.startup).toBeUndefined();
  });
});

describe('readApplyFile', () => {
  it('refuses a missing file, a folder and a file too large to be a desired state, before reading it', () => {
    expect(() => readApplyFile(path.join(dir, 'none.json'))).toThrow(/none\.json not found: name the JSON file of the desired state/);
    expect(() => readApplyFile(dir)).toThrow(/is not a file/);
    const huge = path.join(dir, 'huge.json');
    fs.writeFileSync(huge, Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
    expect(() => readApplyFile(huge)).toThrow(new RegExp(`has ${MAX_FILE_BYTES + 1} bytes, more than the ${MAX_FILE_BYTES}`));
    const bom = path.join(dir, 'bom.json');
    fs.writeFileSync(bom, `\uFEFF${JSON.stringify(web({}))}`);
    expect(readApplyFile(bom).map((entry) => entry.name)).toEqual(['web']);
  });
});

describe('duplicateKeys', () => {
  it('finds a key written twice in one object, at any depth, and nothing in valid distinct JSON', () => {
    expect(duplicateKeys('{"services": {"web": {"module": "a"}, "db": {}, "web": {"module": "b"}}}')).toEqual(['$.services.web']);
    expect(duplicateKeys('{"a": [{"x": 1, "y": "}\\"", "x": 2}], "b": {"x": 1}, "c": "{\\"c\\": 1}"}')).toEqual(['$.a[0].x']);
    expect(duplicateKeys(' { "a" : [ 1 , true , null , -2.5e3 , [ ] , { } ] , "odd key" : { "k" : 1 , "k" : 2 } } ')).toEqual([
      '$["odd key"].k',
    ]);
    expect(duplicateKeys('[]')).toEqual([]);
  });

  it('makes apply refuse the file with the path of the second key', () => {
    expect(errorsOf('{"services": {"web": {"module": "web.js", "logKeep": 1, "logKeep": 9}}}')).toEqual([
      '$.services.web.logKeep: is written twice in one object (JSON keeps only the last): write it once',
    ]);
  });
});
