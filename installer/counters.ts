/**
 * A service's performance counters at install time: the manifest generated from its class's
 * `svcCounters`, written beside the module as `<module>.<service>.counters.man` (one per service:
 * the same module may be installed under several names, each with its own GUIDs) and registered with
 * `lodctr /m:`; `unlodctr /m:` and deleting the file undo it.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { countersManifest } from '../runtime/perf/manifest.ts';
import type { ServiceClass } from '../runtime/service/framework.ts';

/** A manifest to register: where it goes and its text. */
export interface CountersPlan {
  manifest: string;
  xml: string;
  /** The folder lodctr finds the manifest's applicationIdentity (host.exe) in. */
  hostDir: string;
}

/** The manifest of service `serviceName` from module `modulePath`: `<module>.<service>.counters.man` beside it. */
export function countersManifestPath(modulePath: string, serviceName: string): string {
  // Service names exclude only slashes; keep the rest of the file name valid too.
  const service = serviceName.replace(/[<>:"|?*\x00-\x1f]/g, '_');
  return path.join(path.dirname(modulePath), `${path.basename(modulePath, path.extname(modulePath))}.${service}.counters.man`);
}

/** The manifest of a service class, or undefined when it declares no counters. */
export function planCounters(serviceClass: ServiceClass, serviceName: string, modulePath: string, hostPath: string): CountersPlan | undefined {
  if (serviceClass.svcCounters === undefined) return undefined;
  const xml = countersManifest(serviceClass.svcCounters, { serviceName, applicationIdentity: path.win32.basename(hostPath) });
  return { manifest: countersManifestPath(modulePath, serviceName), xml, hostDir: path.win32.dirname(hostPath) };
}

/** Runs one of the counter registration tools with its arguments; throws when it fails. */
export type ToolRunner = (tool: 'lodctr' | 'unlodctr', args: string[]) => void;

/** Runs lodctr or unlodctr from System32 and throws with its output when it fails. */
function runTool(tool: 'lodctr' | 'unlodctr', args: string[]): void {
  const exe = path.win32.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', `${tool}.exe`);
  const result = spawnSync(exe, args, { encoding: 'utf8', windowsHide: true, timeout: 60_000 });
  if (result.error) throw new Error(`${tool} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(`${tool} ${args.join(' ')} failed with exit code ${result.status}${output ? `: ${output}` : ''}`);
  }
}

/** Writes the manifest and registers it; on failure nothing is left (the file is removed). */
export function registerCounters(plan: CountersPlan | undefined, run: ToolRunner = runTool): void {
  if (!plan) return;
  try {
    fs.writeFileSync(plan.manifest, plan.xml);
  } catch (error) {
    throw new Error(`could not write the performance counters manifest ${plan.manifest}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    run('lodctr', [`/m:${plan.manifest}`, plan.hostDir]);
  } catch (error) {
    fs.rmSync(plan.manifest, { force: true });
    throw new Error(`registering the performance counters failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Unregisters and deletes the manifest of service `serviceName` from module `modulePath`, if it has one. */
export function unregisterCounters(modulePath: string, serviceName: string, run: ToolRunner = runTool): void {
  const manifest = countersManifestPath(modulePath, serviceName);
  if (!fs.existsSync(manifest)) return;
  run('unlodctr', [`/m:${manifest}`]);
  fs.rmSync(manifest, { force: true });
}
