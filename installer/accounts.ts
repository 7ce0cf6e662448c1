/**
 * The accounts a service can run as, in the forms sc.exe and services.msc accept, what a user
 * account needs to run one, the SIDs of the accounts and groups `--allow-control` names, and the
 * SID that must be able to write a service's log folder (host/layout/log-folder.ts secures it).
 * https://learn.microsoft.com/windows/win32/services/service-user-accounts
 * @module
 */
import { addAccountRights, lookupAccountSid } from '../runtime/win32/advapi32/lsa.ts';
import { isWindowsError } from '../runtime/win32/windows-error.ts';
import { isSidString } from '../runtime/control/service-sddl.ts';
import { sidToString } from '../runtime/eventlog/record.ts';
import { ErrorCode } from '../runtime/win32/errors.ts';
import { getComputerName } from '../runtime/win32/kernel32.ts';
import { serviceSid } from '../host/layout/service-sid.ts';

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
export const ACCOUNT_FORMS =
  'LocalSystem, LocalService, NetworkService, "NT SERVICE\\<service name>" (virtual account), DOMAIN\\user, .\\user or user@domain';

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

/**
 * Checks that a user account exists and grants it "Log on as a service" (SeServiceLogonRight), as
 * services.msc does: without it the SCM cannot start the service as that user (error 1069).
 */
export function prepareUserAccount(account: Account): void {
  let sid: Buffer;
  try {
    sid = lookupAccountSid(lookupName(account.name, getComputerName));
  } catch (error) {
    if (isWindowsError(error) && error.code === ErrorCode.ERROR_NONE_MAPPED) {
      throw new Error(
        `there is no account named '${account.name}' on this machine or its domain: check the name (DOMAIN\\user, .\\user or user@domain)`,
        { cause: error },
      );
    }
    throw error;
  }
  addAccountRights(sid, ['SeServiceLogonRight']);
}

/**
 * The name LookupAccountNameW is given for a user account. The SCM takes `.\user` (and writes it
 * back that way), but the LSA lookups do not know `.` as this machine (NSSM's account.cpp says the
 * same of LsaLookupNames): `.\user` becomes `COMPUTER\user`. Every other form goes as it is; the
 * SCM still gets the name as the user wrote it.
 */
export function lookupName(name: string, computerName: () => string): string {
  return name.startsWith('.\\') ? `${computerName()}\\${name.slice(2)}` : name;
}

/** How a name becomes a SID string; LookupAccountNameW by default (a seam for unit tests). */
export type SidLookup = (name: string) => string;

function lookupSid(name: string): string {
  return sidToString(lookupAccountSid(lookupName(name, getComputerName)));
}

/**
 * The SID strings of `--allow-control` values: a SID string (S-1-…, checked) as it is, an account
 * or group name (Operators, DOMAIN\group, user@domain) looked up. Throws an Error naming the first
 * value that is neither, before anything is changed.
 */
export function resolveSids(values: readonly string[], lookup: SidLookup = lookupSid): string[] {
  return values.map((value) => {
    const text = value.trim();
    if (text === '') throw new Error('--allow-control needs a SID (S-1-…) or an account or group name, not an empty value');
    if (/^S-\d/i.test(text)) {
      if (!isSidString(text))
        throw new Error(`'${value}' is not a well-formed SID (S-1-<authority>-<sub-authority>…, each a 32-bit number)`);
      return text.toUpperCase();
    }
    try {
      return lookup(text);
    } catch (error) {
      if (isWindowsError(error) && error.code === ErrorCode.ERROR_NONE_MAPPED) {
        throw new Error(
          `there is no account or group named '${value}' on this machine or its domain: give its name (Operators, DOMAIN\\group) or its SID (S-1-…)`,
          { cause: error },
        );
      }
      throw error;
    }
  });
}

/** The SID that must be able to write the logs of a service running as `account`; undefined for LocalSystem. */
export function logAccountSid(account: Account | undefined): string | undefined {
  switch (account?.kind) {
    case undefined:
    case 'LocalSystem':
      return undefined;
    case 'LocalService':
      return 'S-1-5-19';
    case 'NetworkService':
      return 'S-1-5-20';
    case 'virtual':
      return serviceSid(account.name.replace(/^nt service\\/i, ''));
    case 'user':
      return sidToString(lookupAccountSid(account.name));
  }
}
