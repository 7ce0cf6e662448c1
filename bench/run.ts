/**
 * `npm run bench [-- --runs N] [--baseline-host PATH]` (or BENCH_RUNS=N, BENCH_BASELINE_HOST):
 * NodeService side by side with the floor (a minimal C service), a bare Node + koffi service and,
 * when given, another build of host.exe (the one before a change), under Wine's SCM in a private
 * prefix, and prints a table. It measures; it asserts nothing.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { bundleForWindows } from '../build/bundle.ts';
import { cache, hostExe, koffiPackage, root, windowsNode } from '../build/paths.ts';
import { compileService, examplesOut } from '../build/services.ts';
import { createPrefix, wineEnv } from '../test/wine/prefix.ts';
import { runWine, startWine, windowsPath } from '../test/wine/run.ts';
import type { ProbeResults, ProbeTask } from './probe/probe.ts';
import { formatNumber, formatTable, median, ratio } from './table.ts';

const DEFAULT_RUNS = 5;
const PIPE_CLIENTS = 8;
/** How many services share one process, or run in as many processes, in the memory comparison. */
const GROUP_SIZES = [1, 5, 10];
const SERVICES_DIR = 'C:\\Bench\\services';
const work = path.join(cache, 'bench');

interface Settings {
  runs: number;
  /** Another build of host.exe (e.g. the previous release) measured beside this one in the same run. */
  baselineHost?: string;
}

function settings(argv: string[]): Settings {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string' }, 'baseline-host': { type: 'string' } } });
  const text = values.runs ?? process.env.BENCH_RUNS ?? String(DEFAULT_RUNS);
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs (or BENCH_RUNS) must be a whole number ≥ 1, not '${text}'`);
  const baselineHost = values['baseline-host'] ?? process.env.BENCH_BASELINE_HOST;
  if (baselineHost !== undefined && !fs.existsSync(baselineHost)) throw new Error(`--baseline-host: no file at ${baselineHost}`);
  return { runs, baselineHost: baselineHost && path.resolve(baselineHost) };
}

/** Runs a Linux command, failing with its output. Returns the seconds it took. */
function timed(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  if (result.error) throw new Error(`${command} could not start (run .ci/setup.sh): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return (performance.now() - started) / 1000;
}

/** The Windows-side files: the floor exe, the bare service, the probe, the services to install. */
async function prepare(): Promise<{ floorExe: string; pipeExe: string; bareScript: string; probe: string; services: string[] }> {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const floorExe = path.join(work, 'floor-service.exe');
  timed('x86_64-w64-mingw32-gcc', ['-O2', '-s', '-o', floorExe, path.join(root, 'bench', 'floor', 'floor-service.c'), '-ladvapi32']);
  // The e2e tests' pipe client, whose `server` command is a message-mode C server (a thread per client).
  const pipeExe = path.join(work, 'pipe-client.exe');
  timed('x86_64-w64-mingw32-gcc', ['-O2', '-s', '-o', pipeExe, path.join(root, 'test', 'e2e', 'fixtures', 'pipe-client.c'), '-ladvapi32']);
  const probe = path.join(work, 'probe', 'probe.cjs');
  await bundleForWindows(path.join(root, 'bench', 'probe', 'probe.ts'), probe);
  const logRate = path.join(work, 'log-rate-service.js');
  await compileService(path.join(root, 'bench', 'services', 'log-rate-service.ts'), logRate);
  const netPipe = path.join(work, 'net-pipe-service.js');
  await compileService(path.join(root, 'bench', 'services', 'net-pipe-service.ts'), netPipe);
  const outputRate = path.join(work, 'output-rate-service.js');
  await compileService(path.join(root, 'bench', 'services', 'output-rate-service.ts'), outputRate);
  const services = [path.join(examplesOut, 'smallest-service.js'), path.join(examplesOut, 'pipe-service.js'), logRate, netPipe, outputRate];
  return { floorExe, pipeExe, bareScript: path.join(root, 'bench', 'bare', 'bare-service.cjs'), probe, services };
}

/** One prefix for the run: what runs in it, and the probe. */
class Bench {
  #tasks = 0;
  readonly env: NodeJS.ProcessEnv;
  readonly prefix: string;
  readonly #probe: string;

  constructor(prefix: string, probe: string) {
    this.prefix = prefix;
    this.env = wineEnv(prefix);
    this.#probe = probe;
  }

  /** A folder of C:\ on the Linux side. */
  drive(...parts: string[]): string {
    return path.join(this.prefix, 'drive_c', ...parts);
  }

  async host(args: string[]): Promise<void> {
    const result = await runWine(this.env, hostExe, args);
    if (result.code !== 0) throw new Error(`host.exe ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  }

  async reg(args: string[]): Promise<void> {
    const result = await runWine(this.env, 'reg', args);
    if (result.code !== 0) throw new Error(`reg ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  }

  async probe<T extends ProbeTask>(task: T, timeoutMs = 600_000): Promise<ProbeResults[T['task']]> {
    const file = path.join(work, `task-${++this.#tasks}.json`);
    fs.writeFileSync(file, JSON.stringify(task));
    const result = await runWine(this.env, windowsNode, [windowsPath(this.#probe), windowsPath(file)], timeoutMs);
    if (result.code !== 0) throw new Error(`the probe's ${task.task} task failed: ${result.stderr}${result.stdout}`);
    return JSON.parse(result.stdout) as ProbeResults[T['task']];
  }
}

const MIB = 2 ** 20;
const LIFECYCLE_ROWS: [string, (sample: ProbeResults['lifecycle'][string][number]) => number][] = [
  ['StartService → ServiceMain (ms)', (s) => s.startReturnedMs],
  ['start → RUNNING (ms)', (s) => s.runningMs],
  ['stop → STOPPED (ms)', (s) => s.stoppedMs],
  ['peak working set (MiB)', (s) => s.memory.peakWorkingSetSize / MIB],
  // Private bytes (PrivateUsage) would come next, but Wine 8 fills it from swap usage: always 0.
  ['working set (MiB)', (s) => s.memory.workingSetSize / MIB],
];

function lifecycleTable(samples: ProbeResults['lifecycle'], [floor, bare, node]: [string, string, string], baseline?: string): string {
  const rows = LIFECYCLE_ROWS.map(([label, pick]) => {
    const [f, b, n] = [floor, bare, node].map((name) => median(samples[name]!.map(pick))) as [number, number, number];
    const row = [label, formatNumber(f), formatNumber(b), ratio(b, f), formatNumber(n), ratio(n, f), ratio(n, b)];
    if (baseline === undefined) return row;
    const old = median(samples[baseline]!.map(pick));
    return [...row, formatNumber(old), ratio(old, b), ratio(n, old)];
  });
  const headers = ['Service lifecycle', 'floor (C)', 'bare Node+koffi', '×floor', 'NodeService', '×floor', '×bare'];
  return formatTable(baseline === undefined ? headers : [...headers, 'baseline host', '×bare', 'new÷baseline'], rows);
}

/**
 * The working set of K SmallestServices in one host process against K host processes. Wine's SCM
 * starts each share-process service in its own process (see host/shared-dispatch.ts), so both
 * run under `host.exe debug`: `--shared-group` (a worker per service, as a shared process under the SCM)
 * and one `debug <name>` per service.
 */
async function groupMemory(bench: Bench): Promise<string> {
  const rows: string[][] = [];
  const host = windowsPath(hostExe);
  const ready = 'service has started.';
  for (const size of GROUP_SIZES) {
    const names = Array.from({ length: size }, (_, i) => `Mem${size}x${i + 1}`);
    for (const name of names) {
      await bench.host([
        'install',
        `${SERVICES_DIR}\\smallest-service.js`,
        '--name',
        name,
        '--display-name',
        name,
        '--shared-group',
        `mem${size}`,
      ]);
    }
    const shared = await bench.probe({
      task: 'processes',
      commands: [{ file: host, args: ['debug', '--shared-group', `mem${size}`] }],
      ready,
      count: size,
    });
    const separate = await bench.probe({
      task: 'processes',
      commands: names.map((name) => ({ file: host, args: ['debug', name] })),
      ready,
      count: size,
    });
    rows.push([
      `${size} service${size > 1 ? 's' : ''}`,
      formatNumber(shared.workingSet / MIB),
      formatNumber(separate.workingSet / MIB),
      ratio(shared.workingSet, separate.workingSet),
    ]);
  }
  return formatTable(['Working set (MiB)', 'one process, a worker each', 'a process each', 'shared÷separate'], rows);
}

/** Round trips to the C message-mode server (a plain process, not a service), with the same client as PipeService's row. */
async function cPipeRoundTrips(bench: Bench, pipeExe: string): Promise<ProbeResults['pipe']> {
  const server = startWine(bench.env, pipeExe, ['server', '\\\\.\\pipe\\BenchCPipe'], 600_000);
  try {
    // Connect only once its first instance exists (the probe's client would get ENOENT before).
    for (const started = Date.now(); !server.stdout().includes('listening'); await sleep(50)) {
      if (Date.now() - started > 30_000) throw new Error(`the C pipe server did not start: ${server.stdout()}`);
    }
    const task = { task: 'pipe', pipe: '\\\\.\\pipe\\BenchCPipe', clients: PIPE_CLIENTS, durationMs: 2000 } as const;
    // The C server keeps one instance waiting: a client that comes while it makes the next one gets
    // ENOENT, and tries again (bench/probe/pipe-load.ts), as a Windows client would.
    return await bench.probe(task);
  } finally {
    server.kill();
    await server.result.catch(() => undefined);
  }
}

/** Lines per second through the capture and straight to a file, medians of the service's rounds (bench/services/output-rate-service.ts). */
async function captureRate(bench: Bench): Promise<Record<'capture' | 'direct' | 'captureUnpaced' | 'directUnpaced', number>> {
  await bench.probe({ task: 'run', name: 'BenchOutputRate', args: ['C:\\Bench\\output-rate.json', '50000'] });
  const result = JSON.parse(fs.readFileSync(bench.drive('Bench', 'output-rate.json'), 'utf8')) as Record<
    'capture' | 'direct' | 'captureUnpaced' | 'directUnpaced',
    number[]
  >;
  return {
    capture: median(result.capture),
    direct: median(result.direct),
    captureUnpaced: median(result.captureUnpaced),
    directUnpaced: median(result.directUnpaced),
  };
}

/**
 * The working set of a running service with its output captured and with `--log none`: two
 * installs of SmallestService, started and measured alike by the probe (medians of `runs`).
 */
async function captureWorkingSet(bench: Bench, runs: number): Promise<{ on: number; off: number }> {
  await bench.host(['install', `${SERVICES_DIR}\\smallest-service.js`, '--name', 'BenchCaptureOn', '--display-name', 'BenchCaptureOn']);
  await bench.host([
    'install',
    `${SERVICES_DIR}\\smallest-service.js`,
    '--name',
    'BenchCaptureOff',
    '--display-name',
    'BenchCaptureOff',
    '--log',
    'none',
  ]);
  const names = ['BenchCaptureOn', 'BenchCaptureOff'];
  await bench.probe({ task: 'lifecycle', services: names, runs: 1, settleMs: 0, pauseMs: 300 });
  const samples = await bench.probe({ task: 'lifecycle', services: names, runs, settleMs: 300, pauseMs: 300 });
  const workingSet = (name: string) => median(samples[name]!.map((sample) => sample.memory.workingSetSize));
  return { on: workingSet('BenchCaptureOn'), off: workingSet('BenchCaptureOff') };
}

async function main(argv: string[]): Promise<void> {
  const { runs, baselineHost } = settings(argv);
  console.log('building dist/host.exe (timed)…');
  const buildSeconds = timed(process.execPath, ['build/build.ts']);
  const files = await prepare();
  console.log(`running the benchmark under Wine, ${runs} run(s)…`);
  const prefix = createPrefix();
  try {
    const bench = new Bench(prefix.path, files.probe);
    fs.mkdirSync(bench.drive('Bench', 'services'), { recursive: true });
    for (const file of files.services) fs.copyFileSync(file, bench.drive('Bench', 'services', path.basename(file)));
    await bench.host(['/register', '--services-dir', SERVICES_DIR, '--force']);
    for (const file of files.services) await bench.host(['install', `${SERVICES_DIR}\\${path.basename(file)}`]);
    await bench.probe({
      task: 'create',
      services: [
        { name: 'BenchFloor', binaryPath: `"${windowsPath(files.floorExe)}"` },
        {
          name: 'BenchBare',
          binaryPath: `"${windowsPath(windowsNode)}" "${windowsPath(files.bareScript)}" "${windowsPath(koffiPackage)}"`,
        },
      ],
    });
    const trio: [string, string, string] = ['BenchFloor', 'BenchBare', 'SmallestService'];
    const measured: string[] = [...trio];
    if (baselineHost) {
      // The same SmallestService, run by the other host.exe: its binPath names that exe, its Parameters the same module.
      // A copy in the prefix: Wine runs in the test bed, which sees /tmp and the checkout, not every folder.
      const baselineCopy = bench.drive('Bench', 'baseline', 'host.exe');
      fs.mkdirSync(path.dirname(baselineCopy), { recursive: true });
      fs.copyFileSync(baselineHost, baselineCopy);
      await bench.probe({ task: 'create', services: [{ name: 'BenchBaseline', binaryPath: `"${windowsPath(baselineCopy)}"` }] });
      await bench.reg([
        'add',
        'HKLM\\SYSTEM\\CurrentControlSet\\Services\\BenchBaseline\\Parameters',
        '/v',
        'Module',
        '/d',
        `${SERVICES_DIR}\\smallest-service.js`,
        '/f',
      ]);
      await bench.reg([
        'add',
        'HKLM\\SYSTEM\\CurrentControlSet\\Services\\BenchBaseline\\Parameters',
        '/v',
        'Export',
        '/d',
        'default',
        '/f',
      ]);
      measured.push('BenchBaseline');
    }
    // One untimed round first: the first start of each pays for Wine's DLL loading and the host's addon extraction.
    await bench.probe({ task: 'lifecycle', services: measured, runs: 1, settleMs: 0, pauseMs: 300 });
    const samples = await bench.probe({ task: 'lifecycle', services: measured, runs, settleMs: 300, pauseMs: 300 });

    await bench.probe({ task: 'run', name: 'BenchLogRate', args: ['C:\\Bench\\log-rate.json', '1000'] });
    const { callsPerSecond } = JSON.parse(fs.readFileSync(bench.drive('Bench', 'log-rate.json'), 'utf8')) as { callsPerSecond: number };
    const output = await captureRate(bench);
    const captureMemory = await captureWorkingSet(bench, runs);
    const pipe = await bench.probe({
      task: 'pipe',
      service: 'PipeService',
      pipe: '\\\\.\\pipe\\NodeServicePipe',
      clients: PIPE_CLIENTS,
      durationMs: 2000,
    });
    const netPipe = await bench.probe({
      task: 'pipe',
      service: 'BenchNetPipe',
      pipe: '\\\\.\\pipe\\BenchNetPipe',
      clients: PIPE_CLIENTS,
      durationMs: 2000,
    });
    const cPipe = await cPipeRoundTrips(bench, files.pipeExe);
    const memory = await groupMemory(bench);

    console.log(`\nNodeService benchmark under Wine: medians of ${runs} run(s)\n`);
    console.log(lifecycleTable(samples, trio, baselineHost && 'BenchBaseline'));
    if (baselineHost) console.log(`(baseline host: ${baselineHost})`);
    console.log();
    console.log(
      formatTable(
        ['Throughput and build', 'value'],
        [
          ['logMsg calls/s (a service under the SCM)', formatNumber(callsPerSecond)],
          ['stdout lines/s through the capture, waiting for drain', formatNumber(output.capture)],
          ['the same lines/s to fs.createWriteStream, same run', formatNumber(output.direct)],
          ['capture ÷ createWriteStream, waiting for drain (goal ≥ 0.8)', ratio(output.capture, output.direct).replace('×', '')],
          ['stdout lines/s through the capture, as console.log writes', formatNumber(output.captureUnpaced)],
          ['the same lines/s to fs.createWriteStream, not waiting', formatNumber(output.directUnpaced)],
          ['capture ÷ createWriteStream, not waiting (goal ≥ 0.8)', ratio(output.captureUnpaced, output.directUnpaced).replace('×', '')],
          ['working set, capture on (MiB)', formatNumber(captureMemory.on / MIB)],
          ['working set, --log none (MiB)', formatNumber(captureMemory.off / MIB)],
          ['capture on − off (MiB, goal ≤ 2)', formatNumber((captureMemory.on - captureMemory.off) / MIB)],
          [`PipeService round trips/s (createPipeServer, ${PIPE_CLIENTS} concurrent clients)`, formatNumber(pipe.roundTripsPerSecond)],
          [`node:net pipe server round trips/s (a service, ${PIPE_CLIENTS} clients)`, formatNumber(netPipe.roundTripsPerSecond)],
          [`C message-mode pipe server round trips/s (${PIPE_CLIENTS} clients)`, formatNumber(cPipe.roundTripsPerSecond)],
          ['PipeService ÷ node:net pipe server', ratio(pipe.roundTripsPerSecond, netPipe.roundTripsPerSecond)],
          ['PipeService ÷ C message-mode server', ratio(pipe.roundTripsPerSecond, cPipe.roundTripsPerSecond)],
          ['host.exe build (s)', formatNumber(buildSeconds)],
        ],
      ),
    );
    console.log();
    console.log(memory);
  } finally {
    prefix.dispose();
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
