/**
 * Access rights by name, so no caller writes a bare access mask: those of a service object
 * (SERVICE_* and the standard rights), the set an operator gets from `--allow-control`, and those
 * of the SCM itself (SC_MANAGER_*).
 * https://learn.microsoft.com/windows/win32/services/service-security-and-access-rights
 * @module
 */
import { ScmAccess, ServiceAccess } from '../win32/advapi32/services.ts';

const { ALL_ACCESS, ...serviceRights } = ServiceAccess;
/** The access rights of a service object (SERVICE_* and the standard rights), by name: win32's ServiceAccess but ALL_ACCESS, which 'all' names. */
export const ServiceRight = serviceRights;
/** A name of {@link ServiceRight}. */
export type ServiceRightName = keyof typeof ServiceRight;

/** SERVICE_ALL_ACCESS. */
export const SERVICE_ALL_ACCESS = ALL_ACCESS;

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
export const ScmRight = ScmAccess;
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
