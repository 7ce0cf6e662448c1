/**
 * The accounts a service can run as, in the forms sc.exe and services.msc accept.
 * https://learn.microsoft.com/windows/win32/services/service-user-accounts
 * @module
 */

/** What kind of account a service runs as. */
export type AccountKind = 'LocalSystem' | 'LocalService' | 'NetworkService' | 'virtual' | 'user';

/** An account, as CreateServiceW / ChangeServiceConfigW take it. */
export interface Account {
  kind: AccountKind;
  /** The lpServiceStartName: 'LocalSystem', 'NT AUTHORITY\LocalService', 'NT SERVICE\<name>', 'DOMAIN\user'… */
  name: string;
}

const BUILT_IN: Record<string, Account> = {
  localsystem: { kind: 'LocalSystem', name: 'LocalSystem' },
  '.\\localsystem': { kind: 'LocalSystem', name: 'LocalSystem' },
  'nt authority\\system': { kind: 'LocalSystem', name: 'LocalSystem' },
  localservice: { kind: 'LocalService', name: 'NT AUTHORITY\\LocalService' },
  'nt authority\\localservice': { kind: 'LocalService', name: 'NT AUTHORITY\\LocalService' },
  networkservice: { kind: 'NetworkService', name: 'NT AUTHORITY\\NetworkService' },
  'nt authority\\networkservice': { kind: 'NetworkService', name: 'NT AUTHORITY\\NetworkService' },
};

/** The accepted forms, for error messages. */
export const ACCOUNT_FORMS = 'LocalSystem, LocalService, NetworkService, "NT SERVICE\\<service name>" (virtual account), DOMAIN\\user, .\\user or user@domain';

/** Reads an account name; throws an Error naming the accepted forms for anything else. */
export function parseAccount(text: string): Account {
  const trimmed = text.trim();
  const builtIn = BUILT_IN[trimmed.toLowerCase()];
  if (builtIn) return builtIn;
  const virtual = /^nt service\\(.+)$/i.exec(trimmed);
  if (virtual) return { kind: 'virtual', name: `NT SERVICE\\${virtual[1]}` };
  if (/^nt authority\\/i.test(trimmed)) throw new Error(`'${text}' is not a built-in account: use one of ${ACCOUNT_FORMS}`);
  if (/^[^\\@\s]+\\[^\\@]+$/.test(trimmed) || /^[^\\@\s]+@[^\\@\s]+$/.test(trimmed)) return { kind: 'user', name: trimmed };
  throw new Error(`'${text}' is not an account form NodeService knows: use one of ${ACCOUNT_FORMS}`);
}

/** Whether the account signs in with a password (built-in and virtual accounts have none). */
export function needsPassword(account: Account): boolean {
  return account.kind === 'user';
}
