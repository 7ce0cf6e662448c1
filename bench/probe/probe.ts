/**
 * The benchmark's Windows side, run by build/win32's node.exe under Wine (bundled with the
 * runtime's FFI layer by bench/run.ts): `node.exe probe.cjs <task.json>` does one task and
 * prints its result as JSON.
 * @module
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceControl, ServiceState } from '../../runtime/service/constants.ts';
import { ServiceManager } from '../../runtime/control/service-manager.ts';
import { controlService, startService } from '../../runtime/win32/advapi32/services.ts';
import { lifecycle, waitFor, whenStopped, ProbeService, type LifecycleSample } from './measure.ts';
import { pipeRoundTrips } from './pipe-load.ts';
import { processesMemory, type Command } from './processes.ts';

/** What the probe can be asked to do. */
export type ProbeTask =
  | { task: 'create'; services: { name: string; binaryPath: string }[] }
  | { task: 'lifecycle'; services: string[]; runs: number; settleMs: number; pauseMs: number }
  | { task: 'run'; name: string; args: string[] }
  | { task: 'pipe'; service?: string; pipe: string; clients: number; durationMs: number }
  | { task: 'processes'; commands: Command[]; ready: string; count: number };

/** The probe's answer to each task. */
export interface ProbeResults {
  create: { created: string[] };
  lifecycle: Record<string, LifecycleSample[]>;
  run: { stopped: true };
  pipe: { roundTripsPerSecond: number };
  processes: { pids: number[]; workingSet: number };
}

function create(services: { name: string; binaryPath: string }[]): ProbeResults['create'] {
  using manager = ServiceManager.connect({}, ['CONNECT', 'CREATE_SERVICE']);
  for (const { name, binaryPath } of services) {
    using _service = manager.create({
      name,
      displayName: name,
      binaryPath,
      serviceType: 'WIN32_OWN_PROCESS',
      startup: 'manual',
      errorControl: 'normal',
    });
  }
  return { created: services.map((service) => service.name) };
}

/** Interleaves the services run by run, so a slow moment of the machine hits them all alike. */
async function lifecycles(task: Extract<ProbeTask, { task: 'lifecycle' }>): Promise<ProbeResults['lifecycle']> {
  const samples: Record<string, LifecycleSample[]> = Object.fromEntries(task.services.map((name) => [name, []]));
  for (let run = 0; run < task.runs; run++) {
    for (const name of task.services) {
      samples[name]!.push(await lifecycle(name, task.settleMs));
      // Lets the stopped process exit before the next start.
      await sleep(task.pauseMs);
    }
  }
  return samples;
}

async function runToStop(name: string, args: string[]): Promise<ProbeResults['run']> {
  {
    using service = new ProbeService(name);
    await startService(service.handle, args);
  }
  await whenStopped(name);
  return { stopped: true };
}

/** Runs `use` while service `name` is RUNNING. */
async function whileRunning<T>(name: string, use: () => Promise<T>): Promise<T> {
  {
    using service = new ProbeService(name);
    await startService(service.handle);
    await waitFor(service.handle, ServiceState.RUNNING);
  }
  try {
    return await use();
  } finally {
    using service = new ProbeService(name);
    await controlService(service.handle, ServiceControl.STOP);
    await waitFor(service.handle, ServiceState.STOPPED);
  }
}

async function perform(task: ProbeTask): Promise<unknown> {
  switch (task.task) {
    case 'create':
      return create(task.services);
    case 'lifecycle':
      return lifecycles(task);
    case 'run':
      return runToStop(task.name, task.args);
    case 'pipe': {
      const measure = async () => ({ roundTripsPerSecond: await pipeRoundTrips(task.pipe, task.clients, task.durationMs) });
      // Without a service: a server the bench started itself (the C server).
      return task.service === undefined ? measure() : whileRunning(task.service, measure);
    }
    case 'processes':
      return processesMemory(task.commands, task.ready, task.count);
  }
}

async function main(taskFile: string): Promise<void> {
  try {
    const task = JSON.parse(fs.readFileSync(taskFile, 'utf8')) as ProbeTask;
    console.log(JSON.stringify(await perform(task)));
  } catch (error) {
    console.error(`probe failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  }
}

void main(process.argv[2]!);
