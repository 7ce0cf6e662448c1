/**
 * A service's performance counters at install time: the manifest generated from its class's
 * `svcCounters`, written beside the module as `<module>.<service>.counters.man` (one per service:
 * the same module may be installed under several names, each with its own GUIDs), the
 * resource-only DLL `<module>.<service>.counters.dll` holding the set's names and descriptions
 * (the manifest's applicationIdentity, see runtime/perf/counter-strings.ts), both registered with
 * `lodctr /m:`; `unlodctr /m:` and deleting the files undo it.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeStringDll, type StringResource } from '../messages/resource-dll.ts';
import { counterStringIds, counterStrings, MAX_NAMED_COUNTERS } from '../runtime/perf/counter-strings.ts';
import { countersManifest } from '../runtime/perf/manifest.ts';
import type { ServiceClass } from '../runtime/service/framework.ts';
import { loadResourceModule } from '../runtime/win32/kernel32.ts';
import { loadString } from '../runtime/win32/user32.ts';
import { readServiceParameters } from '../host/layout/registry-layout.ts';

/** A manifest to register: where it and its strings DLL go, and what they hold. */
export interface CountersPlan {
  manifest: string;
  xml: string;
  /** The strings DLL: the manifest's applicationIdentity, in the same folder (lodctr's path). */
  dll: string;
  strings: StringResource[];
}

/** A file of service `serviceName` from module `modulePath`: `<module>.<service>.counters.<extension>` beside it. */
function countersFile(modulePath: string, serviceName: string, extension: 'man' | 'dll'): string {
  // Service names exclude only slashes; keep the rest of the file name valid too.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this keeps out
  const service = serviceName.replace(/[<>:"|?*\x00-\x1f]/g, '_');
  return path.join(path.dirname(modulePath), `${path.basename(modulePath, path.extname(modulePath))}.${service}.counters.${extension}`);
}

/** The manifest of service `serviceName` from module `modulePath`: `<module>.<service>.counters.man` beside it. */
export function countersManifestPath(modulePath: string, serviceName: string): string {
  return countersFile(modulePath, serviceName, 'man');
}

/** The strings DLL of service `serviceName` from module `modulePath`: `<module>.<service>.counters.dll` beside it. */
export function countersDllPath(modulePath: string, serviceName: string): string {
  return countersFile(modulePath, serviceName, 'dll');
}

/** The manifest and strings of a service class, or undefined when it declares no counters. */
export function planCounters(serviceClass: ServiceClass, serviceName: string, modulePath: string): CountersPlan | undefined {
  if (serviceClass.svcCounters === undefined) return undefined;
  const dll = countersDllPath(modulePath, serviceName);
  const xml = countersManifest(serviceClass.svcCounters, { serviceName, applicationIdentity: path.basename(dll) });
  return { manifest: countersManifestPath(modulePath, serviceName), xml, dll, strings: counterStrings(serviceClass.svcCounters) };
}

/** Runs one of the counter registration tools with its arguments; throws when it fails. */
export type ToolRunner = (tool: 'lodctr' | 'unlodctr', args: string[]) => void;

/** Runs lodctr or unlodctr from System32 and throws with its output when it fails. */
function runTool(tool: 'lodctr' | 'unlodctr', args: string[]): void {
  const exe = path.win32.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', `${tool}.exe`);
  let result = spawnSync(exe, args, { encoding: 'utf8', windowsHide: true, timeout: 60_000 });
  // Under load, Wine now and then fails to create the process at all (spawnSync's UNKNOWN error):
  // it never ran, so running it once more is safe.
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'UNKNOWN') {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    result = spawnSync(exe, args, { encoding: 'utf8', windowsHide: true, timeout: 60_000 });
  }
  if (result.error) throw new Error(`${tool} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(`${tool} ${args.join(' ')} failed with exit code ${result.status}${output ? `: ${output}` : ''}`);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Deletes counter files, as far as it can: a DLL a consumer (Performance Monitor) has loaded cannot
 * be deleted until it lets go, and a file left behind does no harm (the next install overwrites it).
 */
function deleteFiles(...files: string[]): void {
  for (const file of files) {
    try {
      fs.rmSync(file, { force: true, maxRetries: 2 });
    } catch {
      // Still in use: see above.
    }
  }
}

/** Writes the manifest and its strings DLL and registers them; on failure nothing is left (what was written is removed). */
export function registerCounters(plan: CountersPlan | undefined, run: ToolRunner = runTool): void {
  if (!plan) return;
  const written: string[] = [];
  const write = (file: string, what: string, writeFile: () => void) => {
    try {
      writeFile();
      written.push(file);
    } catch (error) {
      deleteFiles(...written);
      throw new Error(`could not write the performance counters ${what} ${file}: ${message(error)}`, { cause: error });
    }
  };
  write(plan.manifest, 'manifest', () => fs.writeFileSync(plan.manifest, plan.xml));
  write(plan.dll, 'strings DLL', () => writeStringDll(plan.strings, plan.dll));
  try {
    run('lodctr', [`/m:${plan.manifest}`, path.dirname(plan.dll)]);
  } catch (error) {
    deleteFiles(...written);
    throw new Error(`registering the performance counters failed: ${message(error)}`, { cause: error });
  }
}

/** Unregisters and deletes the manifest (and strings DLL) of service `serviceName` from module `modulePath`, if it has one. */
export function unregisterCounters(modulePath: string, serviceName: string, run: ToolRunner = runTool): void {
  const manifest = countersManifestPath(modulePath, serviceName);
  if (!fs.existsSync(manifest)) return;
  run('unlodctr', [`/m:${manifest}`]);
  deleteFiles(manifest, countersDllPath(modulePath, serviceName));
}

/** An element's strings as the counters DLL holds them. */
export interface ElementNames {
  name: string;
  /** The {Locked} copy of the name: the English name. */
  englishName: string;
  description: string;
}

/** A counter set's names and descriptions as its strings DLL holds them: what Performance Monitor shows. */
export interface CounterNames extends ElementNames {
  counters: ElementNames[];
}

/**
 * Reads back the names and descriptions in a counters DLL with LoadStringW, at the ids CTRPP's
 * numbering gives them (runtime/perf/counter-strings.ts). A counter name is never empty, so the
 * first element without one ends the set.
 */
function readCounterNames(dll: string): CounterNames {
  using module = loadResourceModule(dll);
  const read = (index: number) => {
    const ids = counterStringIds(index);
    const name = loadString(module.handle, ids.nameId);
    if (name === undefined) return undefined;
    return {
      name,
      englishName: loadString(module.handle, ids.englishNameId) ?? '',
      description: loadString(module.handle, ids.descriptionId) ?? '',
    };
  };
  const set = read(0);
  if (!set) throw new Error(`${dll} holds no counter set name (string ${counterStringIds(0).nameId})`);
  const counters: ElementNames[] = [];
  for (let index = 1; index <= MAX_NAMED_COUNTERS; index++) {
    const counter = read(index);
    if (!counter) break;
    counters.push(counter);
  }
  return { ...set, counters };
}

/** The names a NodeService service's counters are registered under, from its strings DLL beside its module. */
export function registeredCounterNames(serviceName: string): CounterNames {
  const parameters = readServiceParameters(serviceName);
  if (!parameters) throw new Error(`there is no NodeService service named '${serviceName}' (no Parameters\\Module under its key)`);
  const dll = countersDllPath(parameters.module, serviceName);
  if (!fs.existsSync(dll)) throw new Error(`'${serviceName}' has no performance counters registered: ${dll} does not exist`);
  return readCounterNames(dll);
}
