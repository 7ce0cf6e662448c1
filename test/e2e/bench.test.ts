import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { underWine } from '../platform.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The data rows of each printed table: the lines under a header's dashes, up to a blank line. */
function tableRows(output: string): Map<string, string[][]> {
  const tables = new Map<string, string[][]>();
  const lines = output.split('\n');
  lines.forEach((line, index) => {
    if (!/^-+(\s+-+)+$/.test(line)) return;
    const rows: string[][] = [];
    for (const row of lines.slice(index + 1)) {
      if (row.trim() === '') break;
      rows.push(row.split(/\s{2,}/));
    }
    tables.set(lines[index - 1]!.split(/\s{2,}/)[0]!, rows);
  });
  return tables;
}

// bench/run.ts measures under a Wine prefix of its own (Wine's SCM, /proc for working sets): not on Windows.
describe.skipIf(!underWine)('npm run bench', () => {
  // It prints measurements and asserts none: this keeps it running, not its timings.
  it('runs once per service and prints a complete table', { timeout: 600_000 }, () => {
    const result = spawnSync(process.execPath, ['bench/run.ts', '--runs', '1'], { cwd: root, encoding: 'utf8' });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const tables = tableRows(result.stdout);
    expect([...tables.keys()]).toEqual(['Service lifecycle', 'Throughput and build', 'Working set (MiB)']);
    expect(tables.get('Working set (MiB)')!.map((row) => row[0])).toEqual(['1 service', '5 services', '10 services']);
    expect(tables.get('Service lifecycle')!.map((row) => row[0])).toEqual([
      'StartService → ServiceMain (ms)',
      'start → RUNNING (ms)',
      'stop → STOPPED (ms)',
      'peak working set (MiB)',
      'working set (MiB)',
    ]);
    for (const rows of tables.values()) {
      for (const [label, ...cells] of rows) {
        expect(cells.length, label).toBeGreaterThan(0);
        // A difference row (label with '−') is signed: capture on − off is below 0 when memory noise says so.
        const number = label.includes('−') ? /^-?\d[\d,]*(\.\d+)?$/ : /^×?\d[\d,]*(\.\d+)?$/;
        for (const cell of cells) expect(cell, label).toMatch(number);
      }
    }
  });

  it('refuses a bad --runs with a clear message', () => {
    const result = spawnSync(process.execPath, ['bench/run.ts', '--runs', 'many'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--runs (or BENCH_RUNS) must be a whole number ≥ 1, not 'many'");
  });
});
