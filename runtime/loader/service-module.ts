/**
 * Loads a service module (CommonJS or ESM) and finds its ServiceFramework subclass, with errors
 * that tell the author what to change.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ServiceFramework, type ServiceClass } from '../service/framework.ts';
import { installRuntimeHook } from './runtime-hook.ts';
import { confinePackages, packageRoot } from './package-scope.ts';

/** A module path with an optional `#ExportName`, as `install` takes it. */
export interface ModuleSpec {
  modulePath: string;
  exportName?: string;
}

/** The class found, and under which export. */
export interface LoadedService {
  serviceClass: ServiceClass;
  exportName: string;
}

/** A JavaScript identifier (what an export name after '#' must be). */
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/**
 * Splits `dir\mod.js#Name` into the absolute path and the export name. The '#' separates an export
 * only when an identifier follows it, so a folder or file with '#' in its name (`C:\apps\c#\svc.js`)
 * stays a path (issue 15, item 10).
 */
export function parseModuleSpec(spec: string, cwd = process.cwd()): ModuleSpec {
  const hash = spec.lastIndexOf('#');
  const after = hash > 0 ? spec.slice(hash + 1) : undefined;
  if (after === '') throw new Error(`'${spec}' ends with '#': put the export name after it, or leave the '#' out`);
  const split = after !== undefined && IDENTIFIER.test(after);
  return { modulePath: path.resolve(cwd, split ? spec.slice(0, hash) : spec), exportName: split ? after : undefined };
}

function isServiceClass(value: unknown): value is ServiceClass {
  return typeof value === 'function' && value.prototype instanceof ServiceFramework;
}

/**
 * Imports the module and returns its service class. Its bare imports resolve only inside the
 * package root set with confinePackages, or, when none was set, inside the module's own folder.
 */
export async function loadServiceClass(spec: ModuleSpec): Promise<LoadedService> {
  const { modulePath, exportName } = spec;
  if (!fs.existsSync(modulePath)) throw new Error(`module not found: ${modulePath}`);
  if (!fs.statSync(modulePath).isFile()) throw new Error(`${modulePath} is a folder: name the compiled .js file of the service`);
  if (packageRoot() === undefined) confinePackages(path.dirname(modulePath));
  installRuntimeHook();
  let namespace: Record<string, unknown>;
  try {
    namespace = await importModule(modulePath);
  } catch (error) {
    throw new Error(`${modulePath} could not be loaded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const exports = exportsOf(namespace);
  const service = exportName === undefined ? findDefault(exports, modulePath) : findNamed(exports, exportName, modulePath);
  return service;
}

/**
 * require() first: it loads CommonJS and (Node ≥ 22.12) ESM through the CommonJS loader the runtime
 * hook patches; ESM with top-level await can only be imported.
 */
async function importModule(modulePath: string): Promise<Record<string, unknown>> {
  try {
    const loaded: unknown = createRequire(modulePath)(modulePath);
    return (typeof loaded === 'object' && loaded !== null ? loaded : { default: loaded }) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    return (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  }
}

/** A new instance of a class that loadServiceClass found (authors' classes are concrete). */
export function instantiate(serviceClass: ServiceClass): ServiceFramework {
  return new (serviceClass as unknown as new () => ServiceFramework)();
}

/** ESM namespaces and CommonJS module.exports (seen as `default`) in one view. */
function exportsOf(namespace: Record<string, unknown>): Map<string, unknown> {
  const exports = new Map(Object.entries(namespace));
  const commonJs = namespace['module.exports'] ?? namespace.default;
  if (commonJs && typeof commonJs === 'object') {
    for (const [name, value] of Object.entries(commonJs)) if (!exports.has(name)) exports.set(name, value);
  }
  return exports;
}

function findNamed(exports: Map<string, unknown>, exportName: string, modulePath: string): LoadedService {
  if (!exports.has(exportName)) {
    const names = [...exports.keys()].filter((name) => name !== 'module.exports');
    throw new Error(`${modulePath} has no export named '${exportName}' (its exports: ${names.join(', ') || 'none'})`);
  }
  const value = exports.get(exportName);
  if (!isServiceClass(value)) throw new Error(`the export '${exportName}' of ${modulePath} is not a class extending ServiceFramework`);
  return { serviceClass: value, exportName };
}

function findDefault(exports: Map<string, unknown>, modulePath: string): LoadedService {
  const defaultExport = exports.get('default');
  if (isServiceClass(defaultExport)) return { serviceClass: defaultExport, exportName: 'default' };
  const candidates = [...exports].filter(([name, value]) => name !== 'default' && name !== 'module.exports' && isServiceClass(value));
  if (candidates.length === 1) return { serviceClass: candidates[0]![1] as ServiceClass, exportName: candidates[0]![0] };
  if (candidates.length === 0) {
    throw new Error(`${modulePath} exports no class extending ServiceFramework (import { ServiceFramework } from 'nodeservice' and export your class)`);
  }
  const names = candidates.map(([name]) => name).join(', ');
  throw new Error(`${modulePath} exports several services (${names}): choose one with ${path.basename(modulePath)}#Name`);
}
