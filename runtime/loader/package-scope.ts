/**
 * Where a service's packages may come from. Node resolves a bare `require('pkg')` by walking up
 * from the module's folder to the drive root (`C:\node_modules`, which any user can create), then
 * NODE_PATH and the global folders; a service runs as LocalSystem, so any of those is a planted
 * dependency (issue 15, item 1). The runtime hook asks {@link checkPackageLocation} about every
 * bare specifier Node resolved to a file and refuses one outside the service's package root: the
 * services folder for a module inside it, else the module's own folder.
 * Module state on purpose: a process (or a shared process's worker thread) loads one service.
 * @module
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** True when `file` is `folder` itself or below it (Windows rules: case-insensitive, `..` resolved). */
export function isInsideFolder(file: string, folder: string, paths: typeof path.win32 = path.win32): boolean {
  const relative = paths.relative(paths.resolve(folder).toLowerCase(), paths.resolve(file).toLowerCase());
  return relative === '' || (!relative.startsWith('..') && !paths.isAbsolute(relative));
}

/** Confines the packages of the service this process loads to node_modules folders inside `folder`. */
export function confinePackages(folder: string): void {
  root = path.resolve(folder);
}

/** The folder packages are confined to, once set. */
export function packageRoot(): string | undefined {
  return root;
}

/** A specifier Node looks up in node_modules folders (not relative, absolute, a URL or a builtin). */
export function isBareSpecifier(specifier: string): boolean {
  return !/^(\.{1,2}([\\/]|$)|[\\/]|[A-Za-z]:|[A-Za-z][A-Za-z0-9+.-]+:)/.test(specifier);
}

/**
 * Throws when `specifier` (bare) resolved to a file outside the package root; a builtin or
 * anything Node did not resolve to a file passes.
 */
export function checkPackageLocation(specifier: string, resolvedUrl: string, folder = root): void {
  if (folder === undefined || !isBareSpecifier(specifier) || !resolvedUrl.startsWith('file:')) return;
  const file = fileURLToPath(resolvedUrl);
  if (isInsideFolder(file, folder, path)) return;
  const error = new Error(
    `Cannot find package '${specifier}': NodeService loads a service's packages only from node_modules folders inside ${folder}, ` +
      `and '${specifier}' resolved to ${file} (NODE_PATH and global folders are ignored for services)`,
  );
  throw Object.assign(error, { code: 'ERR_MODULE_NOT_FOUND' });
}
