/**
 * `npm run bench:counters`: ns per counter update beside a plain JS property increment, first in
 * this process (counters over JS memory), then inside dist/host.exe under Wine, where the counters
 * are published by a PerfLib provider and every update is a write into its native memory.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileService } from '../build/services.ts';
import { publishCounters } from '../runtime/perf/publish.ts';
import { createPrefix, wineEnv } from '../test/wine/prefix.ts';
import { runWine, windowsPath } from '../test/wine/run.ts';
import { benchmarkCounters, formatMeasurements, measureCounterUpdates } from './perf-counter-measure.ts';

const hostExe = path.join(import.meta.dirname, '..', 'dist', 'host.exe');

function inThisProcess(): void {
  const set = publishCounters(benchmarkCounters, 'Benchmark', { provider: false });
  console.log(
    formatMeasurements(
      `This process (Node ${process.version} on ${process.platform}, counters over JS memory):`,
      measureCounterUpdates(set.counters),
    ),
  );
}

async function insideHostExe(): Promise<void> {
  if (!fs.existsSync(hostExe)) {
    console.log('\ndist/host.exe is missing: run "npm run build" to measure inside host.exe under Wine as well.');
    return;
  }
  const prefix = createPrefix();
  try {
    const service = path.join(prefix.path, 'drive_c', 'bench', 'perf-counter-service.js');
    await compileService(path.join(import.meta.dirname, 'perf-counter-service.ts'), service);
    const result = await runWine(wineEnv(prefix.path), hostExe, ['debug', windowsPath(service)], 300_000);
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('host.exe') || line.startsWith('  '));
    if (result.code !== 0 || lines.length === 0)
      throw new Error(`host.exe debug failed (${result.code}):\n${result.stdout}${result.stderr}`);
    console.log(`\n${lines.join('\n')}`);
  } finally {
    prefix.dispose();
  }
}

inThisProcess();
await insideHostExe();
