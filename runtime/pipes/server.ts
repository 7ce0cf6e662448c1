/**
 * A named-pipe server that node:net cannot be: message mode, a DACL given as SDDL, and
 * FILE_FLAG_FIRST_PIPE_INSTANCE so a name another process took is an error, not a shared pipe
 * (issue 15, item 11; issue 16, "Named pipes as the seed's PipeService makes them").
 *
 * Every instance is opened for overlapped I/O and tied to one I/O completion port; one call of
 * GetQueuedCompletionStatusEx at a time waits on a koffi worker thread, so a server costs one
 * blocked thread however many clients it has, and the event loop never blocks. `close()` cancels
 * every pending operation, waits for their packets, then wakes the waiting thread with a packet of
 * its own, so no native call is left blocking when the service ends (a blocked one would keep the
 * process from exiting). A server never closed (its service threw) ends with its thread: each
 * wait lasts at most WAIT_MS.
 * @module
 */
import { securityDescriptorFromSddl, type SecurityDescriptor } from '../win32/advapi32/security.ts';
import {
  allocCompletionScratch,
  allocNative,
  associatePipe,
  cancelPipeIo,
  closePipeHandle,
  connectNamedPipe,
  createCompletionPort,
  createNamedPipe,
  freeCompletionScratch,
  freeNative,
  OVERLAPPED_SIZE,
  overlappedResult,
  pipeClientProcessId,
  pipeExists,
  postCompletion,
  readPipe,
  waitForCompletions,
  writePipe,
  type CompletionScratch,
  type NativeBlock,
  type PipeHandle,
  type PortHandle,
} from '../win32/kernel32/pipes.ts';
import { ErrorCode, windowsError } from '../win32/errors.ts';
import { isWindowsError, type WindowsError } from '../win32/windows-error.ts';
import { resolvePipeOptions, type PipeMode, type PipeServerOptions, type ResolvedPipeOptions } from './options.ts';

/** What a connection's handler is: it owns the connection until it returns, then the connection is closed. */
export type PipeHandler = (connection: PipeConnection) => void | Promise<void>;

const WAKE_KEY = 1n;
const PIPE_KEY = 2n;
const PACKETS_PER_WAIT = 64;
/**
 * How long one wait for completions lasts. Not INFINITE: when a service's thread is terminated
 * with a server still open (it threw, or returned without close()), nothing wakes the waiting
 * native call, and a call that never returns keeps the process from exiting. So it returns this
 * often, and the process can end within about this time.
 */
const WAIT_MS = 500;
/** How long close() waits for the packets of cancelled operations before it stops waiting. */
const DRAIN_MS = 2000;
/** Codes that mean the client is gone: reads end, writes fail. */
const GONE = new Set<number>([
  ErrorCode.ERROR_BROKEN_PIPE,
  ErrorCode.ERROR_NO_DATA,
  ErrorCode.ERROR_PIPE_NOT_CONNECTED,
  ErrorCode.ERROR_OPERATION_ABORTED,
  ErrorCode.ERROR_INVALID_HANDLE,
]);

interface Outcome {
  bytes: number;
  code: number;
}

/** A message longer than `maxMessageBytes` arrived; the connection was closed. */
export class PipeMessageTooLongError extends Error {
  constructor(limit: number) {
    super(`a client sent a message longer than ${limit} bytes; the connection was closed`);
    this.name = 'PipeMessageTooLongError';
  }
}

/** One pipe instance's server end and the native memory its operations use. */
class Instance {
  readonly handle: PipeHandle;
  readonly readOverlapped = allocNative(OVERLAPPED_SIZE);
  readonly writeOverlapped = allocNative(OVERLAPPED_SIZE);
  /** Allocated by the first read, so a waiting instance costs a handle and 64 bytes. */
  readBuffer: NativeBlock | undefined;
  pending = 0;
  closed = false;

  constructor(handle: PipeHandle) {
    this.handle = handle;
  }
}

/** A connected client. Read and write messages (or bytes); the handler's return closes it. */
export class PipeConnection {
  readonly #server: PipeServer;
  readonly #instance: Instance;
  readonly #options: ResolvedPipeOptions;
  #reading = false;
  #writes: Promise<void> = Promise.resolve();
  /** The client's process id (GetNamedPipeClientProcessId), when Windows knows it. */
  readonly clientProcessId: number | undefined;

  constructor(server: PipeServer, instance: Instance, options: ResolvedPipeOptions) {
    this.#server = server;
    this.#instance = instance;
    this.#options = options;
    this.clientProcessId = pipeClientProcessId(instance.handle);
  }

  /** The pipe's mode. */
  get mode(): PipeMode {
    return this.#options.mode;
  }

  /** True once closed, by either side's close or the server's. */
  get closed(): boolean {
    return this.#instance.closed;
  }

  /**
   * The next message (message mode: always whole, however long, up to `maxMessageBytes`) or the
   * next bytes (byte mode); null once the client has gone, the connection was closed, or
   * `readTimeoutMs` passed. A message over the limit closes the connection and throws
   * {@link PipeMessageTooLongError}.
   */
  async read(): Promise<Buffer | null> {
    if (this.#reading) throw new Error('a read is already pending on this pipe connection');
    this.#reading = true;
    const limit = this.#options.readTimeoutMs;
    // Closing cancels the pending ReadFile, which then ends with OPERATION_ABORTED: null below.
    const timer = limit === Infinity ? undefined : setTimeout(() => this.close(), limit);
    try {
      const instance = this.#instance;
      const parts: Buffer[] = [];
      let total = 0;
      for (;;) {
        if (instance.closed) return null;
        instance.readBuffer ??= allocNative(this.#options.bufferBytes);
        const buffer = instance.readBuffer;
        const outcome = await this.#server.io(instance, instance.readOverlapped, () =>
          readPipe(instance.handle, buffer, buffer.bytes.length, instance.readOverlapped),
        );
        if (outcome.code !== 0 && outcome.code !== ErrorCode.ERROR_MORE_DATA) {
          if (GONE.has(outcome.code)) return null;
          throw this.#server.error('ReadFile', outcome.code);
        }
        total += outcome.bytes;
        if (total > this.#options.maxMessageBytes) {
          this.close();
          throw new PipeMessageTooLongError(this.#options.maxMessageBytes);
        }
        parts.push(Buffer.from(buffer.bytes.subarray(0, outcome.bytes)));
        if (outcome.code === 0) return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
      }
    } finally {
      clearTimeout(timer);
      this.#reading = false;
    }
  }

  /** Writes `data` as one message (message mode) or as bytes; resolves once Windows has taken all of it. Writes are kept in order. */
  write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const next = this.#writes.then(() => this.#write(bytes));
    this.#writes = next.catch(() => {});
    return next;
  }

  async #write(data: Uint8Array): Promise<void> {
    const instance = this.#instance;
    if (instance.closed) throw this.#server.error('WriteFile', ErrorCode.ERROR_PIPE_NOT_CONNECTED);
    const block = allocNative(data.length);
    let outcome: Outcome | undefined;
    try {
      block.bytes.set(data);
      outcome = await this.#server.io(instance, instance.writeOverlapped, () =>
        writePipe(instance.handle, block, data.length, instance.writeOverlapped),
      );
    } finally {
      // Only once the operation has ended (its packet came, or it failed at once): the kernel reads this memory until then.
      if (outcome !== undefined) freeNative(block);
    }
    if (outcome.code !== 0) throw this.#server.error('WriteFile', outcome.code);
    if (outcome.bytes !== data.length) throw new Error(`WriteFile wrote ${outcome.bytes} of ${data.length} bytes`);
  }

  /**
   * Closes the connection: pending reads end with null, pending writes fail. What was already
   * written stays readable by the client (the instance is closed, not disconnected).
   */
  close(): void {
    this.#server.closeInstance(this.#instance);
  }
}

/** A listening named pipe; {@link createPipeServer} makes one. */
export class PipeServer {
  readonly #options: ResolvedPipeOptions;
  readonly #handler: PipeHandler;
  readonly #port: PortHandle;
  readonly #scratch: CompletionScratch;
  readonly #security: SecurityDescriptor | undefined;
  /** Pending operations by their OVERLAPPED's address. */
  readonly #operations = new Map<bigint, { instance: Instance; overlapped: NativeBlock; done: (outcome: Outcome) => void }>();
  readonly #listening = new Set<Instance>();
  readonly #connected = new Set<Instance>();
  readonly #pump: Promise<void>;
  #drained: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  /** Use {@link createPipeServer}. */
  constructor(options: ResolvedPipeOptions, handler: PipeHandler, first: PipeHandle, security: SecurityDescriptor | undefined) {
    this.#options = options;
    this.#handler = handler;
    this.#security = security;
    this.#port = createCompletionPort();
    this.#scratch = allocCompletionScratch(PACKETS_PER_WAIT);
    this.#pump = this.#run().catch((error: unknown) => {
      // The port failed (it cannot, short of a closed handle): end every operation so no handler waits for ever.
      for (const operation of this.#operations.values()) operation.done({ bytes: 0, code: ErrorCode.ERROR_INVALID_HANDLE });
      this.#operations.clear();
      this.#options.onError(error);
    });
    try {
      this.#listen(first);
    } catch (error) {
      closePipeHandle(first);
      void this.close();
      throw error;
    }
    this.#replenish();
  }

  /** The pipe's full name, `\\.\pipe\…`. */
  get name(): string {
    return this.#options.name;
  }

  /** Clients connected now. */
  get connections(): number {
    return this.#connected.size;
  }

  /**
   * Stops listening and closes every connection; resolves once no operation is pending and the
   * thread that waited for completions has returned.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #close(): Promise<void> {
    for (const instance of [...this.#listening, ...this.#connected]) this.closeInstance(instance);
    if (this.#operations.size > 0) {
      // Cancelled operations still complete through the port: their memory is freed then.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.#drained = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS))),
      ]);
      clearTimeout(timer);
    }
    postCompletion(this.#port, WAKE_KEY);
    await this.#pump;
    closePipeHandle(this.#port);
    // Operations whose packets never came keep their memory: freeing it could let the kernel write into reused memory.
    if (this.#operations.size === 0) freeCompletionScratch(this.#scratch);
    this.#security?.free();
  }

  /** Waits for completions and settles their operations until the wake packet comes. */
  async #run(): Promise<void> {
    for (;;) {
      const completions = await waitForCompletions(this.#port, this.#scratch, WAIT_MS);
      let wake = false;
      for (const completion of completions) {
        if (completion.key === WAKE_KEY && completion.overlapped === 0n) {
          wake = true;
          continue;
        }
        const operation = this.#operations.get(completion.overlapped);
        if (operation === undefined) continue;
        this.#operations.delete(completion.overlapped);
        operation.done(overlappedResult(operation.instance.handle, operation.overlapped));
      }
      if (this.#operations.size === 0) this.#drained?.();
      if (wake) return;
    }
  }

  /** Starts one overlapped operation and resolves with its outcome. @internal */
  io(instance: Instance, overlapped: NativeBlock, start: () => number): Promise<Outcome> {
    return new Promise((resolve) => {
      instance.pending++;
      const done = (outcome: Outcome) => {
        instance.pending--;
        this.#release(instance);
        resolve(outcome);
      };
      overlapped.bytes.fill(0);
      this.#operations.set(overlapped.address, { instance, overlapped, done });
      let code: number;
      try {
        code = start();
      } catch (error) {
        code = isWindowsError(error) ? error.code : ErrorCode.ERROR_INVALID_HANDLE;
      }
      if (code !== 0) {
        // Failed at once: no packet will come.
        this.#operations.delete(overlapped.address);
        done({ bytes: 0, code });
      }
    });
  }

  /** A WindowsError for a failed pipe operation. @internal */
  error(functionName: string, code: number): WindowsError {
    return windowsError(functionName, code);
  }

  /** Closes an instance: cancels its operations; its memory goes once they have all ended. @internal */
  closeInstance(instance: Instance): void {
    if (instance.closed) return;
    instance.closed = true;
    cancelPipeIo(instance.handle);
    closePipeHandle(instance.handle);
    this.#release(instance);
  }

  #release(instance: Instance): void {
    if (!instance.closed || instance.pending > 0) return;
    freeNative(instance.readOverlapped);
    freeNative(instance.writeOverlapped);
    if (instance.readBuffer) freeNative(instance.readBuffer);
  }

  #listen(handle: PipeHandle): void {
    associatePipe(this.#port, handle, PIPE_KEY);
    const instance = new Instance(handle);
    this.#listening.add(instance);
    void this.io(instance, instance.readOverlapped, () => {
      const code = connectNamedPipe(handle, instance.readOverlapped);
      // A client that connected between CreateNamedPipeW and ConnectNamedPipe: connected, and no packet comes.
      return code === ErrorCode.ERROR_PIPE_CONNECTED ? -1 : code;
    }).then((outcome) => this.#accepted(instance, outcome));
  }

  #accepted(instance: Instance, outcome: Outcome): void {
    this.#listening.delete(instance);
    if (instance.closed) return;
    if (outcome.code !== 0 && outcome.code !== -1) {
      this.closeInstance(instance);
      if (!this.#closing) this.#options.onError(this.error('ConnectNamedPipe', outcome.code));
      this.#replenish();
      return;
    }
    this.#connected.add(instance);
    this.#replenish();
    const connection = new PipeConnection(this, instance, this.#options);
    void (async () => {
      try {
        await this.#handler(connection);
      } catch (error) {
        // What close() interrupted (a read or write cancelled under a handler) is not a handler's failure.
        if (!this.#closing) this.#options.onError(error);
      } finally {
        connection.close();
        this.#connected.delete(instance);
        this.#replenish();
      }
    })();
  }

  /** Keeps `listeners` instances waiting, within maxInstances. */
  #replenish(): void {
    while (
      !this.#closing &&
      this.#listening.size < this.#options.listeners &&
      this.#listening.size + this.#connected.size < this.#options.maxInstances
    ) {
      let handle: PipeHandle;
      try {
        handle = createPipeInstance(this.#options, this.#security, false);
      } catch (error) {
        // PIPE_BUSY: the name's instance limit is reached (instances of other processes count too); a closing connection retries.
        if (!(isWindowsError(error) && error.code === ErrorCode.ERROR_PIPE_BUSY)) this.#options.onError(error);
        return;
      }
      this.#listen(handle);
    }
  }
}

function createPipeInstance(options: ResolvedPipeOptions, security: SecurityDescriptor | undefined, firstInstance: boolean): PipeHandle {
  return createNamedPipe({
    name: options.name,
    message: options.mode === 'message',
    firstInstance,
    rejectRemoteClients: !options.acceptRemoteClients,
    maxInstances: options.rawMaxInstances,
    bufferSize: options.bufferBytes,
    securityDescriptor: security?.pointer ?? null,
  });
}

/** The error for a name another process has: a WindowsError still, with the code callers test. */
function squatted(name: string, error: WindowsError, why: string): WindowsError {
  error.message = `${name} is taken: another process owns the pipe name (${why})`;
  return error;
}

/**
 * Creates pipe `options.name` and serves each client with `handler`, many at once, in message or
 * byte mode, with the DACL `options.sddl`. The first instance is created with
 * FILE_FLAG_FIRST_PIPE_INSTANCE: when another process already has the name, it throws a
 * WindowsError (ERROR_ACCESS_DENIED or ERROR_PIPE_BUSY) whose message says so. Under Wine, which
 * ignores the flag, a name that exists when the server starts gives the same ERROR_ACCESS_DENIED.
 * https://learn.microsoft.com/windows/win32/api/namedpipeapi/nf-namedpipeapi-createnamedpipew
 */
export async function createPipeServer(options: PipeServerOptions, handler: PipeHandler): Promise<PipeServer> {
  const resolved = resolvePipeOptions(options);
  // Wine 8 ignores FILE_FLAG_FIRST_PIPE_INSTANCE (a second server of the name is created and
  // takes clients), so the name is also looked up first. That leaves a race Windows' flag closes;
  // under Wine it catches a squatter that is already there.
  if (pipeExists(resolved.name))
    throw squatted(resolved.name, windowsError('CreateNamedPipeW', ErrorCode.ERROR_ACCESS_DENIED), 'an instance exists already');
  const security = resolved.sddl === undefined ? undefined : securityDescriptorFromSddl(resolved.sddl);
  let first: PipeHandle;
  try {
    first = createPipeInstance(resolved, security, true);
  } catch (error) {
    security?.free();
    if (isWindowsError(error) && (error.code === ErrorCode.ERROR_ACCESS_DENIED || error.code === ErrorCode.ERROR_PIPE_BUSY))
      throw squatted(resolved.name, error, error.message);
    throw error;
  }
  return new PipeServer(resolved, handler, first, security);
}
