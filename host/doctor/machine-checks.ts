/**
 * doctor's checks of the machine as a whole: the registration, the host and services folders and
 * who can change them, the machine folder, the native addon, and the host's event source with its
 * message table (loaded the way Event Viewer loads it). Each returns findings; none changes anything.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { untrustedWriters } from '../../installer/folder-security.ts';
import { readRegistration, type Registration } from '../layout/registry-layout.ts';
import { SERVICES_DIR_MARKER } from '../../installer/register.ts';
import { SERVICE_STARTED } from '../../runtime/eventlog/host-messages.ts';
import { hostSourceName } from '../../runtime/eventlog/service-log.ts';
import { eventMessageFiles, eventSourceOwner } from '../../runtime/eventlog/sources.ts';
import { getFileSecurity } from '../../runtime/win32/advapi32/security.ts';
import { formatModuleMessage, isWine, loadResourceModule } from '../../runtime/win32/kernel32.ts';
import { koffiAddonPath, machineFolder } from '../../runtime/win32/native-addon.ts';
import type { Finding } from './finding.ts';

const REGISTER_FIX = 'run "host.exe /register" (as administrator) from the host.exe the services should run';

/** The registration and whether its host is there. */
export function checkRegistration(registration: Registration | undefined = readRegistration()): Finding[] {
  const subject = 'registration';
  if (!registration) {
    return [
      {
        subject,
        status: 'error',
        message: 'this machine has no registered host (HKLM\\SOFTWARE\\NodeService has no HostPath and ServicesDir): no service can start',
        fix: REGISTER_FIX,
      },
    ];
  }
  const findings: Finding[] = [
    { subject, status: 'ok', message: `host ${registration.hostPath}, services folder ${registration.servicesDir}` },
  ];
  if (!fs.existsSync(registration.hostPath)) {
    findings.push({
      subject: 'registered host',
      status: 'error',
      message: `${registration.hostPath} does not exist: the SCM cannot start any service of it`,
      fix: `put host.exe back there, or ${REGISTER_FIX}`,
    });
  } else if (path.resolve(registration.hostPath).toLowerCase() !== path.resolve(process.execPath).toLowerCase()) {
    findings.push({
      subject: 'registered host',
      status: 'warning',
      message: `doctor runs from ${process.execPath}, but the registered host is ${registration.hostPath}: the services run that one`,
      fix: 'run doctor from the registered host.exe',
    });
  }
  return findings;
}

/** Who, besides SYSTEM, Administrators and TrustedInstaller, can change `file` (its SDDL read through GetNamedSecurityInfoW). */
function writersOf(file: string): string[] {
  return untrustedWriters(getFileSecurity(file)).map((writer) => (writer.why === 'owner' ? `${writer.sid} (its owner)` : writer.sid));
}

/** The host's folder and the services folder: only administrators may change them. Wine keeps no ACLs, so there it is not shown. */
export function checkFolders(registration: Registration): Finding[] {
  const folders = [
    {
      subject: 'host folder',
      folder: path.dirname(registration.hostPath),
      fix: 'put host.exe in a folder only administrators can write (under C:\\Program Files) and /register it from there',
    },
    {
      subject: 'services folder',
      folder: registration.servicesDir,
      fix: 'run "host.exe /register --services-dir <folder> --force" again, which gives the folder its protected security',
    },
    { subject: 'machine folder', folder: machineFolder(), fix: 'run "host.exe /register" again, which protects it' },
  ];
  return folders
    .map(({ subject, folder, fix }): Finding => {
      if (!fs.existsSync(folder)) return { subject, status: 'error', message: `${folder} does not exist`, fix };
      if (isWine())
        return {
          subject,
          status: 'not-shown',
          message: `${folder}: Wine keeps no file ACLs (it derives them from Unix modes), so who can change it cannot be checked here`,
        };
      const writers = writersOf(folder);
      if (writers.length)
        return {
          subject,
          status: 'error',
          message: `${folder} can be changed by ${writers.join(', ')}, not only by SYSTEM and administrators: code there runs as the services' accounts`,
          fix,
        };
      return { subject, status: 'ok', message: `${folder}: only SYSTEM and administrators can change it` };
    })
    .concat(markerFindings(registration));
}

function markerFindings(registration: Registration): Finding[] {
  const findings: Finding[] = [];
  if (fs.existsSync(registration.servicesDir) && !fs.existsSync(path.join(registration.servicesDir, SERVICES_DIR_MARKER))) {
    findings.push({
      subject: 'services folder',
      status: 'warning',
      message: `${registration.servicesDir} has no ${SERVICES_DIR_MARKER} marker: /register did not make it, or it was emptied since`,
      fix: 'run "host.exe /register --services-dir <folder> --force" again',
    });
  }
  if (!fs.existsSync(path.join(machineFolder(), 'registered'))) {
    findings.push({
      subject: 'machine folder',
      status: 'warning',
      message: `${machineFolder()} is not marked as made by /register: services load koffi.node from a per-user cache instead of the protected machine copy`,
      fix: 'run "host.exe /register" again',
    });
  }
  return findings;
}

/** Where the native addon was loaded from (doctor runs on it, so it loads). */
export function checkNativeAddon(registration: Registration | undefined): Finding[] {
  const subject = 'native addon';
  const file = koffiAddonPath();
  const where = path.dirname(file).toLowerCase();
  if (where === path.dirname(process.execPath).toLowerCase())
    return [{ subject, status: 'ok', message: `${file} (beside host.exe, its hash checked)` }];
  if (where.startsWith(machineFolder().toLowerCase()))
    return [{ subject, status: 'ok', message: `${file} (the protected machine copy, its hash checked)` }];
  return [
    {
      subject,
      status: registration ? 'warning' : 'ok',
      message: `${file} (a per-user cache, its hash checked)${registration ? ": the machine copy was not used (doctor is not elevated, or the machine folder is not /register's)" : ''}`,
      fix: registration ? 'run doctor as administrator; if it stays so, run "host.exe /register" again' : undefined,
    },
  ];
}

/** The host's event source: registered with host.exe as its message file, and that file's message table formats. */
export function checkHostEventSource(registration: Registration): Finding[] {
  const source = hostSourceName(registration.hostPath);
  const subject = `event source ${source}`;
  const files = eventMessageFiles(source);
  if (eventSourceOwner(source, 'Application', registration.hostPath) === 'absent' || files.length === 0) {
    return [
      {
        subject,
        status: 'error',
        message: `the Application log has no source '${source}' with message files: Event Viewer cannot show the host's entries`,
        fix: REGISTER_FIX,
      },
    ];
  }
  return [checkMessageTable(subject, files.at(-1)!, source)];
}

/** Loads `file` as Event Viewer does (LoadLibraryExW as a data file) and formats host.exe's SERVICE_STARTED for `service` from it. */
export function checkMessageTable(subject: string, file: string, service: string): Finding {
  if (!fs.existsSync(file))
    return {
      subject,
      status: 'error',
      message: `its message file ${file} does not exist: Event Viewer shows "the description cannot be found"`,
      fix: 'reinstall the service, or /register again for the host',
    };
  using module = loadResourceModule(file);
  const text = formatModuleMessage(module.handle, SERVICE_STARTED, [service, '']);
  if (!text)
    return {
      subject,
      status: 'error',
      message: `${file} has no text for host.exe's messages (no message table)`,
      fix: "reinstall host.exe: the file is damaged or is not NodeService's",
    };
  return { subject, status: 'ok', message: `${file} formats the host's messages ("${text.trim()}")` };
}

/** What Wine cannot show, said once, so it is never mistaken for a clean bill on Windows. */
export function wineLimits(): Finding[] {
  if (!isWine()) return [];
  return [
    {
      subject: 'Event Log',
      status: 'not-shown',
      message: 'Wine accepts Event Log entries and stores none: entries cannot be read back here',
    },
    {
      subject: 'failure actions',
      status: 'not-shown',
      message:
        "Wine's SCM runs no failure actions (Wine 8's does not even notice a dead service process): restarts on failure cannot be proven here",
    },
    {
      subject: 'shared processes',
      status: 'not-shown',
      message: "Wine's SCM starts each shared service in a process of its own: the shared groups' single process cannot be proven here",
    },
  ];
}
