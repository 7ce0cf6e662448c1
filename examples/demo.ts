/**
 * `npm run demo`: builds dist/host.exe (when stale) and, in a fresh private Wine prefix, registers
 * it, installs the PipeService sample, starts it with `net start`, talks to it with the sample
 * client, then stops and removes it.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { windowsNode } from '../build/paths.ts';
import { examplesOut } from '../build/services.ts';
import { createPrefix, wineEnv } from '../test/wine/prefix.ts';
import { runWine } from '../test/wine/run.ts';

const root = path.resolve(import.meta.dirname, '..');
const hostExe = path.join(root, 'dist', 'host.exe');

console.log('== build dist/host.exe');
const build = spawnSync(process.execPath, ['build/build.ts', '--if-stale'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

console.log('== create a private Wine prefix (Windows 10)');
const prefix = createPrefix();
const env = wineEnv(prefix.path);
const servicesDir = path.join(prefix.path, 'drive_c', 'NodeService', 'services');
fs.mkdirSync(servicesDir, { recursive: true });
fs.copyFileSync(path.join(examplesOut, 'pipe-service.js'), path.join(servicesDir, 'pipe-service.js'));
fs.copyFileSync(path.join(examplesOut, 'pipe-service-client.js'), path.join(prefix.path, 'drive_c', 'pipe-service-client.js'));

const steps: [string, string, string[]][] = [
  ['host.exe /register', hostExe, ['/register', '--services-dir', 'C:\\NodeService\\services', '--force']],
  ['host.exe install', hostExe, ['install', 'C:\\NodeService\\services\\pipe-service.js']],
  ['net start PipeService', 'net', ['start', 'PipeService']],
  ['host.exe status PipeService', hostExe, ['status', 'PipeService']],
  ['the client sends two messages at once', windowsNode, ['C:\\pipe-service-client.js', 'Hello there', 'How are you?']],
  ['net stop PipeService', 'net', ['stop', 'PipeService']],
  ['host.exe remove PipeService', hostExe, ['remove', 'PipeService']],
  ['host.exe /unregister', hostExe, ['/unregister']],
];
try {
  for (const [title, program, args] of steps) {
    console.log(`\n== ${title}`);
    const result = await runWine(env, program, args);
    process.stdout.write(result.stdout + result.stderr);
    if (result.code !== 0) {
      console.error(`${title} failed with exit code ${result.code}`);
      process.exitCode = 1;
      break;
    }
  }
} finally {
  prefix.dispose();
}
