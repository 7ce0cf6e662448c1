/**
 * Makes `import 'nodeservice'` and `require('nodeservice')` in service modules resolve to the
 * runtime embedded in host.exe, so a service needs no node_modules of its own and shares the
 * host's ServiceFramework class; and confines every other bare specifier to the service's package
 * root (package-scope.ts), for require() and import alike: module.registerHooks runs for both.
 * @module
 */
import Module, { registerHooks } from 'node:module';
import * as runtime from '../index.ts';
import { checkPackageLocation } from './package-scope.ts';

const SPECIFIER = 'nodeservice';
const URL = 'nodeservice:runtime';
const GLOBAL_KEY = 'nodeservice.runtime';

/** The runtime's exports whose names are reserved words. */
const RESERVED_EXPORTS: ReadonlySet<string> = new Set(['continue', 'delete']);

let installed = false;

/** Installs the resolution hook once. */
export function installRuntimeHook(): void {
  if (installed) return;
  installed = true;
  (globalThis as Record<symbol, unknown>)[Symbol.for(GLOBAL_KEY)] = runtime;
  const names = Object.keys(runtime).filter((name) => name !== 'default');
  // `continue` and `delete` are exports but not names a const may have: exported under an alias.
  const local = (name: string) => (RESERVED_EXPORTS.has(name) ? `_${name}` : name);
  const source = [
    `const runtime = globalThis[Symbol.for(${JSON.stringify(GLOBAL_KEY)})];`,
    'export default runtime;',
    ...names.map((name) => `export const ${local(name)} = runtime[${JSON.stringify(name)}];`),
    ...names.filter((name) => RESERVED_EXPORTS.has(name)).map((name) => `export { _${name} as ${name} };`),
  ].join('\n');
  // require('nodeservice') from CommonJS service modules goes through Module._load.
  const internals = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = internals._load;
  internals._load = function loadWithRuntime(this: unknown, request: string, ...rest: unknown[]) {
    return request === SPECIFIER ? runtime : load.call(this, request, ...rest);
  };
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === SPECIFIER) return { url: URL, format: 'module', shortCircuit: true };
      const resolved = nextResolve(specifier, context);
      checkPackageLocation(specifier, resolved.url);
      return resolved;
    },
    load(url, context, nextLoad) {
      return url === URL ? { format: 'module', source, shortCircuit: true } : nextLoad(url, context);
    },
  });
}
