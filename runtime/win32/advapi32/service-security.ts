/**
 * advapi32.dll, the security of a service object: who may query, start, stop or configure it,
 * read and written as SDDL (QueryServiceObjectSecurity / SetServiceObjectSecurity, through the
 * SDDL conversions of security.ts). Wine's two functions (8 and 10) are stubs: Query answers a descriptor
 * with no owner and an empty DACL, Set succeeds and keeps nothing (see README, "Service security").
 * https://learn.microsoft.com/windows/win32/api/winsvc/nf-winsvc-queryserviceobjectsecurity
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import { SecurityInformation, sddlFromSecurityDescriptor, securityDescriptorFromSddl } from './security.ts';
import type { ScHandle } from './services.ts';
import { callWithSizedBuffer, check } from '../errors.ts';

const api = bindLibrary('advapi32.dll', (dll) => ({
  QueryServiceObjectSecurity: dll.func(
    'bool __stdcall QueryServiceObjectSecurity(void *service, uint32 info, void *sd, uint32 size, _Out_ uint32 *needed)',
  ),
  SetServiceObjectSecurity: dll.func('bool __stdcall SetServiceObjectSecurity(void *service, uint32 info, void *sd)'),
}));

/** The parts of a service's security descriptor NodeService reads and writes: owner, group and DACL (the SACL needs SeSecurityPrivilege). */
export const SERVICE_SECURITY_PARTS = SecurityInformation.OWNER | SecurityInformation.GROUP | SecurityInformation.DACL;

/** The owner, group and DACL of a service as SDDL. The handle needs READ_CONTROL. */
export function queryServiceSecurity(service: ScHandle): string {
  const sd = callWithSizedBuffer(
    'QueryServiceObjectSecurity',
    (buffer, needed) =>
      api().QueryServiceObjectSecurity(service, SERVICE_SECURITY_PARTS, buffer.length ? buffer : null, buffer.length, needed) as boolean,
  );
  return sddlFromSecurityDescriptor(sd, SERVICE_SECURITY_PARTS);
}

/**
 * Sets the parts of a service's security `info` names (SecurityInformation flags) from `sddl`.
 * The handle needs WRITE_DAC for the DACL and WRITE_OWNER for the owner.
 */
export function setServiceSecurity(service: ScHandle, info: number, sddl: string): void {
  const sd = securityDescriptorFromSddl(sddl);
  try {
    check('SetServiceObjectSecurity', api().SetServiceObjectSecurity(service, info, sd.pointer) as boolean);
  } finally {
    sd.free();
  }
}
