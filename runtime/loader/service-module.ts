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
import { withDeadline } from '../service/timeouts.ts';

/** A module that did not finish loading in time. */
export class LoadTimeoutError extends Error {
  constructor(modulePath: string, timeoutMs: number) {
    super(
      `${modulePath} did not finish loading within ${timeoutMs} ms (a top-level await that never settles, or a loop at the top level?); allow more with --load-timeout <seconds>`,
    );
    this.name = 'LoadTimeoutError';
  }
}
import { confinePackages, packageRoot } from './package-scope.ts';

/** A module path with an optional `#ExportName`, as `install` takes it. */
export interface ModuleSpec {
  modulePath: string;
  exportName?: string;
  /** The app folder whose package.json named `modulePath`, when one was given (see app-folder.ts). */
  appDir?: string;
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

/** Options of {@link loadServiceClass}. */
export interface LoadOptions {
  /**
   * Fail when the module has not finished loading within this many ms (Infinity: wait). A top-level
   * await that never settles otherwise leaves nothing for the event loop to wait on, and the
   * process would end with exit code 0 and no word.
   */
  timeoutMs?: number;
}

/**
 * Imports the module and returns its service class. Its bare imports resolve only inside the
 * package root set with confinePackages, or, when none was set, inside the module's own folder.
 */
export async function loadServiceClass(spec: ModuleSpec, options: LoadOptions = {}): Promise<LoadedService> {
  const { modulePath, exportName } = spec;
  if (!fs.existsSync(modulePath)) throw new Error(`module not found: ${modulePath}`);
  if (!fs.statSync(modulePath).isFile())
    throw new Error(`${modulePath} is a folder: name the service's module file, or give the folder to install (with its package.json)`);
  if (packageRoot() === undefined) confinePackages(path.dirname(modulePath));
  installRuntimeHook();
  let namespace: Record<string, unknown>;
  try {
    const timeoutMs = options.timeoutMs ?? Infinity;
    namespace = await withDeadline(importModule(modulePath), timeoutMs, () => new LoadTimeoutError(modulePath, timeoutMs));
  } catch (error) {
    if (error instanceof LoadTimeoutError) throw error;
    throw new Error(`${modulePath} could not be loaded: ${loadErrorText(error)}`, { cause: error });
  }
  const exports = exportsOf(namespace);
  const service = exportName === undefined ? findDefault(exports, modulePath) : findNamed(exports, exportName, modulePath);
  return service;
}

/**
 * Why a module failed to load. Node loads .ts/.mts/.cts through type stripping, which erases types
 * but cannot run TypeScript that must be compiled (enums, namespaces, parameter properties), nor
 * any TypeScript inside node_modules: for those, say what to do instead of Node's bare code.
 */
function loadErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
    return `it uses TypeScript that Node's type stripping cannot run (enums, namespaces, parameter properties…): use a .js build or erasable syntax only (tsc --erasableSyntaxOnly). ${message.split('\n')[0]}`;
  }
  if (code === 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING') {
    return `Node does not strip types from files under node_modules: install the dependency's .js build. ${message.split('\n')[0]}`;
  }
  return message;
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
    throw new Error(
      `${modulePath} exports no class extending ServiceFramework (import { ServiceFramework } from 'nodeservice' and export your class)`,
    );
  }
  const names = candidates.map(([name]) => name).join(', ');
  throw new Error(`${modulePath} exports several services (${names}): choose one with ${path.basename(modulePath)}#Name`);
}
