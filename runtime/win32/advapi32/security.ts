/**
 * advapi32.dll, security surface: is the caller an administrator?
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import { lastError } from '../kernel32.ts';

const WinBuiltinAdministratorsSid = 26;
const SECURITY_MAX_SID_SIZE = 68;

const api = bindLibrary('advapi32.dll', (dll) => ({
  CreateWellKnownSid: dll.func('bool __stdcall CreateWellKnownSid(uint32 type, void *domainSid, _Out_ uint8_t *sid, _Inout_ uint32 *size)'),
  CheckTokenMembership: dll.func('bool __stdcall CheckTokenMembership(void *token, const uint8_t *sid, _Out_ int32 *isMember)'),
}));

/** True when the calling thread's token holds the enabled BUILTIN\Administrators group (elevated). */
export function isElevatedAdministrator(): boolean {
  const sid = Buffer.alloc(SECURITY_MAX_SID_SIZE);
  if (!api().CreateWellKnownSid(WinBuiltinAdministratorsSid, null, sid, [sid.length])) throw lastError('CreateWellKnownSid');
  const member = [0];
  if (!api().CheckTokenMembership(null, sid, member)) throw lastError('CheckTokenMembership');
  return member[0] !== 0;
}
