/**
 * advapi32.dll, privileges of this process's token: an elevated administrator holds privileges such
 * as SeBackupPrivilege disabled, and some calls (BackupEventLogW, ClearEventLogW with a backup file)
 * fail with ERROR_PRIVILEGE_NOT_HELD unless the caller enables it first, as wevtutil does. Enabling
 * is scoped: the object enablePrivilege returns puts the token back as it was when disposed, so a
 * caller writes `using` and the privilege is on only for the calls that need it.
 * https://learn.microsoft.com/windows/win32/secauthz/enabling-and-disabling-privileges-in-c--
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import { ErrorCode, lastError } from '../errors.ts';
import { lastErrorCode } from '../kernel32/last-error.ts';
import { OwnedHandle } from '../owned-handle.ts';

const TOKEN_ADJUST_PRIVILEGES = 0x20;
const TOKEN_QUERY = 0x8;
const SE_PRIVILEGE_ENABLED = 0x2;
/** TOKEN_PRIVILEGES with one LUID_AND_ATTRIBUTES: count (4), LUID low (4), LUID high (4), attributes (4). */
const ONE_PRIVILEGE_BYTES = 16;
/** GetCurrentProcess's pseudo handle. */
const CURRENT_PROCESS = -1;

const api = bindLibrary('advapi32.dll', (dll) => ({
  OpenProcessToken: dll.func('bool __stdcall OpenProcessToken(intptr process, uint32 access, _Out_ void **token)'),
  LookupPrivilegeValueW: dll.func(
    'bool __stdcall LookupPrivilegeValueW(const char16_t *system, const char16_t *name, _Out_ uint8_t *luid)',
  ),
  AdjustTokenPrivileges: dll.func(
    'bool __stdcall AdjustTokenPrivileges(void *token, bool disableAll, const uint8_t *newState, uint32 size, _Out_ uint8_t *previous, _Out_ uint32 *returned)',
  ),
}));
const kernel32 = bindLibrary('kernel32.dll', (dll) => ({ CloseHandle: dll.func('bool __stdcall CloseHandle(void *handle)') }));

/** The privileges this code base enables (winnt.h's SE_*_NAME). */
export const Privilege = { SeBackupPrivilege: 'SeBackupPrivilege' } as const;
/** One of {@link Privilege}'s names. */
export type Privilege = (typeof Privilege)[keyof typeof Privilege];

/** A privilege enabled by enablePrivilege; disposing it restores the token's previous state. */
export interface EnabledPrivilege extends Disposable {
  /** Whether the token holds the privilege: false when it does not (ERROR_NOT_ALL_ASSIGNED), and nothing changed. */
  readonly held: boolean;
}

/**
 * Enables `privilege` in this process's token if the token holds it. Not holding it is not an
 * error here (`held` is false): the call that needs it then fails with ERROR_PRIVILEGE_NOT_HELD,
 * which names the real problem. Throws WindowsError when the token cannot be opened or adjusted.
 */
export function enablePrivilege(privilege: Privilege): EnabledPrivilege {
  const out: unknown[] = [null];
  if (!api().OpenProcessToken(CURRENT_PROCESS, TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, out)) throw lastError('OpenProcessToken');
  const token = new OwnedHandle(out[0], (handle) => kernel32().CloseHandle(handle), 'token handle');
  try {
    const state = Buffer.alloc(ONE_PRIVILEGE_BYTES);
    state.writeUInt32LE(1, 0);
    if (!api().LookupPrivilegeValueW(null, privilege, state.subarray(4, 12))) throw lastError('LookupPrivilegeValueW');
    state.writeUInt32LE(SE_PRIVILEGE_ENABLED, 12);
    const previous = Buffer.alloc(ONE_PRIVILEGE_BYTES);
    if (!api().AdjustTokenPrivileges(token.handle, false, state, previous.length, previous, [0])) throw lastError('AdjustTokenPrivileges');
    // AdjustTokenPrivileges succeeds when it changed nothing; only the last error tells.
    const held = lastErrorCode() !== ErrorCode.ERROR_NOT_ALL_ASSIGNED;
    return {
      held,
      [Symbol.dispose]() {
        // Disposing twice does nothing (token.handle would throw once it is closed).
        if (token.closed) return;
        // Put back what was changed (PrivilegeCount 0 in `previous`: it was already enabled, nothing to undo).
        // No PreviousState this time: NULL with BufferLength 0, as the docs allow; a non-NULL buffer
        // of 0 bytes would make the call fail (ERROR_INSUFFICIENT_BUFFER) and leave the privilege on.
        // A dispose never throws (see owned-handle.ts): a failed restore is a process warning.
        if (held && previous.readUInt32LE(0) > 0 && !api().AdjustTokenPrivileges(token.handle, false, previous, 0, null, null)) {
          const error = lastError('AdjustTokenPrivileges');
          process.emitWarning(new Error(`putting back ${privilege} failed, it stays enabled: ${error.message}`, { cause: error }));
        }
        token[Symbol.dispose]();
      },
    };
  } catch (error) {
    token[Symbol.dispose]();
    throw error;
  }
}
