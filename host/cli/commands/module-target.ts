/**
 * What `install`, `update --module` and `debug` were given: a module file (`dir\mod.js#Export`) or
 * an app folder (`dir\app#Export`, its entry from its package.json). A path that leads nowhere is a
 * usage error (exit code 2) that says what to give instead, before anything is loaded or written.
 * @module
 */
import fs from 'node:fs';
import { AppFolderError, resolveAppFolder } from '../../../runtime/loader/app-folder.ts';
import { parseModuleSpec, type ModuleSpec } from '../../../runtime/loader/service-module.ts';
import { UsageError } from '../usage-error.ts';

/** The module `target` names, or undefined when nothing is at that path (debug then tries a service name). */
export function findModuleTarget(target: string): ModuleSpec | undefined {
  let spec: ModuleSpec;
  try {
    spec = parseModuleSpec(target);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(spec.modulePath);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return spec;
  try {
    const app = resolveAppFolder(spec.modulePath);
    return { modulePath: app.entry, exportName: spec.exportName ?? app.exportName, appDir: app.appDir };
  } catch (error) {
    if (error instanceof AppFolderError) throw new UsageError(error.message);
    throw error;
  }
}

/** The module `target` names; a usage error when there is no file or folder there. */
export function moduleTarget(target: string): ModuleSpec {
  const spec = findModuleTarget(target);
  if (!spec)
    throw new UsageError(
      `module not found: ${parseModuleSpec(target).modulePath}: name the service's module file, or its app folder (with a package.json)`,
    );
  return spec;
}
