/**
 * advapi32.dll, security surface: is the caller an administrator, and the security descriptors of
 * files and registry keys (read and written as SDDL strings).
 * @module
 */
import { bindLibrary, wideStringAt } from '../koffi.ts';
import { localFree } from '../kernel32.ts';
import { lastError, windowsError } from '../errors.ts';

const WinBuiltinAdministratorsSid = 26;
const SECURITY_MAX_SID_SIZE = 68;
const SDDL_REVISION_1 = 1;
const SE_FILE_OBJECT = 1;
const SE_REGISTRY_KEY = 4;
/** SECURITY_DESCRIPTOR_CONTROL: the DACL does not inherit (SDDL `D:P`). */
const SE_DACL_PROTECTED = 0x1000;

/** Which parts of a security descriptor a call reads or writes. */
export const SecurityInformation = {
  OWNER: 0x1,
  GROUP: 0x2,
  DACL: 0x4,
  /** With DACL: the DACL does not inherit ACEs from the parent. */
  PROTECTED_DACL: 0x8000_0000,
} as const;

const api = bindLibrary('advapi32.dll', (dll) => ({
  CreateWellKnownSid: dll.func('bool __stdcall CreateWellKnownSid(uint32 type, void *domainSid, _Out_ uint8_t *sid, _Inout_ uint32 *size)'),
  CheckTokenMembership: dll.func('bool __stdcall CheckTokenMembership(void *token, const uint8_t *sid, _Out_ int32 *isMember)'),
  ConvertStringSecurityDescriptorToSecurityDescriptorW: dll.func(
    'bool __stdcall ConvertStringSecurityDescriptorToSecurityDescriptorW(const char16_t *sddl, uint32 revision, _Out_ void **sd, _Out_ uint32 *size)',
  ),
  ConvertSecurityDescriptorToStringSecurityDescriptorW: dll.func(
    'bool __stdcall ConvertSecurityDescriptorToStringSecurityDescriptorW(void *sd, uint32 revision, uint32 info, _Out_ void **sddl, _Out_ uint32 *length)',
  ),
  GetSecurityDescriptorOwner: dll.func('bool __stdcall GetSecurityDescriptorOwner(void *sd, _Out_ void **owner, _Out_ int32 *defaulted)'),
  GetSecurityDescriptorControl: dll.func(
    'bool __stdcall GetSecurityDescriptorControl(void *sd, _Out_ uint16 *control, _Out_ uint32 *revision)',
  ),
  GetSecurityDescriptorDacl: dll.func(
    'bool __stdcall GetSecurityDescriptorDacl(void *sd, _Out_ int32 *present, _Out_ void **dacl, _Out_ int32 *defaulted)',
  ),
  SetNamedSecurityInfoW: dll.func(
    'uint32 __stdcall SetNamedSecurityInfoW(const char16_t *name, uint32 type, uint32 info, void *owner, void *group, void *dacl, void *sacl)',
  ),
  GetNamedSecurityInfoW: dll.func(
    'uint32 __stdcall GetNamedSecurityInfoW(const char16_t *name, uint32 type, uint32 info, _Out_ void **owner, _Out_ void **group, _Out_ void **dacl, _Out_ void **sacl, _Out_ void **sd)',
  ),
}));

/** True when the calling thread's token holds the enabled BUILTIN\Administrators group (elevated). */
export function isElevatedAdministrator(): boolean {
  const sid = Buffer.alloc(SECURITY_MAX_SID_SIZE);
  if (!api().CreateWellKnownSid(WinBuiltinAdministratorsSid, null, sid, [sid.length])) throw lastError('CreateWellKnownSid');
  const member = [0];
  if (!api().CheckTokenMembership(null, sid, member)) throw lastError('CheckTokenMembership');
  return member[0] !== 0;
}

/**
 * Sets the owner (when the SDDL has `O:`) and the DACL (when it has `D:`; protected from
 * inheritance with `D:P`) of a file or folder. https://learn.microsoft.com/windows/win32/api/aclapi/nf-aclapi-setnamedsecurityinfow
 */
export function setFileSecurity(path: string, sddl: string): void {
  setNamedSecurity(path, SE_FILE_OBJECT, sddl);
}

/**
 * Sets the owner (when the SDDL has `O:`) and the DACL (`D:`, protected with `D:P`) of the key
 * `HKLM\<keyPath>` (SetNamedSecurityInfoW names it `MACHINE\<keyPath>`).
 * https://learn.microsoft.com/windows/win32/secauthz/object-names
 */
export function setRegistryKeySecurity(keyPath: string, sddl: string): void {
  setNamedSecurity(`MACHINE\\${keyPath}`, SE_REGISTRY_KEY, sddl);
}

function setNamedSecurity(name: string, objectType: number, sddl: string): void {
  const sd: unknown[] = [null];
  if (!api().ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, sd, [0])) {
    throw lastError('ConvertStringSecurityDescriptorToSecurityDescriptorW');
  }
  try {
    const owner: unknown[] = [null];
    if (!api().GetSecurityDescriptorOwner(sd[0], owner, [0])) throw lastError('GetSecurityDescriptorOwner');
    const present = [0];
    const dacl: unknown[] = [null];
    if (!api().GetSecurityDescriptorDacl(sd[0], present, dacl, [0])) throw lastError('GetSecurityDescriptorDacl');
    const control = [0];
    if (!api().GetSecurityDescriptorControl(sd[0], control, [0])) throw lastError('GetSecurityDescriptorControl');
    let info = 0;
    if (owner[0]) info |= SecurityInformation.OWNER;
    if (present[0]) info |= SecurityInformation.DACL | (control[0]! & SE_DACL_PROTECTED ? SecurityInformation.PROTECTED_DACL : 0);
    const code = api().SetNamedSecurityInfoW(name, objectType, info, owner[0], null, dacl[0], null) as number;
    if (code !== 0) throw windowsError('SetNamedSecurityInfoW', code);
  } finally {
    localFree(sd[0]);
  }
}

/** The owner and DACL of a file or folder as SDDL. https://learn.microsoft.com/windows/win32/api/aclapi/nf-aclapi-getnamedsecurityinfow */
export function getFileSecurity(path: string): string {
  return getNamedSecurity(path, SE_FILE_OBJECT);
}

/** The owner and DACL of the key `HKLM\<keyPath>` as SDDL (read back by the tests on Windows, where ACLs are kept). */
export function getRegistryKeySecurity(keyPath: string): string {
  return getNamedSecurity(`MACHINE\\${keyPath}`, SE_REGISTRY_KEY);
}

function getNamedSecurity(name: string, objectType: number): string {
  const info = SecurityInformation.OWNER | SecurityInformation.DACL;
  const sd: unknown[] = [null];
  const code = api().GetNamedSecurityInfoW(name, objectType, info, [null], [null], [null], [null], sd) as number;
  if (code !== 0) throw windowsError('GetNamedSecurityInfoW', code);
  try {
    return sddlFromSecurityDescriptor(sd[0], info);
  } finally {
    localFree(sd[0]);
  }
}

/**
 * The parts `info` names (SecurityInformation flags) of a security descriptor (a pointer, or a
 * Buffer holding a self-relative one) as SDDL.
 * https://learn.microsoft.com/windows/win32/api/sddl/nf-sddl-convertsecuritydescriptortostringsecuritydescriptorw
 */
export function sddlFromSecurityDescriptor(sd: unknown, info: number): string {
  const text: unknown[] = [null];
  if (!api().ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, SDDL_REVISION_1, info, text, [0])) {
    throw lastError('ConvertSecurityDescriptorToStringSecurityDescriptorW');
  }
  try {
    return wideStringAt(text[0]);
  } finally {
    localFree(text[0]);
  }
}

/** A self-relative SECURITY_DESCRIPTOR in memory the system allocated; `free()` releases it. */
export interface SecurityDescriptor {
  readonly pointer: unknown;
  free(): void;
}

/**
 * The security descriptor an SDDL string describes, e.g. `D:P(A;;GA;;;SY)(A;;GA;;;BA)`, for a
 * SECURITY_ATTRIBUTES. https://learn.microsoft.com/windows/win32/api/sddl/nf-sddl-convertstringsecuritydescriptortosecuritydescriptorw
 */
export function securityDescriptorFromSddl(sddl: string): SecurityDescriptor {
  const sd: unknown[] = [null];
  if (!api().ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, sd, [0])) {
    throw lastError('ConvertStringSecurityDescriptorToSecurityDescriptorW');
  }
  let freed = false;
  return {
    pointer: sd[0],
    free: () => {
      if (!freed) localFree(sd[0]);
      freed = true;
    },
  };
}
