/**
 * `npm run demo`: builds dist/host.exe (when stale) and runs it under Wine in a fresh private prefix.
 * @module
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createPrefix, wineEnv } from '../test/wine/prefix.ts';
import { runWine } from '../test/wine/run.ts';

const root = path.resolve(import.meta.dirname, '..');
const hostExe = path.join(root, 'dist', 'host.exe');

function step(title: string): void {
  console.log(`\n== ${title}`);
}

step('build dist/host.exe');
const build = spawnSync(process.execPath, ['build/build.ts', '--if-stale'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

step('create a private Wine prefix (Windows 10)');
const prefix = createPrefix();
try {
  const env = wineEnv(prefix.path);
  console.log(prefix.path);
  let failed = false;
  for (const args of [['--version'], ['info']]) {
    step(`host.exe ${args.join(' ')}`);
    const result = await runWine(env, hostExe, args);
    process.stdout.write(result.stdout + result.stderr);
    failed ||= result.code !== 0;
  }
  process.exitCode = failed ? 1 : 0;
} finally {
  prefix.dispose();
}
