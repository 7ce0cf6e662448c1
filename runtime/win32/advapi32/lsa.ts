/**
 * advapi32.dll, accounts and the Local Security Authority: an account's SID, and granting account
 * rights such as "Log on as a service".
 * https://learn.microsoft.com/windows/win32/api/ntsecapi/nf-ntsecapi-lsaaddaccountrights
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import { ErrorCode, lastError, windowsError } from '../errors.ts';
import { OwnedHandle } from '../owned-handle.ts';

const POLICY_CREATE_ACCOUNT = 0x10;
const POLICY_LOOKUP_NAMES = 0x800;
/** LSA_OBJECT_ATTRIBUTES, all zero as LsaOpenPolicy wants it (six fields, 48 bytes on x64). */
const LSA_OBJECT_ATTRIBUTES_BYTES = 48;

const api = bindLibrary('advapi32.dll', (dll, k) => {
  k.struct('LSA_UNICODE_STRING', { Length: 'uint16', MaximumLength: 'uint16', Buffer: 'const char16_t *' });
  return {
    LookupAccountNameW: dll.func(
      'bool __stdcall LookupAccountNameW(const char16_t *system, const char16_t *account, _Out_ uint8_t *sid, _Inout_ uint32 *sidSize, _Out_ uint8_t *domain, _Inout_ uint32 *domainChars, _Out_ uint32 *use)',
    ),
    LsaOpenPolicy: dll.func('uint32 __stdcall LsaOpenPolicy(void *system, const uint8_t *attributes, uint32 access, _Out_ void **policy)'),
    LsaAddAccountRights: dll.func(
      'uint32 __stdcall LsaAddAccountRights(void *policy, const uint8_t *sid, const LSA_UNICODE_STRING *rights, uint32 count)',
    ),
    LsaClose: dll.func('uint32 __stdcall LsaClose(void *policy)'),
    LsaNtStatusToWinError: dll.func('uint32 __stdcall LsaNtStatusToWinError(uint32 status)'),
  };
});

/** The SID of an account on this machine or its domain (LookupAccountNameW); WindowsError 1332 when there is none. */
export function lookupAccountSid(account: string): Buffer {
  let sid = Buffer.alloc(0);
  let domain = Buffer.alloc(0);
  for (;;) {
    const sidSize = [sid.length];
    const domainChars = [domain.length / 2];
    if (api().LookupAccountNameW(null, account, sid, sidSize, domain, domainChars, [0]) as boolean) return sid.subarray(0, sidSize[0]);
    const error = lastError('LookupAccountNameW');
    if (error.code !== ErrorCode.ERROR_INSUFFICIENT_BUFFER) throw error;
    sid = Buffer.alloc(sidSize[0]!);
    domain = Buffer.alloc(domainChars[0]! * 2);
  }
}

function checkStatus(functionName: string, status: number): void {
  if (status !== 0) throw windowsError(functionName, api().LsaNtStatusToWinError(status) as number);
}

/** LsaAddAccountRights on this machine's policy: grants `rights` (e.g. SeServiceLogonRight) to the account with `sid`. */
export function addAccountRights(sid: Buffer, rights: readonly string[]): void {
  const policy: unknown[] = [null];
  checkStatus(
    'LsaOpenPolicy',
    api().LsaOpenPolicy(null, Buffer.alloc(LSA_OBJECT_ATTRIBUTES_BYTES), POLICY_CREATE_ACCOUNT | POLICY_LOOKUP_NAMES, policy) as number,
  );
  using handle = new OwnedHandle(policy[0], (owned) => checkStatus('LsaClose', api().LsaClose(owned) as number), 'LSA policy handle');
  const strings = rights.map((right) => ({ Length: right.length * 2, MaximumLength: right.length * 2 + 2, Buffer: right }));
  checkStatus('LsaAddAccountRights', api().LsaAddAccountRights(handle.handle, sid, strings, strings.length) as number);
}
