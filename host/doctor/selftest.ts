/**
 * `doctor --selftest`: proves the whole path on this machine with services of its own. It writes a
 * small pausable service module into a fresh folder of the services folder, installs it three
 * times (one in a process of its own, two in a shared group of their own), starts, pauses,
 * continues and stops the first (reading back its Event Log entry and its counter on the way:
 * selftest-proofs.ts), starts the two shared ones and compares their process ids, has a fourth
 * service crash and be restarted by its failure action, and removes everything again, whatever
 * happened. Its services are named `NodeServiceSelftest-<id>`, and a run that was killed halfway
 * is cleaned up by the next one (services of this host with that prefix, and the folders). Under
 * Wine, what its SCM, Event Log and PDH cannot show is reported as not shown.
 * @module
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { requireAdministrator } from '../../installer/admin.ts';
import { install, remove } from '../../installer/install.ts';
import { readRegistration, servicesUsingHost, type Registration } from '../layout/registry-layout.ts';
import { continue as resume, pause, queryStatus, start, stop } from '../../runtime/control/service-control.ts';
import { ServiceState } from '../../runtime/service/constants.ts';
import { isWine } from '../../runtime/win32/kernel32.ts';
import type { Finding } from './finding.ts';
import {
  counterProof,
  crashingModule,
  eventLogProof,
  failureActionProof,
  failureActionsNotShown,
  provingModule,
} from './selftest-proofs.ts';

/** The prefix of the selftest's service names and folders. */
export const SELFTEST_PREFIX = 'NodeServiceSelftest-';

/** The shared services the selftest installs: they run until stopped (the own-process one also proves more: selftest-proofs.ts). */
const SELFTEST_MODULE = `'use strict';
// Written by "host.exe doctor --selftest" and removed by it.
const { once } = require('node:events');
const { ServiceFramework } = require('nodeservice');
class NodeServiceSelftest extends ServiceFramework {
  async svcDoRun() {
    await once(this.stopSignal, 'abort');
  }
  svcPause() {}
  svcContinue() {}
}
module.exports = NodeServiceSelftest;
`;

const STATE_NAMES: Record<number, string> = {
  1: 'STOPPED',
  2: 'START_PENDING',
  3: 'STOP_PENDING',
  4: 'RUNNING',
  5: 'CONTINUE_PENDING',
  6: 'PAUSE_PENDING',
  7: 'PAUSED',
};

/** Removes what an earlier selftest left (it was killed halfway): its services and folders. */
function removeLeftovers(registration: Registration): Promise<string[]> {
  const names = servicesUsingHost(registration.hostPath).filter((name) => name.startsWith(SELFTEST_PREFIX));
  for (const entry of fs.existsSync(registration.servicesDir) ? fs.readdirSync(registration.servicesDir) : []) {
    if (entry.startsWith(`.${SELFTEST_PREFIX}`)) fs.rmSync(path.join(registration.servicesDir, entry), { recursive: true, force: true });
  }
  return names.reduce<Promise<string[]>>(async (done, name) => {
    const list = await done;
    await remove(name);
    return [...list, name];
  }, Promise.resolve([]));
}

async function expectState(subject: string, what: string, act: () => Promise<{ currentState: number }>, want: number): Promise<Finding> {
  try {
    const status = await act();
    if (status.currentState === want) return { subject, status: 'ok', message: `${what}: ${STATE_NAMES[want]}` };
    return {
      subject,
      status: 'error',
      message: `${what}: ${STATE_NAMES[status.currentState] ?? status.currentState}, not ${STATE_NAMES[want]}`,
    };
  } catch (error) {
    return { subject, status: 'error', message: `${what} failed: ${(error as Error).message}` };
  }
}

/** Runs the selftest; every step is a finding, and everything it made is removed at the end. */
export async function selftest(): Promise<Finding[]> {
  try {
    requireAdministrator('doctor --selftest');
  } catch (error) {
    return [
      {
        subject: 'selftest',
        status: 'error',
        message: (error as Error).message,
        fix: 'run "host.exe doctor --selftest" from an elevated prompt',
      },
    ];
  }
  const registration = readRegistration();
  if (!registration)
    return [
      {
        subject: 'selftest',
        status: 'error',
        message: 'this machine has no registered host: nothing can be installed',
        fix: 'run "host.exe /register" (as administrator) first',
      },
    ];
  const findings: Finding[] = [];
  const leftovers = await removeLeftovers(registration);
  if (leftovers.length)
    findings.push({ subject: 'selftest', status: 'warning', message: `removed what an earlier selftest left: ${leftovers.join(', ')}` });
  const id = randomBytes(4).toString('hex');
  const folder = path.join(registration.servicesDir, `.${SELFTEST_PREFIX}${id}`);
  const own = `${SELFTEST_PREFIX}${id}`;
  const shared = [`${own}-a`, `${own}-b`];
  const group = `selftest-${id}`;
  const installed: string[] = [];
  try {
    fs.mkdirSync(folder);
    const provingPath = path.join(folder, 'selftest-service.cjs');
    fs.writeFileSync(provingPath, provingModule(id));
    const sharedPath = path.join(folder, 'shared-service.cjs');
    fs.writeFileSync(sharedPath, SELFTEST_MODULE);
    // No capture (nothing left in the logs folder) and no failure actions (a crash must not restart it).
    const options = { description: 'Installed and removed by "host.exe doctor --selftest"', log: { none: true }, failure: { actions: [] } };
    installed.push(await install({ modulePath: provingPath }, { ...options, name: own, displayName: own }));
    for (const name of shared) {
      installed.push(await install({ modulePath: sharedPath }, { ...options, name, displayName: name, sharedGroup: group }));
    }
    findings.push({
      subject: 'selftest install',
      status: 'ok',
      message: `installed ${own} (own process), ${shared.join(' and ')} (shared group ${group})`,
    });
    findings.push(await expectState('selftest start', `start ${own}`, () => start(own), ServiceState.RUNNING));
    findings.push(await eventLogProof(own, id), await counterProof(id));
    findings.push(await expectState('selftest pause', `pause ${own}`, () => pause(own), ServiceState.PAUSED));
    findings.push(await expectState('selftest continue', `continue ${own}`, () => resume(own), ServiceState.RUNNING));
    findings.push(await expectState('selftest stop', `stop ${own}`, () => stop(own), ServiceState.STOPPED));
    const exitCode = queryStatus(own).win32ExitCode;
    if (exitCode !== 0)
      findings.push({ subject: 'selftest stop', status: 'error', message: `${own} stopped with exit code ${exitCode}, not 0` });
    findings.push(...(await sharedGroupFindings(shared)));
    findings.push(await failureActions(folder, `${own}-crash`, options, installed));
  } catch (error) {
    findings.push({ subject: 'selftest', status: 'error', message: `stopped: ${(error as Error).message}` });
  } finally {
    findings.push(await cleanUp(installed, folder));
  }
  return findings;
}

/** A service that crashes once, restarted by the SCM (on Windows; under Wine, not shown and not installed). */
async function failureActions(
  folder: string,
  name: string,
  options: { description: string; log: { none: boolean } },
  installed: string[],
): Promise<Finding> {
  if (isWine()) return failureActionsNotShown();
  const marker = path.join(folder, 'crashed.txt');
  const modulePath = path.join(folder, 'crash-service.cjs');
  fs.writeFileSync(modulePath, crashingModule(marker));
  const failure = { actions: [{ type: 'restart' as const, delay: 1000 }], resetPeriod: 86400, onNonCrashFailures: true };
  installed.push(await install({ modulePath }, { ...options, failure, name, displayName: name }));
  const finding = await failureActionProof(name, marker);
  await stop(name).catch(() => undefined);
  return finding;
}

async function sharedGroupFindings(names: readonly string[]): Promise<Finding[]> {
  const subject = 'selftest shared group';
  const started: Finding[] = [];
  for (const name of names) started.push(await expectState(subject, `start ${name}`, () => start(name), ServiceState.RUNNING));
  const failed = started.filter((finding) => finding.status !== 'ok');
  if (failed.length) return failed;
  const pids = names.map((name) => queryStatus(name).processId);
  const findings: Finding[] = [];
  if (pids[0] === pids[1]) findings.push({ subject, status: 'ok', message: `${names.join(' and ')} run in one process (${pids[0]})` });
  else if (isWine())
    findings.push({
      subject,
      status: 'not-shown',
      message: `${names.join(' and ')} run, in processes ${pids.join(' and ')}: Wine's SCM starts each shared service in a process of its own`,
    });
  else
    findings.push({
      subject,
      status: 'error',
      message: `${names.join(' and ')} run in two processes (${pids.join(', ')}) although they share a group`,
    });
  const stopped: Finding[] = [];
  for (const name of names) stopped.push(await expectState(subject, `stop ${name}`, () => stop(name), ServiceState.STOPPED));
  return [...findings, ...stopped.filter((finding) => finding.status !== 'ok')];
}

async function cleanUp(installed: readonly string[], folder: string): Promise<Finding> {
  const subject = 'selftest cleanup';
  const problems: string[] = [];
  for (const name of installed) {
    try {
      await remove(name);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  try {
    fs.rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    problems.push(`${folder}: ${(error as Error).message}`);
  }
  if (problems.length)
    return {
      subject,
      status: 'error',
      message: `could not remove everything: ${problems.join('; ')}`,
      fix: 'run "host.exe doctor --selftest" again: it removes what an earlier run left',
    };
  return { subject, status: 'ok', message: `removed ${installed.length} service(s) and ${folder}` };
}
