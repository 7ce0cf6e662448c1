/**
 * psapi.dll: a process's memory counters (what Task Manager shows as working set and commit size).
 * https://learn.microsoft.com/windows/win32/api/psapi/nf-psapi-getprocessmemoryinfo
 * @module
 */
import { bindLibrary } from './koffi.ts';
import type { ProcessHandle } from './kernel32.ts';
import { lastError } from './errors.ts';

/** PROCESS_MEMORY_COUNTERS_EX, in bytes. */
export interface ProcessMemoryCounters {
  /** The most physical memory the process has used at once. */
  peakWorkingSetSize: number;
  /** The physical memory it uses now. */
  workingSetSize: number;
  /** Its private committed memory ("private bytes"). */
  privateUsage: number;
}

const api = bindLibrary('psapi.dll', (dll, k) => {
  const size = 'size_t';
  k.struct('PROCESS_MEMORY_COUNTERS_EX', {
    cb: 'uint32',
    PageFaultCount: 'uint32',
    PeakWorkingSetSize: size,
    WorkingSetSize: size,
    QuotaPeakPagedPoolUsage: size,
    QuotaPagedPoolUsage: size,
    QuotaPeakNonPagedPoolUsage: size,
    QuotaNonPagedPoolUsage: size,
    PagefileUsage: size,
    PeakPagefileUsage: size,
    PrivateUsage: size,
  });
  return {
    size: k.sizeof('PROCESS_MEMORY_COUNTERS_EX'),
    GetProcessMemoryInfo: dll.func(
      'bool __stdcall GetProcessMemoryInfo(void *process, _Out_ PROCESS_MEMORY_COUNTERS_EX *counters, uint32 size)',
    ),
  };
});

/** GetProcessMemoryInfo of a process opened with QUERY_INFORMATION and VM_READ. */
export function getProcessMemoryInfo(process: ProcessHandle): ProcessMemoryCounters {
  const out: Record<string, number>[] = [{}];
  if (!api().GetProcessMemoryInfo(process, out, api().size)) throw lastError('GetProcessMemoryInfo');
  const raw = out[0]!;
  return {
    peakWorkingSetSize: Number(raw.PeakWorkingSetSize),
    workingSetSize: Number(raw.WorkingSetSize),
    privateUsage: Number(raw.PrivateUsage),
  };
}
