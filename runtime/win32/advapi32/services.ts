/**
 * advapi32.dll, Service Control Manager surface: opening the SCM and services, creating and
 * configuring them, controlling them, and the service side (dispatcher, handler, status).
 * https://learn.microsoft.com/windows/win32/services/service-functions
 * @module
 */
import { bindLibrary } from '../koffi.ts';
import { lastError } from '../kernel32.ts';
import { multiString } from '../strings.ts';

/** An open SCM or service handle (SC_HANDLE). Close it with {@link closeServiceHandle}. */
export type ScHandle = { readonly __brand: 'SC_HANDLE' };
/** A service status handle (SERVICE_STATUS_HANDLE); not closed. */
export type StatusHandle = { readonly __brand: 'SERVICE_STATUS_HANDLE' };

/** SERVICE_STATUS, as SetServiceStatus and ControlService use it. */
export interface ServiceStatus {
  serviceType: number;
  currentState: number;
  controlsAccepted: number;
  win32ExitCode: number;
  serviceSpecificExitCode: number;
  checkPoint: number;
  waitHint: number;
}

/** SERVICE_STATUS_PROCESS: SERVICE_STATUS plus the process id and flags. */
export interface ServiceStatusProcess extends ServiceStatus {
  processId: number;
  serviceFlags: number;
}

/** What CreateServiceW needs. Optional strings left out keep the SCM's defaults. */
export interface CreateServiceParams {
  name: string;
  displayName: string;
  serviceType: number;
  startType: number;
  errorControl: number;
  binaryPath: string;
  dependencies?: readonly string[];
  account?: string;
  password?: string;
}

/** ChangeServiceConfigW: fields left undefined stay as they are (SERVICE_NO_CHANGE / NULL). */
export interface ServiceConfigChange {
  serviceType?: number;
  startType?: number;
  errorControl?: number;
  binaryPath?: string;
  dependencies?: readonly string[];
  account?: string;
  password?: string;
  displayName?: string;
}

/** Access rights to the SCM and to services. */
export const ScmAccess = { CONNECT: 0x1, CREATE_SERVICE: 0x2 } as const;
export const ServiceAccess = {
  QUERY_STATUS: 0x4,
  START: 0x10,
  STOP: 0x20,
  PAUSE_CONTINUE: 0x40,
  INTERROGATE: 0x80,
  USER_DEFINED_CONTROL: 0x100,
  ALL_ACCESS: 0xf01ff,
} as const;

const SERVICE_NO_CHANGE = 0xffffffff;
const SC_STATUS_PROCESS_INFO = 0;
const SERVICE_CONFIG_DESCRIPTION = 1;
const SERVICE_CONFIG_DELAYED_AUTO_START_INFO = 3;

const api = bindLibrary('advapi32.dll', (dll, k) => {
  const statusFields = {
    dwServiceType: 'uint32',
    dwCurrentState: 'uint32',
    dwControlsAccepted: 'uint32',
    dwWin32ExitCode: 'uint32',
    dwServiceSpecificExitCode: 'uint32',
    dwCheckPoint: 'uint32',
    dwWaitHint: 'uint32',
  };
  const status = k.struct('SERVICE_STATUS', statusFields);
  k.struct('SERVICE_STATUS_PROCESS', { ...statusFields, dwProcessId: 'uint32', dwServiceFlags: 'uint32' });
  const serviceMain = k.proto('void __stdcall ServiceMainProc(uint32 argc, void *argv)');
  const handlerEx = k.proto('uint32 __stdcall HandlerExProc(uint32 control, uint32 eventType, void *eventData, void *context)');
  k.struct('SERVICE_TABLE_ENTRYW', { lpServiceName: 'const char16_t *', lpServiceProc: k.pointer(serviceMain) });
  k.struct('SERVICE_DESCRIPTIONW', { lpDescription: 'const char16_t *' });
  k.struct('SERVICE_DELAYED_AUTO_START_INFO', { fDelayedAutostart: 'int32' });
  return {
    k,
    status,
    serviceMain,
    handlerEx,
    OpenSCManagerW: dll.func('void *__stdcall OpenSCManagerW(const char16_t *machine, const char16_t *database, uint32 access)'),
    OpenServiceW: dll.func('void *__stdcall OpenServiceW(void *scm, const char16_t *name, uint32 access)'),
    CreateServiceW: dll.func(
      'void *__stdcall CreateServiceW(void *scm, const char16_t *name, const char16_t *displayName, uint32 access, uint32 serviceType, uint32 startType, uint32 errorControl, const char16_t *binaryPath, const char16_t *loadOrderGroup, void *tagId, const uint8_t *dependencies, const char16_t *account, const char16_t *password)',
    ),
    ChangeServiceConfigW: dll.func(
      'bool __stdcall ChangeServiceConfigW(void *service, uint32 serviceType, uint32 startType, uint32 errorControl, const char16_t *binaryPath, const char16_t *loadOrderGroup, void *tagId, const uint8_t *dependencies, const char16_t *account, const char16_t *password, const char16_t *displayName)',
    ),
    ChangeServiceConfig2W: dll.func('bool __stdcall ChangeServiceConfig2W(void *service, uint32 infoLevel, void *info)'),
    DeleteService: dll.func('bool __stdcall DeleteService(void *service)'),
    CloseServiceHandle: dll.func('bool __stdcall CloseServiceHandle(void *handle)'),
    StartServiceW: dll.func('bool __stdcall StartServiceW(void *service, uint32 argc, const char16_t **argv)'),
    ControlService: dll.func('bool __stdcall ControlService(void *service, uint32 control, _Out_ SERVICE_STATUS *status)'),
    QueryServiceStatusEx: dll.func(
      'bool __stdcall QueryServiceStatusEx(void *service, uint32 infoLevel, _Out_ SERVICE_STATUS_PROCESS *buffer, uint32 size, _Out_ uint32 *needed)',
    ),
    RegisterServiceCtrlHandlerExW: dll.func('void *__stdcall RegisterServiceCtrlHandlerExW(const char16_t *name, HandlerExProc *handler, void *context)'),
    SetServiceStatus: dll.func('bool __stdcall SetServiceStatus(void *statusHandle, const SERVICE_STATUS *status)'),
    StartServiceCtrlDispatcherW: dll.func('bool __stdcall StartServiceCtrlDispatcherW(const SERVICE_TABLE_ENTRYW *table)'),
  };
});

function check(functionName: string, ok: boolean): void {
  if (!ok) throw lastError(functionName);
}

function checkHandle<T>(functionName: string, handle: unknown): T {
  if (handle === null) throw lastError(functionName);
  return handle as T;
}

/** OpenSCManagerW on `machine` (null: this one). */
export function openSCManager(machine: string | null, access: number): ScHandle {
  return checkHandle('OpenSCManagerW', api().OpenSCManagerW(machine, null, access));
}

/** OpenServiceW. */
export function openService(scm: ScHandle, name: string, access: number): ScHandle {
  return checkHandle('OpenServiceW', api().OpenServiceW(scm, name, access));
}

/** CreateServiceW with full access to the new service. */
export function createService(scm: ScHandle, params: CreateServiceParams, access: number): ScHandle {
  const p = params;
  const handle = api().CreateServiceW(
    scm, p.name, p.displayName, access, p.serviceType, p.startType, p.errorControl, p.binaryPath,
    null, null, multiString(p.dependencies ?? []), p.account ?? null, p.password ?? null,
  );
  return checkHandle('CreateServiceW', handle);
}

/** ChangeServiceConfigW; only the fields given change. */
export function changeServiceConfig(service: ScHandle, change: ServiceConfigChange): void {
  const c = change;
  check(
    'ChangeServiceConfigW',
    api().ChangeServiceConfigW(
      service, c.serviceType ?? SERVICE_NO_CHANGE, c.startType ?? SERVICE_NO_CHANGE, c.errorControl ?? SERVICE_NO_CHANGE,
      c.binaryPath ?? null, null, null, c.dependencies ? multiString(c.dependencies) : null,
      c.account ?? null, c.password ?? null, c.displayName ?? null,
    ) as boolean,
  );
}

function changeServiceConfig2(service: ScHandle, level: number, type: string, value: Record<string, unknown>): void {
  const { k } = api();
  const info = k.alloc(type, 1);
  try {
    k.encode(info, type, value);
    check('ChangeServiceConfig2W', api().ChangeServiceConfig2W(service, level, info) as boolean);
  } finally {
    k.free(info);
  }
}

/** ChangeServiceConfig2W(SERVICE_CONFIG_DESCRIPTION); '' removes the description. */
export function setServiceDescription(service: ScHandle, description: string): void {
  changeServiceConfig2(service, SERVICE_CONFIG_DESCRIPTION, 'SERVICE_DESCRIPTIONW', { lpDescription: description });
}

/** ChangeServiceConfig2W(SERVICE_CONFIG_DELAYED_AUTO_START_INFO), for auto-start services. */
export function setDelayedAutoStart(service: ScHandle, delayed: boolean): void {
  changeServiceConfig2(service, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, 'SERVICE_DELAYED_AUTO_START_INFO', { fDelayedAutostart: delayed ? 1 : 0 });
}

/** DeleteService: marks the service for deletion (gone once every handle to it is closed). */
export function deleteService(service: ScHandle): void {
  check('DeleteService', api().DeleteService(service) as boolean);
}

/** CloseServiceHandle. */
export function closeServiceHandle(handle: ScHandle): void {
  check('CloseServiceHandle', api().CloseServiceHandle(handle) as boolean);
}

/** StartServiceW with `args` passed to the service after its name. */
export function startService(service: ScHandle, args: readonly string[] = []): void {
  check('StartServiceW', api().StartServiceW(service, args.length, args.length ? [...args] : null) as boolean);
}

function fromNative(raw: Record<string, number>): ServiceStatus {
  return {
    serviceType: raw.dwServiceType!,
    currentState: raw.dwCurrentState!,
    controlsAccepted: raw.dwControlsAccepted!,
    win32ExitCode: raw.dwWin32ExitCode!,
    serviceSpecificExitCode: raw.dwServiceSpecificExitCode!,
    checkPoint: raw.dwCheckPoint!,
    waitHint: raw.dwWaitHint!,
  };
}

/** ControlService: sends `control` and returns the status the service reported last. */
export function controlService(service: ScHandle, control: number): ServiceStatus {
  const out: Record<string, number>[] = [{}];
  check('ControlService', api().ControlService(service, control, out) as boolean);
  return fromNative(out[0]!);
}

/** QueryServiceStatusEx(SC_STATUS_PROCESS_INFO). */
export function queryServiceStatusEx(service: ScHandle): ServiceStatusProcess {
  const { k } = api();
  const out: Record<string, number>[] = [{}];
  const size = k.sizeof('SERVICE_STATUS_PROCESS');
  check('QueryServiceStatusEx', api().QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, out, size, [0]) as boolean);
  const raw = out[0]!;
  return { ...fromNative(raw), processId: raw.dwProcessId!, serviceFlags: raw.dwServiceFlags! };
}

/** The service side of a control: returns a Win32 code (0 = handled, 120 = not implemented). */
export type ControlHandler = (control: number, eventType: number) => number;

// Callbacks registered with koffi must outlive every native call into them: kept here for the process.
const registeredCallbacks: unknown[] = [];

/** RegisterServiceCtrlHandlerExW: `handler` runs on the JS thread for each control. */
export function registerServiceCtrlHandlerEx(name: string, handler: ControlHandler): StatusHandle {
  const { k, handlerEx } = api();
  const callback = k.register((control: number, eventType: number) => handler(control, eventType), k.pointer(handlerEx));
  registeredCallbacks.push(callback);
  return checkHandle('RegisterServiceCtrlHandlerExW', api().RegisterServiceCtrlHandlerExW(name, callback, null));
}

/** SetServiceStatus. */
export function setServiceStatus(handle: StatusHandle, status: ServiceStatus): void {
  const native = {
    dwServiceType: status.serviceType,
    dwCurrentState: status.currentState,
    dwControlsAccepted: status.controlsAccepted,
    dwWin32ExitCode: status.win32ExitCode,
    dwServiceSpecificExitCode: status.serviceSpecificExitCode,
    dwCheckPoint: status.checkPoint,
    dwWaitHint: status.waitHint,
  };
  check('SetServiceStatus', api().SetServiceStatus(handle, native) as boolean);
}

/** One entry of the dispatch table: the service name and its ServiceMain, given argv (argv[0] is the name). */
export interface DispatchEntry {
  name: string;
  main: (args: string[]) => void;
}

/**
 * StartServiceCtrlDispatcherW, run on a worker thread (koffi `.async`) so ServiceMain and HandlerEx
 * run on the JS thread. Resolves to true when the dispatcher ends (every service stopped), false
 * when it cannot start, which means the process was not started by the SCM.
 */
export function startServiceCtrlDispatcher(entries: readonly DispatchEntry[]): Promise<boolean> {
  const { k, serviceMain } = api();
  const table = entries.map((entry) => {
    const callback = k.register((argc: number, argv: unknown) => {
      const args = argc > 0 ? (k.decode(argv, 'const char16_t *', argc) as string[]) : [];
      entry.main(args);
    }, k.pointer(serviceMain));
    registeredCallbacks.push(callback);
    return { lpServiceName: entry.name, lpServiceProc: callback };
  });
  table.push({ lpServiceName: null as unknown as string, lpServiceProc: null as unknown as bigint });
  // Keeps the event loop alive while the dispatcher blocks its worker thread.
  const keepAlive = setInterval(() => {}, 1 << 30);
  return new Promise((resolve, reject) => {
    api().StartServiceCtrlDispatcherW.async(table, (error: unknown, ok: boolean) => {
      clearInterval(keepAlive);
      if (error) reject(error as Error);
      else resolve(ok);
    });
  });
}
