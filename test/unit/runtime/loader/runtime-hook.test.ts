import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-hook-'));

/** The file URL of a module of this repository. */
function moduleUrl(...parts: string[]): string {
  return pathToFileURL(path.resolve(import.meta.dirname, '..', '..', '..', '..', ...parts)).href;
}

function write(files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
}

// An app whose node_modules holds a `nodeservice` copy that throws if anything loads it, for
// require, import and import(), from the app and from its dependencies.
write({
  'app/node_modules/nodeservice/package.json': JSON.stringify({
    name: 'nodeservice',
    main: 'index.js',
    exports: { import: './index.mjs', require: './index.js' },
  }),
  'app/node_modules/nodeservice/index.js': "throw new Error('the app loaded its own nodeservice copy (CommonJS)');",
  'app/node_modules/nodeservice/index.mjs': "throw new Error('the app loaded its own nodeservice copy (ESM)');",
  'app/node_modules/cjs-dep/index.js': "module.exports = { framework: require('nodeservice').ServiceFramework };",
  'app/node_modules/esm-dep/package.json': JSON.stringify({ type: 'module', exports: './index.js' }),
  'app/node_modules/esm-dep/index.js': "import { ServiceFramework } from 'nodeservice';\nexport const framework = ServiceFramework;",
  'app/node_modules/dynamic-dep/index.js': "module.exports = { load: () => import('nodeservice') };",
  'app/cjs-entry.cjs': [
    "const { ServiceFramework } = require('nodeservice');",
    "const { framework } = require('cjs-dep');",
    "module.exports = { framework, dynamic: require('dynamic-dep'), Svc: class Svc extends ServiceFramework { static svcName = 'Cjs'; } };",
  ].join('\n'),
  'app/esm-entry.mjs': [
    "import { ServiceFramework } from 'nodeservice';",
    "import runtime from 'nodeservice';",
    "import { framework } from 'esm-dep';",
    "import cjs from 'cjs-dep';",
    'export const frameworks = [runtime.ServiceFramework, framework, cjs.framework];',
    "export default class Svc extends ServiceFramework { static svcName = 'Esm'; }",
  ].join('\n'),
  'app/ts-entry.ts': [
    "import { ServiceFramework } from 'nodeservice';",
    "import type { ServiceHooks } from 'nodeservice';",
    'export const frameworks: unknown[] = [ServiceFramework];',
    "export default class Svc extends ServiceFramework implements Partial<ServiceHooks> { static override svcName: string = 'Ts'; }",
  ].join('\n'),
  'app/enum-entry.ts':
    "import { ServiceFramework } from 'nodeservice';\nenum Mode { Fast }\nexport default class Svc extends ServiceFramework { static svcName = String(Mode.Fast); }",
  'app/tla-entry.mjs': [
    "const { ServiceFramework } = await import('nodeservice');",
    "const { framework } = await import('esm-dep');",
    'export const frameworks = [framework];',
    "export default class Svc extends ServiceFramework { static svcName = 'Tla'; }",
  ].join('\n'),
});

// Node loads the fixtures in a child process: vitest runs import() itself (through vite's
// resolver, which knows nothing of the hook), so only plain Node shows what host.exe does.
write({
  'probe.mts': [
    // import takes URLs: a Windows path (C:\…) is not one.
    `import { loadServiceClass } from ${JSON.stringify(moduleUrl('runtime', 'loader', 'service-module.ts'))};`,
    `import { ServiceFramework } from ${JSON.stringify(moduleUrl('runtime', 'service', 'framework.ts'))};`,
    "import { pathToFileURL } from 'node:url';",
    'const [entry, exportName] = process.argv.slice(2);',
    'try {',
    '  const { serviceClass } = await loadServiceClass({ modulePath: entry, exportName });',
    '  const loaded = await import(pathToFileURL(entry).href);',
    '  const frameworks = loaded.frameworks ?? [loaded.default.framework, (await loaded.default.dynamic.load()).ServiceFramework];',
    '  console.log(JSON.stringify({ name: serviceClass.svcName, ours: serviceClass.prototype instanceof ServiceFramework, same: frameworks.map((f) => f === ServiceFramework) }));',
    '} catch (error) {',
    '  console.log(JSON.stringify({ error: error.message }));',
    '}',
  ].join('\n'),
});

function probe(entry: string, exportName?: string): unknown {
  const args = [path.join(root, 'probe.mts'), path.join(root, 'app', entry), ...(exportName ? [exportName] : [])];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

describe("the runtime hook wins over an app's node_modules/nodeservice", () => {
  it('for require() from a CommonJS entry and from a dependency, and import() from a dependency', () => {
    expect(probe('cjs-entry.cjs', 'Svc')).toEqual({ name: 'Cjs', ours: true, same: [true, true] });
  });

  it('for import (named and default) from an ESM entry and an ESM dependency', () => {
    expect(probe('esm-entry.mjs')).toEqual({ name: 'Esm', ours: true, same: [true, true, true] });
  });

  it('for a module with top-level await, which only import() loads', () => {
    expect(probe('tla-entry.mjs')).toEqual({ name: 'Tla', ours: true, same: [true] });
  });

  it('for a .ts entry (type stripping), and an enum gets an error that says what to do', () => {
    expect(probe('ts-entry.ts')).toEqual({ name: 'Ts', ours: true, same: [true] });
    expect(probe('enum-entry.ts')).toEqual({
      error: expect.stringMatching(
        /enum-entry\.ts could not be loaded: it uses TypeScript that Node's type stripping cannot run \(enums, namespaces, parameter properties…\): use a \.js build or erasable syntax only/,
      ),
    });
  });

  it('and the copy does throw when loaded the ordinary way (so the tests above can fail)', () => {
    const result = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(root, 'app', 'node_modules', 'cjs-dep'))})`], {
      encoding: 'utf8',
    });
    expect(result.stderr).toContain('the app loaded its own nodeservice copy (CommonJS)');
  });
});
