/**
 * kernel32.dll, named-pipe surface: server ends of named pipes opened for overlapped I/O, and the
 * I/O completion port that reports their completions. Memory the kernel writes after a call has
 * returned (OVERLAPPED, read buffers) is native memory from {@link allocNative}, never a JS
 * buffer koffi might copy. https://learn.microsoft.com/windows/win32/ipc/named-pipe-server-using-completion-routines
 * @module
 */
import { bindLibrary, koffi } from '../koffi.ts';
import { ErrorCode, lastError } from '../errors.ts';

/** A pipe instance's server end (HANDLE). */
export type PipeHandle = { readonly __brand: 'PIPE_HANDLE' };
/** An I/O completion port (HANDLE). */
export type PortHandle = { readonly __brand: 'PORT_HANDLE' };

/** A block of native memory: `bytes` reads and writes it without copying; `address` names it. */
export interface NativeBlock {
  readonly pointer: unknown;
  readonly address: bigint;
  readonly bytes: Buffer;
}

/** One completion packet: whose operation (its OVERLAPPED's address) and how many bytes moved. */
export interface Completion {
  key: bigint;
  overlapped: bigint;
  bytes: number;
}

/** sizeof(OVERLAPPED) on x64. */
export const OVERLAPPED_SIZE = 32;
const OVERLAPPED_ENTRY_SIZE = 32;
const PIPE_ACCESS_DUPLEX = 0x3;
const FILE_FLAG_FIRST_PIPE_INSTANCE = 0x0008_0000;
const FILE_FLAG_OVERLAPPED = 0x4000_0000;
const PIPE_TYPE_MESSAGE = 0x4;
const PIPE_READMODE_MESSAGE = 0x2;
const PIPE_REJECT_REMOTE_CLIENTS = 0x8;
const INVALID_HANDLE_VALUE = -1n;

const api = bindLibrary('kernel32.dll', (dll, k) => {
  k.struct('PIPE_SECURITY_ATTRIBUTES', { nLength: 'uint32', lpSecurityDescriptor: 'void *', bInheritHandle: 'int32' });
  return {
    address: (pointer: unknown) => k.address(pointer) as bigint,
    CreateNamedPipeW: dll.func(
      'void * __stdcall CreateNamedPipeW(const char16_t *name, uint32 openMode, uint32 pipeMode, uint32 maxInstances, uint32 outSize, uint32 inSize, uint32 timeout, const PIPE_SECURITY_ATTRIBUTES *sa)',
    ),
    ConnectNamedPipe: dll.func('bool __stdcall ConnectNamedPipe(void *pipe, void *overlapped)'),
    ReadFile: dll.func('bool __stdcall ReadFile(void *file, void *buffer, uint32 size, void *read, void *overlapped)'),
    WriteFile: dll.func('bool __stdcall WriteFile(void *file, void *buffer, uint32 size, void *written, void *overlapped)'),
    GetOverlappedResult: dll.func('bool __stdcall GetOverlappedResult(void *file, void *overlapped, _Out_ uint32 *bytes, bool wait)'),
    CancelIoEx: dll.func('bool __stdcall CancelIoEx(void *file, void *overlapped)'),
    GetNamedPipeClientProcessId: dll.func('bool __stdcall GetNamedPipeClientProcessId(void *pipe, _Out_ uint32 *processId)'),
    CloseHandle: dll.func('bool __stdcall CloseHandle(void *handle)'),
    WaitNamedPipeW: dll.func('bool __stdcall WaitNamedPipeW(const char16_t *name, uint32 timeout)'),
    CreateIoCompletionPort: dll.func('void * __stdcall CreateIoCompletionPort(void *file, void *port, uintptr_t key, uint32 threads)'),
    // The same function with the file as a number: a new port is made from INVALID_HANDLE_VALUE.
    CreateCompletionPort: dll.func('CreateIoCompletionPort', 'void *', ['intptr_t', 'void *', 'uintptr_t', 'uint32']),
    GetQueuedCompletionStatusEx: dll.func(
      'bool __stdcall GetQueuedCompletionStatusEx(void *port, void *entries, uint32 count, void *removed, uint32 milliseconds, bool alertable)',
    ),
    PostQueuedCompletionStatus: dll.func(
      'bool __stdcall PostQueuedCompletionStatus(void *port, uint32 bytes, uintptr_t key, void *overlapped)',
    ),
  };
});

/** Zeroed native memory of `size` bytes; release it with {@link freeNative}. */
export function allocNative(size: number): NativeBlock {
  const k = koffi();
  const pointer = k.alloc('uint8_t', Math.max(size, 1));
  const bytes = Buffer.from(k.view(pointer, size));
  bytes.fill(0);
  return { pointer, address: api().address(pointer), bytes };
}

/** Releases a block from {@link allocNative}. Only once no pending operation can still write it. */
export function freeNative(block: NativeBlock): void {
  koffi().free(block.pointer);
}

/** How {@link createNamedPipe} opens an instance. */
export interface NamedPipeParams {
  /** The full name, `\\.\pipe\<name>`. */
  name: string;
  message: boolean;
  /** FILE_FLAG_FIRST_PIPE_INSTANCE: fail when any instance of the name exists. */
  firstInstance: boolean;
  rejectRemoteClients: boolean;
  /** 1–254, or 255 for PIPE_UNLIMITED_INSTANCES. */
  maxInstances: number;
  bufferSize: number;
  /** A SECURITY_DESCRIPTOR (from ConvertStringSecurityDescriptorToSecurityDescriptorW), or null for the default. */
  securityDescriptor: unknown;
}

/** CreateNamedPipeW, duplex and overlapped. https://learn.microsoft.com/windows/win32/api/namedpipeapi/nf-namedpipeapi-createnamedpipew */
export function createNamedPipe(params: NamedPipeParams): PipeHandle {
  const a = api();
  const openMode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (params.firstInstance ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
  const pipeMode =
    (params.message ? PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE : 0) | (params.rejectRemoteClients ? PIPE_REJECT_REMOTE_CLIENTS : 0);
  const sa = params.securityDescriptor ? { nLength: 24, lpSecurityDescriptor: params.securityDescriptor, bInheritHandle: 0 } : null;
  const handle = a.CreateNamedPipeW(params.name, openMode, pipeMode, params.maxInstances, params.bufferSize, params.bufferSize, 0, sa);
  if (handle === null || BigInt.asIntN(64, a.address(handle)) === INVALID_HANDLE_VALUE) throw lastError('CreateNamedPipeW');
  return handle as PipeHandle;
}

/**
 * Starts an overlapped operation: 0 when it is under way (its packet will reach the port), or the
 * Win32 code it failed with at once (no packet comes). ERROR_MORE_DATA is under way too: a
 * message longer than the buffer still completes through the port, as a warning.
 */
function started(ok: unknown, functionName: string): number {
  if (ok) return 0;
  const error = lastError(functionName);
  return error.code === ErrorCode.ERROR_IO_PENDING || error.code === ErrorCode.ERROR_MORE_DATA ? 0 : error.code;
}

/**
 * ConnectNamedPipe, overlapped: 0 (a client will complete it through the port), PIPE_CONNECTED
 * (a client connected before the call: no packet comes), or another code.
 * https://learn.microsoft.com/windows/win32/api/namedpipeapi/nf-namedpipeapi-connectnamedpipe
 */
export function connectNamedPipe(pipe: PipeHandle, overlapped: NativeBlock): number {
  return started(api().ConnectNamedPipe(pipe, overlapped.pointer), 'ConnectNamedPipe');
}

/** ReadFile, overlapped, into `buffer`. Returns as {@link connectNamedPipe} does. https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-readfile */
export function readPipe(pipe: PipeHandle, buffer: NativeBlock, size: number, overlapped: NativeBlock): number {
  return started(api().ReadFile(pipe, buffer.pointer, size, null, overlapped.pointer), 'ReadFile');
}

/** WriteFile, overlapped, of the first `size` bytes of `buffer`. https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-writefile */
export function writePipe(pipe: PipeHandle, buffer: NativeBlock, size: number, overlapped: NativeBlock): number {
  return started(api().WriteFile(pipe, buffer.pointer, size, null, overlapped.pointer), 'WriteFile');
}

/**
 * The outcome of a completed operation: its byte count and 0, or its Win32 code (MORE_DATA for
 * part of a longer message). https://learn.microsoft.com/windows/win32/api/ioapiset/nf-ioapiset-getoverlappedresult
 */
export function overlappedResult(pipe: PipeHandle, overlapped: NativeBlock): { bytes: number; code: number } {
  const bytes = [0];
  if (api().GetOverlappedResult(pipe, overlapped.pointer, bytes, false)) return { bytes: bytes[0]!, code: 0 };
  return { bytes: bytes[0]!, code: lastError('GetOverlappedResult').code };
}

/** CancelIoEx of every operation on `pipe`; false when none was pending. https://learn.microsoft.com/windows/win32/fileio/cancelioex-func */
export function cancelPipeIo(pipe: PipeHandle): boolean {
  return Boolean(api().CancelIoEx(pipe, null));
}

/** The process id of the client connected to `pipe`, or undefined. https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-getnamedpipeclientprocessid */
export function pipeClientProcessId(pipe: PipeHandle): number | undefined {
  const id = [0];
  return api().GetNamedPipeClientProcessId(pipe, id) ? id[0] : undefined;
}

/**
 * True when some process has an instance of pipe `name` (WaitNamedPipeW finds it, free or busy),
 * false when none exists. https://learn.microsoft.com/windows/win32/api/namedpipeapi/nf-namedpipeapi-waitnamedpipew
 */
export function pipeExists(name: string): boolean {
  if (api().WaitNamedPipeW(name, 1)) return true;
  const error = lastError('WaitNamedPipeW');
  if (error.code === ErrorCode.ERROR_FILE_NOT_FOUND) return false;
  if (error.code === ErrorCode.ERROR_BAD_PATHNAME) throw error;
  return true;
}

/** CloseHandle of a pipe or a port. */
export function closePipeHandle(handle: PipeHandle | PortHandle): void {
  if (!api().CloseHandle(handle)) throw lastError('CloseHandle');
}

/** A new I/O completion port. https://learn.microsoft.com/windows/win32/fileio/createiocompletionport */
export function createCompletionPort(): PortHandle {
  const port = api().CreateCompletionPort(INVALID_HANDLE_VALUE, null, 0, 1);
  if (port === null) throw lastError('CreateIoCompletionPort');
  return port as PortHandle;
}

/** Sends `pipe`'s completions to `port` with `key`. */
export function associatePipe(port: PortHandle, pipe: PipeHandle, key: bigint): void {
  if (api().CreateIoCompletionPort(pipe, port, key, 0) === null) throw lastError('CreateIoCompletionPort');
}

/** Queues a packet with no OVERLAPPED: how the waiting thread is woken to end. https://learn.microsoft.com/windows/win32/fileio/postqueuedcompletionstatus */
export function postCompletion(port: PortHandle, key: bigint): void {
  if (!api().PostQueuedCompletionStatus(port, 0, key, null)) throw lastError('PostQueuedCompletionStatus');
}

/** Native memory for {@link waitForCompletions}: the OVERLAPPED_ENTRY array and the count. */
export interface CompletionScratch {
  readonly max: number;
  readonly entries: NativeBlock;
  readonly removed: NativeBlock;
}

/** Scratch for up to `max` packets a wait; free it with {@link freeCompletionScratch} once no wait is pending. */
export function allocCompletionScratch(max: number): CompletionScratch {
  return { max, entries: allocNative(max * OVERLAPPED_ENTRY_SIZE), removed: allocNative(8) };
}

/** Releases {@link allocCompletionScratch}'s memory. */
export function freeCompletionScratch(scratch: CompletionScratch): void {
  freeNative(scratch.entries);
  freeNative(scratch.removed);
}

/**
 * Waits on one of koffi's worker threads, never the event loop's, up to `timeoutMs` for up to
 * `scratch.max` packets (GetQueuedCompletionStatusEx); resolves to none when the time ran out.
 * Packets of failed operations come too: read their outcome with {@link overlappedResult}. Only
 * one wait per scratch at a time.
 * https://learn.microsoft.com/windows/win32/fileio/getqueuedcompletionstatusex-func
 */
export function waitForCompletions(port: PortHandle, scratch: CompletionScratch, timeoutMs: number): Promise<Completion[]> {
  const started = performance.now();
  scratch.removed.bytes.fill(0);
  return new Promise((resolve, reject) => {
    api().GetQueuedCompletionStatusEx.async(
      port,
      scratch.entries.pointer,
      scratch.max,
      scratch.removed.pointer,
      timeoutMs,
      false,
      (error: unknown, ok: unknown) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        if (!ok) {
          // The last error belongs to the worker thread that made the call, so a timeout (WAIT_TIMEOUT)
          // is told from a failure (a closed port) by the time it took.
          if (performance.now() - started >= timeoutMs / 2) return resolve([]);
          return reject(new Error('GetQueuedCompletionStatusEx failed at once (is the port closed?)'));
        }
        const count = scratch.removed.bytes.readUInt32LE(0);
        const completions: Completion[] = [];
        for (let i = 0; i < count; i++) {
          const at = i * OVERLAPPED_ENTRY_SIZE;
          completions.push({
            key: scratch.entries.bytes.readBigUInt64LE(at),
            overlapped: scratch.entries.bytes.readBigUInt64LE(at + 8),
            bytes: scratch.entries.bytes.readUInt32LE(at + 24),
          });
        }
        resolve(completions);
      },
    );
  });
}
