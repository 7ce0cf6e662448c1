/**
 * Ends the processes a service started, and their descendants, when the service ends: its own
 * children are known (service-worker.ts reports each spawn), their descendants are found by
 * parent process id in a snapshot of the system's processes.
 *
 * A process of its own is also in a job that ends every process left when the host ends
 * (killChildrenOnExit), which catches what a snapshot cannot: a descendant whose parent already
 * exited. In a shared group that job ends them only with the whole group; the snapshot is what
 * ends one service's processes without touching its neighbours'. Only live children are walked,
 * never a pid remembered from an exited one, which Windows may have given to another program.
 * @module
 */
import { processSnapshot, terminateProcess, type ProcessEntry } from '../runtime/win32/kernel32/processes.ts';

/** The exit code the ended processes get (1, as a console's Ctrl+C gives). */
const TERMINATED_EXIT_CODE = 1;

/** `roots` and every process descended from them in `processes`, parents before children. */
export function descendantsOf(roots: readonly number[], processes: readonly ProcessEntry[], self: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of processes) {
    if (entry.processId === entry.parentProcessId) continue;
    const list = children.get(entry.parentProcessId) ?? [];
    list.push(entry.processId);
    children.set(entry.parentProcessId, list);
  }
  const alive = new Set(processes.map((entry) => entry.processId));
  const found: number[] = [];
  const seen = new Set<number>([self]);
  const queue = roots.filter((pid) => alive.has(pid));
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** Ends `roots` and their descendants; what cannot be ended (already gone, access denied) is skipped. */
export function endProcessTrees(roots: readonly number[]): void {
  let processes: ProcessEntry[];
  try {
    processes = processSnapshot();
  } catch {
    processes = roots.map((processId) => ({ processId, parentProcessId: 0, exeFile: '' }));
  }
  // Parents first, so none of them starts another child while its children are being ended.
  for (const pid of descendantsOf(roots, processes, process.pid)) terminateProcess(pid, TERMINATED_EXIT_CODE);
}
