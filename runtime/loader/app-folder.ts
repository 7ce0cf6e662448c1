/**
 * An app folder as `install`, `update --module` and `debug` take it: the entry point comes from its
 * package.json as Node finds a package's entry (`exports` ".", else `main`, else index.js), and its
 * dependencies from the folder's own node_modules (Node resolves them from the entry's location;
 * `nodeservice` itself always resolves to the host's runtime, see runtime-hook.ts).
 *
 * Node's own resolver cannot be asked: `require.resolve(folder)` reads `main` only, and where `main`
 * names a missing file it silently falls back to index.js (DEP0128). A service must not start a
 * file nobody named, so this follows Node's rules (nodejs.org/api/packages.html, PACKAGE_EXPORTS_RESOLVE
 * for the "." subpath; modules.html LOAD_AS_DIRECTORY) and refuses where Node would guess.
 * Every error says what to fix in the package.json.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';

/** The conditions an `exports` "." object is matched against, in the package's own key order (as Node does). */
export const EXPORT_CONDITIONS: readonly string[] = ['node', 'import', 'require', 'module-sync', 'default'];

/** What an app folder installs. */
export interface AppEntry {
  /** The app folder (its package.json's folder). */
  appDir: string;
  /** The entry file. */
  entry: string;
  /** The export its package.json's `"nodeservice": { "export": … }` names. */
  exportName?: string;
}

/** An app folder that cannot be installed as it is; the message says what to fix. */
export class AppFolderError extends Error {
  override readonly name = 'AppFolderError';
}

/** The `"nodeservice"` field of an app's package.json. */
interface NodeServiceField {
  export?: string;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function readPackageJson(appDir: string): Record<string, unknown> {
  const file = path.join(appDir, 'package.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AppFolderError(
      `${appDir} has no package.json: add one whose "main" names the service's entry file, or install the file itself`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AppFolderError(`${file} is not valid JSON (${(error as Error).message}): fix it`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AppFolderError(`${file} must hold a JSON object`);
  return json as Record<string, unknown>;
}

function nodeServiceField(json: Record<string, unknown>, file: string): NodeServiceField {
  const field = json.nodeservice;
  if (field === undefined) return {};
  if (typeof field !== 'object' || field === null || Array.isArray(field))
    throw new AppFolderError(`"nodeservice" in ${file} must be an object such as { "export": "MyService" }`);
  const unknown = Object.keys(field).filter((key) => key !== 'export');
  if (unknown.length) throw new AppFolderError(`"nodeservice" in ${file} has unknown key(s) ${unknown.join(', ')}: it knows "export" only`);
  const name = (field as NodeServiceField).export;
  if (name !== undefined && (typeof name !== 'string' || name === ''))
    throw new AppFolderError(`"nodeservice.export" in ${file} must name an export of the entry file`);
  return { export: name };
}

/**
 * The target of `exports` for ".", or undefined when the package exports nothing for these
 * conditions (Node's PACKAGE_EXPORTS_RESOLVE and PACKAGE_TARGET_RESOLVE, without subpath patterns).
 */
export function exportsTarget(exports: unknown, conditions: readonly string[] = EXPORT_CONDITIONS): string | undefined {
  let main = exports;
  if (typeof exports === 'object' && exports !== null && !Array.isArray(exports)) {
    const keys = Object.keys(exports);
    const dotted = keys.filter((key) => key.startsWith('.'));
    if (dotted.length && dotted.length !== keys.length)
      throw new AppFolderError('"exports" mixes subpaths (".", "./x") and conditions ("import", …) in one object: Node refuses that too');
    if (dotted.length) main = (exports as Record<string, unknown>)['.'];
  }
  return resolveTarget(main, conditions);
}

function resolveTarget(target: unknown, conditions: readonly string[]): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = resolveTarget(item, conditions);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (!conditions.includes(condition)) continue;
      const resolved = resolveTarget(value, conditions);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}

/** The file `target` (a path in package.json) names inside `appDir`; refuses one that leaves the folder. */
function inside(appDir: string, target: string, field: string): string {
  const file = path.resolve(appDir, target);
  const relative = path.relative(appDir, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new AppFolderError(
      `"${field}" in ${path.join(appDir, 'package.json')} names ${target}, which is not a file inside the app folder`,
    );
  }
  return file;
}

/** Finds the entry file of the app in `folder`; throws an AppFolderError that says what to fix. */
export function resolveAppFolder(folder: string): AppEntry {
  const appDir = path.resolve(folder);
  const json = readPackageJson(appDir);
  const file = path.join(appDir, 'package.json');
  const { export: exportName } = nodeServiceField(json, file);
  if (json.exports !== undefined && json.exports !== null) {
    const target = exportsTarget(json.exports);
    if (target === undefined)
      throw new AppFolderError(
        `"exports" in ${file} has no "." entry for the conditions ${EXPORT_CONDITIONS.join(', ')}: add one naming the entry file`,
      );
    // Node: an exports target is a "./" path, with no ".." or node_modules segment.
    if (
      !target.startsWith('./') ||
      target
        .split(/[\\/]/)
        .slice(1)
        .some((part) => part === '..' || part === '.' || part.toLowerCase() === 'node_modules')
    ) {
      throw new AppFolderError(`"exports" in ${file} names ${target}: a target must start with "./" and stay inside the package`);
    }
    const entry = inside(appDir, target, 'exports');
    if (!isFile(entry))
      throw new AppFolderError(`"exports" in ${file} names ${target}, which does not exist: build the app, or fix the path`);
    return { appDir, entry, exportName };
  }
  if (json.main !== undefined) {
    if (typeof json.main !== 'string' || json.main === '')
      throw new AppFolderError(`"main" in ${file} must be a path such as "dist/index.js"`);
    const main = inside(appDir, json.main, 'main');
    // LOAD_AS_FILE then LOAD_AS_INDEX, for the extensions a service module can have.
    const entry = [main, `${main}.js`, path.join(main, 'index.js')].find(isFile);
    if (!entry)
      throw new AppFolderError(
        `"main" in ${file} names ${json.main}, which does not exist (nor with .js, nor as a folder with index.js): build the app, or fix the path`,
      );
    return { appDir, entry, exportName };
  }
  const index = path.join(appDir, 'index.js');
  if (!isFile(index)) throw new AppFolderError(`${file} names no entry point and there is no index.js: add "main": "path/to/entry.js"`);
  return { appDir, entry: index, exportName };
}
