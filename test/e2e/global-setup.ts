/**
 * The end-to-end bench: builds dist/host.exe when stale, creates the run's private Wine prefix
 * and removes it at the end, also after a failure. On Windows there is no prefix: the tests run
 * on the machine itself (its registry, SCM and Event Log), as an administrator.
 * @module
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { underWine } from '../platform.ts';
import { createPrefix } from '../wine/prefix.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The private WINEPREFIX of this run ('' on Windows, which has none). */
    winePrefix: string;
  }
}

const root = path.resolve(import.meta.dirname, '..', '..');

export default function setup(project: TestProject): () => void {
  const build = spawnSync(process.execPath, ['build/build.ts', '--if-stale'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) throw new Error('building dist/host.exe failed (see above)');
  if (!underWine) {
    project.provide('winePrefix', '');
    return () => {};
  }
  const prefix = createPrefix({ traceServices: true });
  project.provide('winePrefix', prefix.path);
  return prefix.dispose;
}
