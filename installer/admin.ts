/**
 * The administrator check of the verbs that change the machine.
 * @module
 */
import { isElevatedAdministrator } from '../runtime/win32/advapi32/security.ts';

/** Throws a clear error unless the caller is an elevated administrator. `check` is the seam tests replace. */
export function requireAdministrator(action: string, check: () => boolean = isElevatedAdministrator): void {
  if (!check()) {
    throw new Error(`${action} needs an administrator: run it from an elevated prompt ("Run as administrator")`);
  }
}
