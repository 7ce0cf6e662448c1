/**
 * doctor's checks of one installed service, in the order a start needs them: its Parameters, its
 * module (present, allowed where it is, loadable and exporting a ServiceFramework class, as
 * `install` checks it: the module is imported, its svcDoRun is never called), its options (working
 * directory, env file, process type against binPath, virtual account, dependencies, message DLL), its event
 * source, its log folder (a file is written and deleted), and how its last run ended.
 * @module
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readServiceParameters, type Registration, type ServiceParameters } from '../layout/registry-layout.ts';
import { checkServiceModule } from '../layout/location.ts';
import { serviceLogSettings } from '../layout/log-folder.ts';
import { prepareServiceStart } from '../layout/service-start.ts';
import { getConfig, queryStatus } from '../../runtime/control/service-control.ts';
import { eventMessageFiles, eventSourceOwner } from '../../runtime/eventlog/sources.ts';
import { loadServiceClass } from '../../runtime/loader/service-module.ts';
import { ServiceState } from '../../runtime/service/constants.ts';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../../runtime/service/timeouts.ts';
import { isWindowsError } from '../../runtime/win32/windows-error.ts';
import { sharedGroupOf } from '../apply/current-state.ts';
import type { Finding } from './finding.ts';
import { checkMessageTable } from './machine-checks.ts';
import { ErrorCode } from '../../runtime/win32/errors.ts';

/** doctor waits at most this long for one module to load (a service's own limit may be longer). */
export const DOCTOR_LOAD_TIMEOUT_MS = 15_000;

/** Every finding about installed service `name`. */
export async function checkService(name: string, registration: Registration | undefined): Promise<Finding[]> {
  const subject = `service ${name}`;
  const parameters = readServiceParameters(name);
  if (!parameters) {
    return [
      {
        subject,
        status: 'error',
        message: 'the SCM runs this host for it but it has no Parameters\\Module: an install that did not finish',
        fix: `host.exe remove ${name}, then install it again`,
      },
    ];
  }
  const findings: Finding[] = [await checkModule(subject, name, parameters, registration)];
  findings.push(...checkOptions(subject, name, parameters));
  findings.push(...checkEventSource(subject, name, registration));
  findings.push(checkLogFolder(subject, name, parameters));
  findings.push(...checkLastRun(subject, name));
  return findings;
}

async function checkModule(
  subject: string,
  name: string,
  parameters: ServiceParameters,
  registration: Registration | undefined,
): Promise<Finding> {
  const module = `${parameters.module}${parameters.exportName === 'default' ? '' : `#${parameters.exportName}`}`;
  const moveFix = `put it back, or point the service at its new place: host.exe update ${name} --module <module or app folder>`;
  if (!fs.existsSync(parameters.module))
    return { subject, status: 'error', message: `its module ${parameters.module} does not exist: the service cannot start`, fix: moveFix };
  try {
    checkServiceModule(name, parameters, registration);
  } catch (error) {
    return { subject, status: 'error', message: (error as Error).message };
  }
  const limit = Math.min(parameters.loadTimeout ?? DEFAULT_LOAD_TIMEOUT_MS, DOCTOR_LOAD_TIMEOUT_MS);
  try {
    const { serviceClass, exportName } = await loadServiceClass(
      { modulePath: parameters.module, exportName: parameters.exportName },
      { timeoutMs: limit },
    );
    return {
      subject,
      status: 'ok',
      message: `${module} loads and its export '${exportName}' is the ServiceFramework class ${serviceClass.name}`,
    };
  } catch (error) {
    return {
      subject,
      status: 'error',
      message: `${module} does not load as a service: ${(error as Error).message}`,
      fix: `fix the module (try it with "host.exe debug ${name}"), or ${moveFix}`,
    };
  }
}

function checkOptions(subject: string, name: string, parameters: ServiceParameters): Finding[] {
  const problems: Finding[] = [];
  try {
    // Secret values are not opened: only the service's start does that.
    prepareServiceStart({ ...parameters, secretNames: [], protectedEnvironment: undefined, parametersKey: undefined });
  } catch (error) {
    problems.push({ subject, status: 'error', message: (error as Error).message });
  }
  const config = getConfig(name);
  const group = sharedGroupOf(config.binaryPath);
  const shares = config.serviceType.shared;
  if (shares !== (group !== false)) {
    problems.push({
      subject,
      status: 'error',
      message: `its type is ${config.typeName} but its binPath ${group === false ? 'names no shared group' : `names the shared group ${group}`}: the SCM would not start it as NodeService expects`,
      fix: `host.exe update ${name} ${group === false ? '--own-process' : `--shared-group ${group}`}`,
    });
  }
  const virtual = /^nt service\\(.+)$/i.exec(config.account);
  if (virtual && virtual[1]!.toLowerCase() !== name.toLowerCase()) {
    problems.push({
      subject,
      status: 'error',
      message: `it runs as the virtual account ${config.account}, which is another service's`,
      fix: `host.exe update ${name} --username "NT SERVICE\\${name}"`,
    });
  }
  const missing = config.dependencies.filter((dependency) => !serviceExists(dependency));
  if (missing.length) {
    problems.push({
      subject,
      status: 'error',
      message: `it depends on ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed: its start fails with 1075`,
      fix: `install ${missing.join(', ')}, or change the dependencies: host.exe update ${name} --depends <services>`,
    });
  }
  if (parameters.messageDll && !fs.existsSync(parameters.messageDll)) {
    problems.push({
      subject,
      status: 'error',
      message: `its message DLL ${parameters.messageDll} does not exist`,
      fix: `host.exe update ${name} --messages <file.mc or DLL>`,
    });
  }
  if (problems.length === 0) {
    problems.push({
      subject,
      status: 'ok',
      message: `options consistent (${config.typeName}${group === false ? '' : `, group ${group}`}, runs as ${config.account}, working directory and env file in order)`,
    });
  }
  return problems;
}

function serviceExists(name: string): boolean {
  try {
    queryStatus(name);
    return true;
  } catch (error) {
    if (isWindowsError(error) && error.code === ErrorCode.ERROR_SERVICE_DOES_NOT_EXIST) return false;
    throw error;
  }
}

function checkEventSource(subject: string, name: string, registration: Registration | undefined): Finding[] {
  if (eventSourceOwner(name, 'Application', registration?.hostPath) === 'absent') {
    return [
      {
        subject,
        status: 'warning',
        message: `the Application log has no event source '${name}': its entries show without text in Event Viewer`,
        fix: `host.exe remove ${name} and install it again (install registers the source)`,
      },
    ];
  }
  return eventMessageFiles(name).map((file) => checkMessageFile(subject, name, file));
}

function checkMessageFile(subject: string, name: string, file: string): Finding {
  // host.exe's own table is proven once, for the host's source; a service's own DLL only needs to be there.
  if (path.extname(file).toLowerCase() === '.exe') return checkMessageTable(subject, file, name);
  return fs.existsSync(file)
    ? { subject, status: 'ok', message: `its message file ${file} is there` }
    : {
        subject,
        status: 'error',
        message: `its message file ${file} does not exist`,
        fix: 'install the service again with its --messages',
      };
}

/** The service's log folder exists and this process can write a file in it (the service's own account is checked by Windows at its start). */
function checkLogFolder(subject: string, name: string, parameters: ServiceParameters): Finding {
  const settings = serviceLogSettings(name, parameters.log);
  if (!settings.enabled) return { subject, status: 'ok', message: 'output not captured (--log none)' };
  if (!fs.existsSync(settings.dir)) {
    return {
      subject,
      status: 'error',
      message: `its log folder ${settings.dir} does not exist: the service starts without capture`,
      fix: `host.exe update ${name} --log-dir "${settings.dir}" (creates and secures it)`,
    };
  }
  const probe = path.join(settings.dir, `.doctor-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(probe, '', { flag: 'wx' });
    fs.rmSync(probe, { force: true });
    return { subject, status: 'ok', message: `its log folder ${settings.dir} is writable` };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EPERM' || code === 'EACCES') {
      return {
        subject,
        status: 'not-shown',
        message: `its log folder ${settings.dir} cannot be written by this account (only SYSTEM, administrators and the service's account may)`,
        fix: 'run doctor as administrator to check it',
      };
    }
    return {
      subject,
      status: 'error',
      message: `its log folder ${settings.dir} cannot be written: ${(error as Error).message}`,
      fix: `host.exe update ${name} --log-dir <folder>`,
    };
  }
}

function checkLastRun(subject: string, name: string): Finding[] {
  const status = queryStatus(name);
  // 1077 (ERROR_SERVICE_NEVER_STARTED) is what the SCM reports for a service not started since boot or install.
  if (
    status.currentState === ServiceState.STOPPED &&
    status.win32ExitCode !== 0 &&
    status.win32ExitCode !== ErrorCode.ERROR_SERVICE_NEVER_STARTED
  ) {
    return [
      {
        subject,
        status: 'warning',
        message: `its last run ended with exit code ${status.win32ExitCode}${status.win32ExitCode === 1066 ? ` (service-specific ${status.serviceSpecificExitCode})` : ''}`,
        fix: `see "host.exe logs ${name}" and the Application event log`,
      },
    ];
  }
  return [];
}
