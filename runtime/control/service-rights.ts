/**
 * Access rights by name, so no caller writes a bare access mask: those of a service object
 * (SERVICE_* and the standard rights), the set an operator gets from `--allow-control`, and those
 * of the SCM itself (SC_MANAGER_*).
 * https://learn.microsoft.com/windows/win32/services/service-security-and-access-rights
 * @module
 */

/** The access rights of a service object (SERVICE_* and the standard rights), by name. */
export const ServiceRight = {
  QUERY_CONFIG: 0x1,
  CHANGE_CONFIG: 0x2,
  QUERY_STATUS: 0x4,
  ENUMERATE_DEPENDENTS: 0x8,
  START: 0x10,
  STOP: 0x20,
  PAUSE_CONTINUE: 0x40,
  INTERROGATE: 0x80,
  USER_DEFINED_CONTROL: 0x100,
  DELETE: 0x1_0000,
  READ_CONTROL: 0x2_0000,
  WRITE_DAC: 0x4_0000,
  WRITE_OWNER: 0x8_0000,
} as const;
/** A name of {@link ServiceRight}. */
export type ServiceRightName = keyof typeof ServiceRight;

/** SERVICE_ALL_ACCESS. */
export const SERVICE_ALL_ACCESS = 0xf_01ff;

/**
 * What an operator needs to control a service without configuring it: start, stop, pause and
 * continue, query its status, interrogate it, and read its security (not CHANGE_CONFIG, not DELETE).
 */
export const CONTROL_RIGHTS =
  ServiceRight.START |
  ServiceRight.STOP |
  ServiceRight.PAUSE_CONTINUE |
  ServiceRight.QUERY_STATUS |
  ServiceRight.INTERROGATE |
  ServiceRight.READ_CONTROL;

/** The rights to the SCM itself, by name (SC_MANAGER_*). */
export const ScmRight = { CONNECT: 0x1, CREATE_SERVICE: 0x2, ENUMERATE_SERVICE: 0x4 } as const;
/** What to connect to the SCM with: names of {@link ScmRight} (or their mask). */
export type ScmAccessRights = readonly (keyof typeof ScmRight)[] | number;

/** The access mask of {@link ScmAccessRights}. */
export function scmAccessMask(access: ScmAccessRights): number {
  if (typeof access === 'number') return access;
  return access.reduce((mask, right) => {
    if (!Object.hasOwn(ScmRight, right)) throw new TypeError(`'${right}' is not an SCM right: use ${Object.keys(ScmRight).join(', ')}`);
    return mask | ScmRight[right];
  }, 0);
}

/** The rights to open a service with: names of {@link ServiceRight}, or 'all' (SERVICE_ALL_ACCESS). */
export type ServiceAccessRights = readonly ServiceRightName[] | 'all';

/** The access mask of {@link ServiceAccessRights}. */
export function accessMask(rights: ServiceAccessRights): number {
  if (rights === 'all') return SERVICE_ALL_ACCESS;
  return rights.reduce((mask, right) => {
    if (!Object.hasOwn(ServiceRight, right))
      throw new TypeError(`'${right}' is not a service right: use ${Object.keys(ServiceRight).join(', ')}`);
    return mask | ServiceRight[right];
  }, 0);
}
