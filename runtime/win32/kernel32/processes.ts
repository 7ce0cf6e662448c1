/**
 * kernel32.dll, process surface: job objects (so a host's children end with it), the process
 * snapshot (to find a service's descendants) and the processes the host holds to end them. Kept apart from
 * kernel32.ts, which holds what every other module needs (errors, messages, modules).
 * https://learn.microsoft.com/windows/win32/procthread/job-objects
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import { ErrorCode, lastError } from '../errors.ts';
import { OwnedHandle } from '../owned-handle.ts';

/** A job object handle (HANDLE), kept open for the life of the process on purpose. */
export type JobHandle = { readonly __brand: 'JOB_HANDLE' };

/** An open handle to a process the host may end: the pid cannot go to another process while it is open. */
export type OwnedProcess = { readonly __brand: 'OWNED_PROCESS' };

/** A running process as the snapshot lists it. */
export interface ProcessEntry {
  processId: number;
  parentProcessId: number;
  exeFile: string;
}

/** JOBOBJECTINFOCLASS.JobObjectExtendedLimitInformation. */
const JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9;
/** Ends every process of the job when its last handle closes: the host's own exit. */
const JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000;
const TH32CS_SNAPPROCESS = 0x2;
const INVALID_HANDLE_VALUE = -1n;
const PROCESS_TERMINATE = 0x1;
const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
const SYNCHRONIZE = 0x100000;
const MAX_PATH = 260;

const api = bindLibrary('kernel32.dll', (dll, k) => {
  const basic = k.struct('JOBOBJECT_BASIC_LIMIT_INFORMATION', {
    PerProcessUserTimeLimit: 'int64',
    PerJobUserTimeLimit: 'int64',
    LimitFlags: 'uint32',
    MinimumWorkingSetSize: 'size_t',
    MaximumWorkingSetSize: 'size_t',
    ActiveProcessLimit: 'uint32',
    Affinity: 'uintptr_t',
    PriorityClass: 'uint32',
    SchedulingClass: 'uint32',
  });
  const io = k.struct('IO_COUNTERS', {
    ReadOperationCount: 'uint64',
    WriteOperationCount: 'uint64',
    OtherOperationCount: 'uint64',
    ReadTransferCount: 'uint64',
    WriteTransferCount: 'uint64',
    OtherTransferCount: 'uint64',
  });
  const extended = k.struct('JOBOBJECT_EXTENDED_LIMIT_INFORMATION', {
    BasicLimitInformation: basic,
    IoInfo: io,
    ProcessMemoryLimit: 'size_t',
    JobMemoryLimit: 'size_t',
    PeakProcessMemoryUsed: 'size_t',
    PeakJobMemoryUsed: 'size_t',
  });
  k.struct('PROCESSENTRY32W', {
    dwSize: 'uint32',
    cntUsage: 'uint32',
    th32ProcessID: 'uint32',
    th32DefaultHeapID: 'uintptr_t',
    th32ModuleID: 'uint32',
    cntThreads: 'uint32',
    th32ParentProcessID: 'uint32',
    pcPriClassBase: 'int32',
    dwFlags: 'uint32',
    szExeFile: k.array('char16_t', MAX_PATH, 'String'),
  });
  return {
    address: (pointer: unknown) => k.address(pointer) as bigint,
    extendedSize: k.sizeof(extended),
    entrySize: k.sizeof('PROCESSENTRY32W'),
    CreateJobObjectW: dll.func('void * __stdcall CreateJobObjectW(void *attributes, const char16_t *name)'),
    SetInformationJobObject: dll.func(
      'bool __stdcall SetInformationJobObject(void *job, int infoClass, const JOBOBJECT_EXTENDED_LIMIT_INFORMATION *info, uint32 size)',
    ),
    AssignProcessToJobObject: dll.func('bool __stdcall AssignProcessToJobObject(void *job, void *process)'),
    GetCurrentProcess: dll.func('void * __stdcall GetCurrentProcess()'),
    CreateToolhelp32Snapshot: dll.func('void * __stdcall CreateToolhelp32Snapshot(uint32 flags, uint32 processId)'),
    Process32FirstW: dll.func('bool __stdcall Process32FirstW(void *snapshot, _Inout_ PROCESSENTRY32W *entry)'),
    Process32NextW: dll.func('bool __stdcall Process32NextW(void *snapshot, _Inout_ PROCESSENTRY32W *entry)'),
    OpenProcess: dll.func('void * __stdcall OpenProcess(uint32 access, bool inherit, uint32 processId)'),
    TerminateProcess: dll.func('bool __stdcall TerminateProcess(void *process, uint32 exitCode)'),
    CloseHandle: dll.func('bool __stdcall CloseHandle(void *handle)'),
    GetProcessTimes: dll.func(
      'bool __stdcall GetProcessTimes(void *process, _Out_ uint64 *creation, _Out_ uint64 *exit, _Out_ uint64 *kernel, _Out_ uint64 *user)',
    ),
  };
});

/**
 * Puts this process in a new job that ends all of its processes when the job's last handle
 * closes, that is when this process ends, however it ends. Children started later are in the job
 * too, and so are their descendants: the job allows no breakaway. (libuv puts each child in a job
 * of its own that allows silent breakaway; since Windows 8 that job nests inside this one, and a
 * grandchild breaking away from it stops at this one, which does not allow breakaway.)
 * https://learn.microsoft.com/windows/win32/procthread/nested-jobs
 */
export function killChildrenOnExit(): JobHandle {
  const a = api();
  const job = a.CreateJobObjectW(null, null);
  if (job === null) throw lastError('CreateJobObjectW');
  const info = {
    BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE },
  };
  if (!a.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, info, a.extendedSize)) {
    const error = lastError('SetInformationJobObject');
    a.CloseHandle(job);
    throw error;
  }
  if (!a.AssignProcessToJobObject(job, a.GetCurrentProcess())) {
    const error = lastError('AssignProcessToJobObject');
    a.CloseHandle(job);
    throw error;
  }
  return job as JobHandle;
}

/** Every process running now, with its parent's id. https://learn.microsoft.com/windows/win32/api/tlhelp32/nf-tlhelp32-createtoolhelp32snapshot */
export function processSnapshot(): ProcessEntry[] {
  const a = api();
  const snapshot = a.CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snapshot === null || BigInt.asIntN(64, a.address(snapshot)) === INVALID_HANDLE_VALUE) throw lastError('CreateToolhelp32Snapshot');
  using _owned = new OwnedHandle(snapshot, closeKernelHandle, 'process snapshot');
  const entries: ProcessEntry[] = [];
  const entry: Record<string, unknown> = { dwSize: a.entrySize };
  let ok = a.Process32FirstW(snapshot, entry);
  while (ok) {
    entries.push({
      processId: entry.th32ProcessID as number,
      parentProcessId: entry.th32ParentProcessID as number,
      exeFile: entry.szExeFile as string,
    });
    ok = a.Process32NextW(snapshot, entry);
  }
  const error = lastError('Process32NextW');
  if (error.code !== ErrorCode.ERROR_NO_MORE_FILES && entries.length === 0) throw error;
  return entries;
}

/** CloseHandle, throwing its error. */
function closeKernelHandle(handle: unknown): void {
  if (!api().CloseHandle(handle)) throw lastError('CloseHandle');
}

/**
 * Opens process `processId` to end it later, with its creation time (FILETIME, 100 ns since 1601);
 * undefined when it is gone or cannot be opened. Holding the handle keeps its pid from being reused.
 */
export function openOwnedProcess(processId: number): { process: OwnedProcess; createdAt: bigint } | undefined {
  const a = api();
  const process = a.OpenProcess(PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, false, processId);
  if (process === null) return undefined;
  const creation = [0n];
  if (!a.GetProcessTimes(process, creation, [0n], [0n], [0n])) {
    a.CloseHandle(process);
    return undefined;
  }
  return { process: process as OwnedProcess, createdAt: BigInt(creation[0]!) };
}

/** Ends an owned process (a no-op when it has exited already). */
export function terminateOwnedProcess(process: OwnedProcess, exitCode: number): void {
  api().TerminateProcess(process, exitCode);
}

/** Closes an owned process's handle. */
export function closeOwnedProcess(process: OwnedProcess): void {
  api().CloseHandle(process);
}
