/**
 * The selftest's proofs that need Windows' own services: the selftest service's Event Log entry
 * read back with its text resolved from host.exe's message table, its counter set read through
 * PDH, and a crashing service restarted by the SCM's failure action. Wine's Event Log stores
 * nothing, its lodctr and PDH know no counter set of ours, and its SCM runs no failure actions:
 * there each is reported as not shown (and the crashing service is not even installed), never
 * as a failure. The services' modules are in this file so what they do and what is checked sit
 * side by side.
 * @module
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventLog, safeFormatMessage } from '../../runtime/eventlog/reader.ts';
import { query } from '../../runtime/perf/query.ts';
import { queryStatus, start } from '../../runtime/control/service-control.ts';
import { ServiceState } from '../../runtime/service/constants.ts';
import { isWine } from '../../runtime/win32/kernel32.ts';
import type { Finding } from './finding.ts';

/** The value the selftest service sets its counter to, and PDH must read. */
export const PROOF_VALUE = 42;

/** The counter set of selftest run `id` (its own name: nothing else on the machine has it). */
export function proofCounterSet(id: string): string {
  return `NodeService selftest ${id}`;
}

/** The text the selftest service logs at its start (an information entry, MSG_INFO_TEXT). */
export function proofLogText(id: string): string {
  return `NodeService selftest ${id}: the Event Log entry of its start`;
}

/** The own-process service: logs its entry, publishes its counter, pauses, continues, runs until stopped. */
export function provingModule(id: string): string {
  return `'use strict';
// Written by "host.exe doctor --selftest" and removed by it.
const { once } = require('node:events');
const { ServiceFramework, defineCounters, logInfoMsg } = require('nodeservice');
const counters = defineCounters({
  name: ${JSON.stringify(proofCounterSet(id))},
  description: 'Published by host.exe doctor --selftest, removed with it',
  counters: { proof: { name: 'Proof', description: 'Set to ${PROOF_VALUE} by the selftest service', type: 'count' } },
});
class NodeServiceSelftest extends ServiceFramework {
  static svcCounters = counters;
  async svcDoRun() {
    this.counters.proof.set(${PROOF_VALUE});
    logInfoMsg(${JSON.stringify(proofLogText(id))});
    await once(this.stopSignal, 'abort');
  }
  svcPause() {}
  svcContinue() {}
}
module.exports = NodeServiceSelftest;
`;
}

/** The crashing service: its first run leaves a marker and throws; a run after that keeps running until stopped. */
export function crashingModule(marker: string): string {
  return `'use strict';
// Written by "host.exe doctor --selftest" and removed by it.
const fs = require('node:fs');
const { once } = require('node:events');
const { ServiceFramework } = require('nodeservice');
class NodeServiceSelftestCrash extends ServiceFramework {
  async svcDoRun() {
    if (!fs.existsSync(${JSON.stringify(marker)})) {
      fs.writeFileSync(${JSON.stringify(marker)}, 'crashed once');
      throw new Error('the selftest crash: the SCM must restart this service');
    }
    await once(this.stopSignal, 'abort');
  }
}
module.exports = NodeServiceSelftestCrash;
`;
}

/** How long the proofs wait for Windows to show what they look for. */
const PROOF_WAIT_MS = 15_000;

/** The selftest service's entry, read back from the Application log with its text (the service runs). */
export async function eventLogProof(service: string, id: string): Promise<Finding> {
  const subject = 'selftest Event Log';
  if (isWine())
    return { subject, status: 'not-shown', message: `${service} logged its start: Wine stores no Event Log entries to read back` };
  const wanted = proofLogText(id);
  for (const deadline = Date.now() + PROOF_WAIT_MS; Date.now() < deadline; await sleep(250)) {
    using log = EventLog.open('Application');
    let read = 0;
    for await (const record of log.records({ direction: 'backwards' })) {
      if (++read > 500) break;
      if (record.sourceName.toLowerCase() !== service.toLowerCase()) continue;
      const text = safeFormatMessage(record).trim();
      if (text.includes(wanted)) return { subject, status: 'ok', message: `record ${record.recordNumber} of ${service} reads "${text}"` };
    }
  }
  return {
    subject,
    status: 'error',
    message: `${service} logged "${wanted}" at its start, but the Application log has no such entry of source ${service}`,
    fix: 'check that the Windows Event Log service runs and that the Application log is not full (wevtutil gl Application)',
  };
}

/** The selftest service's counter, read through PDH (the service runs). */
export async function counterProof(id: string): Promise<Finding> {
  const subject = 'selftest counters';
  const path = `\\${proofCounterSet(id)}\\Proof`;
  if (isWine()) return { subject, status: 'not-shown', message: `${path}: Wine's lodctr and PDH know no counter set but their own` };
  try {
    const value = await query(path, { interval: 500 });
    if (value === PROOF_VALUE) return { subject, status: 'ok', message: `${path} = ${value}, read through PDH` };
    return { subject, status: 'error', message: `${path} = ${value} through PDH, not the ${PROOF_VALUE} the service set` };
  } catch (error) {
    return {
      subject,
      status: 'error',
      message: `${path} cannot be read through PDH: ${(error as Error).message}`,
      fix: 'check that lodctr works on this machine (lodctr /q) and that the Performance Counter DLL Host service is not disabled',
    };
  }
}

/** Starts the crashing service and waits for the SCM's failure action to have it running again. */
export async function failureActionProof(service: string, marker: string): Promise<Finding> {
  const subject = 'selftest failure actions';
  try {
    await start(service);
  } catch {
    // Its first run fails by design; the SCM's answer to the start may already say so.
  }
  for (const deadline = Date.now() + PROOF_WAIT_MS; Date.now() < deadline; await sleep(250)) {
    if (fs.existsSync(marker) && queryStatus(service).currentState === ServiceState.RUNNING)
      return { subject, status: 'ok', message: `${service} crashed at its first start and the SCM's failure action started it again` };
  }
  const crashed = fs.existsSync(marker);
  return {
    subject,
    status: 'error',
    message: crashed
      ? `${service} crashed and was not restarted within ${PROOF_WAIT_MS / 1000} s (restart/1000, acting on non-crash failures)`
      : `${service} did not run its first time: the crash that proves restarts did not happen`,
  };
}

/** Under Wine, the failure actions' finding without installing anything. */
export function failureActionsNotShown(): Finding {
  return {
    subject: 'selftest failure actions',
    status: 'not-shown',
    message: "Wine's SCM runs no failure actions: a crashed service is not restarted here",
  };
}
