/**
 * The security of a service's log folder: its output may hold secrets, so the folder is readable by
 * SYSTEM and Administrators only (LOGS_DIR_SDDL, which the crash reports beside them share), plus the service's own account
 * when that is not LocalSystem. That account gets modify rights, not only read: the host process
 * runs as it and writes, rotates and deletes the files itself. `install`/`update` (administrators)
 * create the folder and set this; the host sets it again at every start where it may (as
 * LocalSystem), so a folder planted before install does not keep its own ACL. Which account that is
 * (`logAccountSid`) is installer/accounts.ts's to say.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { setFileSecurity } from '../../runtime/win32/advapi32/security.ts';
import { resolveLogSettings, type LogSettings, type StoredLogOptions } from './log-settings.ts';

/** Owned by Administrators, full control for SYSTEM and Administrators, nobody else, nothing inherited. */
export const LOGS_DIR_SDDL = 'O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)';

/** `%ProgramData%\NodeService\logs`. */
export function logsRoot(): string {
  return path.join(process.env.ProgramData ?? 'C:\\ProgramData', 'NodeService', 'logs');
}

/** The folder of service `name`'s logs and reports (characters a file name cannot hold become '_'). */
export function serviceLogsDir(name: string): string {
  return path.join(logsRoot(), name.replace(/[<>:"/\\|?*\0]/g, '_') || '_');
}

/** FILE_GENERIC_READ | FILE_GENERIC_WRITE | FILE_GENERIC_EXECUTE | DELETE ("Modify"). */
const MODIFY = '0x1301bf';

/** The folder's SDDL: SYSTEM and Administrators, and `accountSid` with modify rights when given. */
export function logFolderSddl(accountSid?: string): string {
  return accountSid ? `${LOGS_DIR_SDDL}(A;OICI;${MODIFY};;;${accountSid})` : LOGS_DIR_SDDL;
}

/**
 * Creates `dir` (and the logs root when `dir` is inside it) and gives it the log folder's
 * security; throws when it cannot (the caller decides whether that matters).
 */
export function secureLogFolder(dir: string, accountSid?: string): void {
  const root = logsRoot();
  if (dir.toLowerCase().startsWith(`${root.toLowerCase()}\\`)) {
    fs.mkdirSync(root, { recursive: true });
    setFileSecurity(root, LOGS_DIR_SDDL);
  }
  fs.mkdirSync(dir, { recursive: true });
  setFileSecurity(dir, logFolderSddl(accountSid));
}

/** Service `name`'s log settings from what Parameters holds, its default folder in the logs root. */
export function serviceLogSettings(name: string, stored: StoredLogOptions | undefined): LogSettings {
  return resolveLogSettings(name, stored ?? {}, serviceLogsDir(name));
}

/**
 * Install/update: creates service `name`'s log folder and secures it for `accountSid`. A `--log-dir`
 * folder that already holds files keeps its own security (an administrator's folder, perhaps
 * shared: NodeService does not take it over); an empty or new one gets the log folder's.
 */
export function prepareServiceLogs(name: string, stored: StoredLogOptions | undefined, accountSid: string | undefined): void {
  const settings = serviceLogSettings(name, stored);
  if (settings.enabled) prepareLogFolder(name, settings.dir, accountSid);
}

/** Secures `dir` as service `name`'s log folder, unless it is a `--log-dir` folder that already holds files (see prepareServiceLogs). */
export function prepareLogFolder(name: string, dir: string, accountSid: string | undefined): void {
  const custom = dir.toLowerCase() !== serviceLogsDir(name).toLowerCase();
  if (custom && fs.existsSync(dir) && fs.readdirSync(dir).length > 0) return;
  secureLogFolder(dir, accountSid);
}
