/**
 * Node diagnostic reports (`process.report`) about a service that crashed or had to be ended, in
 * `%ProgramData%\NodeService\logs\<service>\`. A report holds the process's environment and
 * command lines, so the logs folder is made readable by SYSTEM and Administrators only, each time
 * (any user can create folders in %ProgramData%: one planted there first must not keep its ACL).
 *
 * Who writes it: a service whose code crashed writes its own, from its own thread, as it dies
 * (service-worker.ts), with its own stack. A service stuck in a loop cannot, so the main thread
 * writes one, which holds every worker's stack. But Node's report waits for each worker to answer
 * an interrupt, and a worker that is ending never answers (node_report.cc waits on a condition
 * with no timeout): the main thread would hang for good. So the main thread writes one only when
 * the stuck service's thread is the only one in the process (always so for a process of its own).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { setFileSecurity } from '../../runtime/win32/advapi32/security.ts';
import { LOGS_DIR_SDDL, logsRoot, serviceLogsDir } from '../layout/log-folder.ts';

/** Where a report about service `name` started now goes: `report-20261202T013000123-<pid>-<n>.json`. */
export function reportPath(name: string, now: Date, pid: number, sequence: number): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '').replace('Z', '');
  return path.join(serviceLogsDir(name), `report-${stamp}-${pid}-${sequence}.json`);
}

/** How long a thread waits for another one's report to be written before it gives up its own. */
const REPORT_LOCK_WAIT_MS = 5000;

/**
 * One report at a time in the whole process: Node's report hangs when several threads write one
 * at once (seen under Wine with several services crashing together in a shared process). The lock
 * is a shared Int32 every service thread gets from the main thread (service-worker.ts).
 */
let reportLock: Int32Array = new Int32Array(new SharedArrayBuffer(4));

/** The lock to pass to service threads, or to take from the main thread in one. */
export function diagnosticsLock(shared?: Int32Array): Int32Array {
  if (shared) reportLock = shared;
  return reportLock;
}

/** This thread's mark in the lock: its threadId + 1 (0 means free). */
const owner = () => threadId + 1;

function withReportLock<T>(fn: () => T, otherwise: T): T {
  const deadline = Date.now() + REPORT_LOCK_WAIT_MS;
  for (;;) {
    const held = Atomics.compareExchange(reportLock, 0, 0, owner());
    if (held === 0) break;
    if (Date.now() > deadline) return otherwise;
    Atomics.wait(reportLock, 0, held, 50);
  }
  try {
    return fn();
  } finally {
    // A thread ended while it held the lock never gets here: its supervisor frees it (releaseDiagnosticsLock).
    Atomics.store(reportLock, 0, 0);
    Atomics.notify(reportLock, 0);
  }
}

/** Frees the lock if thread `ended` (a worker's threadId) held it when it was ended. */
export function releaseDiagnosticsLock(ended: number): void {
  if (Atomics.compareExchange(reportLock, 0, ended + 1, 0) === ended + 1) Atomics.notify(reportLock, 0);
}

/**
 * Writes a diagnostic report to `file` with `error` as its reason; false when it could not be
 * written (no rights in debug mode, a full disk): a report is help, never a reason to fail.
 */
export function writeDiagnosticReport(file: string, error: Error): boolean {
  return withReportLock(() => writeReportNow(file, error), false);
}

function writeReportNow(file: string, error: Error): boolean {
  try {
    const root = logsRoot();
    fs.mkdirSync(root, { recursive: true });
    setFileSecurity(root, LOGS_DIR_SDDL);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Network interfaces say nothing about a service and are slow to list under Wine.
    (process.report as { excludeNetwork?: boolean }).excludeNetwork = true;
    process.report.writeReport(file, error);
    return fs.existsSync(file);
  } catch {
    return false;
  }
}

let sequence = 0;

/** Where the next report about service `name` goes, from this process. */
export function nextReportFile(name: string): string {
  return reportPath(name, new Date(), process.pid, ++sequence);
}
