/**
 * The pipe server's options, checked and filled in: pure code, no FFI, unit-tested anywhere.
 * @module
 */

/** How a pipe carries data: `message` keeps each write one message (PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE), `byte` is a stream. */
export type PipeMode = 'message' | 'byte';

/** What {@link createPipeServer} is given. */
export interface PipeServerOptions {
  /** `\\.\pipe\<name>`, or just `<name>`. At most 256 characters after `\\.\pipe\`. */
  name: string;
  /** Default `message`: each write is one message, each read returns one whole message (TransactNamedPipe and CallNamedPipe need it). */
  mode?: PipeMode;
  /**
   * The pipe's security descriptor as SDDL, e.g. `D:P(A;;GA;;;SY)(A;;GA;;;BA)` (SYSTEM and
   * Administrators only). Default: Windows' default for a named pipe, which lets Everyone read.
   */
  sddl?: string;
  /** The most instances of the name, so the most clients at once: 1–254, or `Infinity` (default, PIPE_UNLIMITED_INSTANCES). */
  maxInstances?: number;
  /**
   * Instances kept waiting for a client, so a burst finds one free: a client that finds none
   * gets ERROR_PIPE_BUSY and must wait and retry (CallNamedPipe retries once). 1–254, default 16,
   * never above maxInstances. A waiting instance costs a handle and 64 bytes.
   */
  listeners?: number;
  /** The longest message (or read, in byte mode) a connection accepts; a longer one ends the connection. Default 1 MiB. */
  maxMessageBytes?: number;
  /**
   * The longest a `read()` waits for its whole message (or, in byte mode, for any bytes): past it
   * the connection is closed and `read()` returns null, so a client that connects and never writes,
   * or trickles, does not hold an instance for ever. Default `Infinity` (no limit).
   */
  readTimeoutMs?: number;
  /** The size of each instance's input and output buffers and of one read. Default 64 KiB. */
  bufferBytes?: number;
  /** Let clients on other machines in (default false: PIPE_REJECT_REMOTE_CLIENTS). */
  acceptRemoteClients?: boolean;
  /** Called with what a connection's handler threw (default: a process warning). The connection is closed either way. */
  onError?: (error: unknown) => void;
}

/** {@link PipeServerOptions} with every default filled in. */
export interface ResolvedPipeOptions extends Required<Omit<PipeServerOptions, 'sddl' | 'onError'>> {
  sddl: string | undefined;
  onError: (error: unknown) => void;
  /** maxInstances as CreateNamedPipeW takes it (255 = unlimited). */
  rawMaxInstances: number;
}

const PREFIX = '\\\\.\\pipe\\';
const MAX_NAME_CHARS = 256;
/** PIPE_UNLIMITED_INSTANCES. */
const UNLIMITED = 255;

/** The full name of pipe `name`: `\\.\pipe\<name>`; throws for a name Windows would refuse. */
export function pipePath(name: string): string {
  const tail = name.toLowerCase().startsWith(PREFIX) ? name.slice(PREFIX.length) : name;
  if (tail === '') throw new RangeError('a pipe name cannot be empty');
  if (tail.length > MAX_NAME_CHARS)
    throw new RangeError(`a pipe name has at most ${MAX_NAME_CHARS} characters after \\\\.\\pipe\\, not ${tail.length}`);
  if (tail.includes('\0')) throw new RangeError('a pipe name cannot contain NUL');
  return `${PREFIX}${tail}`;
}

function wholeInRange(label: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${label} must be a whole number from ${min} to ${max}, not ${value}`);
  return value;
}

function readTimeout(value: number): number {
  if (value === Infinity) return value;
  // setTimeout's limit: a longer delay would fire at once.
  return wholeInRange('readTimeoutMs', value, 1, 2 ** 31 - 1);
}

/** Checks the options and fills in the defaults. */
export function resolvePipeOptions(options: PipeServerOptions): ResolvedPipeOptions {
  const mode = options.mode ?? 'message';
  if (mode !== 'message' && mode !== 'byte') throw new RangeError(`mode must be 'message' or 'byte', not '${String(mode)}'`);
  const maxInstances = options.maxInstances ?? Infinity;
  const rawMaxInstances = maxInstances === Infinity ? UNLIMITED : wholeInRange('maxInstances', maxInstances, 1, UNLIMITED - 1);
  const listeners = Math.min(wholeInRange('listeners', options.listeners ?? 16, 1, UNLIMITED - 1), maxInstances);
  if (options.sddl !== undefined && !/^(O:|G:|D:|S:)/.test(options.sddl))
    throw new RangeError(`sddl must be an SDDL security descriptor (O:…, D:…), not '${options.sddl}'`);
  return {
    name: pipePath(options.name),
    mode,
    sddl: options.sddl,
    maxInstances,
    rawMaxInstances,
    listeners,
    readTimeoutMs: readTimeout(options.readTimeoutMs ?? Infinity),
    maxMessageBytes: wholeInRange('maxMessageBytes', options.maxMessageBytes ?? 2 ** 20, 1, 2 ** 31),
    bufferBytes: wholeInRange('bufferBytes', options.bufferBytes ?? 2 ** 16, 512, 2 ** 24),
    acceptRemoteClients: options.acceptRemoteClients ?? false,
    onError:
      options.onError ??
      ((error) =>
        process.emitWarning(`pipe connection handler failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)),
  };
}
