/**
 * Ends the processes a service started, and their descendants, when the service ends. Its own
 * children are known (service-worker.ts reports each spawn) and are opened at once on the main
 * thread: an open handle keeps a pid from going to another process, so the host, which may run as
 * LocalSystem, never ends a stranger that happens to get a child's pid after the child exited.
 * Descendants are found by parent process id in a snapshot of the system's processes, and count
 * only when created after their parent (a parent id can name an older, unrelated process whose pid
 * was reused).
 *
 * A process of its own is also in a job that ends every process left when the host ends
 * (killChildrenOnExit), which catches what the snapshot cannot: a descendant whose parent already
 * exited. In a shared group that job ends them only with the whole group; the snapshot is what
 * ends one service's processes without touching its neighbours'.
 * @module
 */
import {
  closeOwnedProcess,
  openOwnedProcess,
  processSnapshot,
  terminateOwnedProcess,
  type OwnedProcess,
  type ProcessEntry,
} from '../../runtime/win32/kernel32/processes.ts';

/** The exit code the ended processes get (1, as a console's Ctrl+C gives). */
const TERMINATED_EXIT_CODE = 1;

/** What the supervisor needs: the service's children as they come and go, and ending them all. */
export interface ChildProcesses {
  add(processId: number): void;
  exited(processId: number): void;
  /** Ends every live child with its descendants. */
  endAll(): void;
}

/**
 * `roots` and every process descended from them in `processes`, parents before children, never
 * `self`; a child counts only when `createdAt` says it was created no earlier than its parent.
 */
export function descendantsOf(
  roots: readonly number[],
  processes: readonly ProcessEntry[],
  self: number,
  createdAt: (processId: number) => bigint | undefined = () => 0n,
): number[] {
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
    const born = createdAt(pid);
    for (const child of children.get(pid) ?? []) {
      const childBorn = createdAt(child);
      if (born !== undefined && childBorn !== undefined && childBorn >= born) queue.push(child);
    }
  }
  return found;
}

/** The children of one service, held open from the moment they are reported. */
export function serviceChildren(): ChildProcesses {
  const owned = new Map<number, { process: OwnedProcess; createdAt: bigint }>();
  const release = (pid: number) => {
    const entry = owned.get(pid);
    if (entry) closeOwnedProcess(entry.process);
    owned.delete(pid);
  };
  return {
    add(pid) {
      if (owned.has(pid)) return;
      const entry = openOwnedProcess(pid);
      if (entry) owned.set(pid, entry);
    },
    exited: release,
    endAll() {
      if (owned.size === 0) return;
      let processes: ProcessEntry[];
      try {
        processes = processSnapshot();
      } catch {
        processes = [...owned.keys()].map((processId) => ({ processId, parentProcessId: 0, exeFile: '' }));
      }
      const createdAt = (pid: number) => {
        if (!owned.has(pid)) {
          const entry = openOwnedProcess(pid);
          if (entry) owned.set(pid, entry);
        }
        return owned.get(pid)?.createdAt;
      };
      // Parents first, so none of them starts another child while its children are being ended.
      for (const pid of descendantsOf([...owned.keys()], processes, process.pid, createdAt)) {
        const entry = owned.get(pid);
        if (entry) terminateOwnedProcess(entry.process, TERMINATED_EXIT_CODE);
      }
      for (const pid of [...owned.keys()]) release(pid);
    },
  };
}
