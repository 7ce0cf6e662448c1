/**
 * advapi32.dll, Service Control Manager surface: opening the SCM and services, creating and
 * configuring them, controlling them, and the service side (dispatcher, handler, status).
 * https://learn.microsoft.com/windows/win32/services/service-functions
 * @module
 */
import type { ServiceState, ServiceType } from '../../service/constants.ts';
import type { ReadAt } from '../../service/event-decoders.ts';
import { bindLibrary, koffi, memoryReader } from '../koffi.ts';
import { localFree } from '../kernel32.ts';
import { callWithSizedBuffer, check, checkHandle, ErrorCode, lastError } from '../errors.ts';

/** An open SCM or service handle (SC_HANDLE). Close it with {@link closeServiceHandle}. */
export type ScHandle = { readonly __brand: 'SC_HANDLE' };
/** A service status handle (SERVICE_STATUS_HANDLE); not closed. */
export type StatusHandle = { readonly __brand: 'SERVICE_STATUS_HANDLE' };

/**
 * SERVICE_STATUS, as SetServiceStatus and ControlService use it. The state is a {@link ServiceState};
 * the other fields are the SCM's numbers, named by control/status.ts (`describeStatus`) for callers.
 */
export interface ServiceStatus {
  /** A {@link ServiceType} value, with SERVICE_INTERACTIVE_PROCESS (0x100) where set. */
  serviceType: number;
  currentState: ServiceState;
  /** AcceptControl flags. */
  controlsAccepted: number;
  /** A Win32 code (ERROR_SERVICE_SPECIFIC_ERROR: see serviceSpecificExitCode). */
  win32ExitCode: number;
  serviceSpecificExitCode: number;
  checkPoint: number;
  /** Milliseconds. */
  waitHint: number;
}

/** SERVICE_STATUS_PROCESS: SERVICE_STATUS plus the process id and flags. */
export interface ServiceStatusProcess extends ServiceStatus {
  processId: number;
  serviceFlags: number;
}

/** A service as EnumServicesStatusExW and EnumDependentServicesW list it. */
export interface EnumeratedService {
  name: string;
  displayName: string;
  status: ServiceStatusProcess;
}

/** Access rights to the SCM and to services. */
export const ScmAccess = { CONNECT: 0x1, CREATE_SERVICE: 0x2, ENUMERATE_SERVICE: 0x4 } as const;
export const ServiceAccess = {
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
  ALL_ACCESS: 0xf01ff,
} as const;

const SC_STATUS_PROCESS_INFO = 0;
const SC_ENUM_PROCESS_INFO = 0;
/** Where enumerations start: large enough for most machines in one call. */
const ENUM_BUFFER_BYTES = 64 * 1024;

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
  const statusProcess = k.struct('SERVICE_STATUS_PROCESS', { ...statusFields, dwProcessId: 'uint32', dwServiceFlags: 'uint32' });
  k.struct('ENUM_SERVICE_STATUS_PROCESSW', {
    lpServiceName: 'const char16_t *',
    lpDisplayName: 'const char16_t *',
    ServiceStatusProcess: statusProcess,
  });
  k.struct('ENUM_SERVICE_STATUSW', { lpServiceName: 'const char16_t *', lpDisplayName: 'const char16_t *', ServiceStatus: status });
  const serviceMain = k.proto('void __stdcall ServiceMainProc(uint32 argc, void *argv)');
  const handlerEx = k.proto('uint32 __stdcall HandlerExProc(uint32 control, uint32 eventType, void *eventData, void *context)');
  k.struct('SERVICE_TABLE_ENTRYW', { lpServiceName: 'const char16_t *', lpServiceProc: k.pointer(serviceMain) });
  return {
    k,
    status,
    serviceMain,
    handlerEx,
    OpenSCManagerW: dll.func('void *__stdcall OpenSCManagerW(const char16_t *machine, const char16_t *database, uint32 access)'),
    OpenServiceW: dll.func('void *__stdcall OpenServiceW(void *scm, const char16_t *name, uint32 access)'),
    DeleteService: dll.func('bool __stdcall DeleteService(void *service)'),
    CloseServiceHandle: dll.func('bool __stdcall CloseServiceHandle(void *handle)'),
    StartServiceW: dll.func('bool __stdcall StartServiceW(void *service, uint32 argc, const char16_t **argv)'),
    // The status goes to a Buffer so the call can run asynchronously (the handler may take 30 s).
    ControlService: dll.func('bool __stdcall ControlService(void *service, uint32 control, void *status)'),
    EnumServicesStatusExW: dll.func(
      'bool __stdcall EnumServicesStatusExW(void *scm, uint32 infoLevel, uint32 serviceType, uint32 serviceState, void *buffer, uint32 size, _Out_ uint32 *needed, _Out_ uint32 *returned, _Inout_ uint32 *resume, const char16_t *group)',
    ),
    EnumDependentServicesW: dll.func(
      'bool __stdcall EnumDependentServicesW(void *service, uint32 serviceState, void *buffer, uint32 size, _Out_ uint32 *needed, _Out_ uint32 *returned)',
    ),
    QueryServiceStatusEx: dll.func(
      'bool __stdcall QueryServiceStatusEx(void *service, uint32 infoLevel, _Out_ SERVICE_STATUS_PROCESS *buffer, uint32 size, _Out_ uint32 *needed)',
    ),
    RegisterServiceCtrlHandlerExW: dll.func(
      'void *__stdcall RegisterServiceCtrlHandlerExW(const char16_t *name, HandlerExProc *handler, void *context)',
    ),
    SetServiceStatus: dll.func('bool __stdcall SetServiceStatus(void *statusHandle, const SERVICE_STATUS *status)'),
    StartServiceCtrlDispatcherW: dll.func('bool __stdcall StartServiceCtrlDispatcherW(const SERVICE_TABLE_ENTRYW *table)'),
  };
});

/**
 * An open handle as a number another thread of this process can use ({@link scHandleAt}): SC_HANDLEs
 * are process-wide, so a worker thread can share its creator's SCM connection instead of opening its own.
 */
export function scHandleAddress(handle: ScHandle): bigint {
  return koffi().address(handle);
}

/** The handle at `address` (from {@link scHandleAddress}, in this process); the caller that opened it closes it. */
export function scHandleAt(address: bigint): ScHandle {
  const cell = Buffer.alloc(8);
  cell.writeBigUInt64LE(address);
  return koffi().decode(cell, 'void *') as ScHandle;
}

/** OpenSCManagerW on `machine` (null: this one). */
export function openSCManager(machine: string | null, access: number): ScHandle {
  return checkHandle('OpenSCManagerW', api().OpenSCManagerW(machine, null, access));
}

/** OpenServiceW. */
export function openService(scm: ScHandle, name: string, access: number): ScHandle {
  return checkHandle('OpenServiceW', api().OpenServiceW(scm, name, access));
}

/** DeleteService: marks the service for deletion (gone once every handle to it is closed). */
export function deleteService(service: ScHandle): void {
  check('DeleteService', api().DeleteService(service) as boolean);
}

/** CloseServiceHandle. */
export function closeServiceHandle(handle: ScHandle): void {
  check('CloseServiceHandle', api().CloseServiceHandle(handle) as boolean);
}

/** Runs a BOOL-returning function on a koffi worker thread; rejects with the call's last error. */
function callAsync(functionName: string, fn: { async: (...args: unknown[]) => void }, ...args: unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (error: unknown, ok: boolean) => {
      // koffi hands the worker's last-error value to the callback's thread (koffi 3.2+).
      if (error) reject(error as Error);
      else if (!ok) reject(lastError(functionName));
      else resolve();
    });
  });
}

/**
 * StartServiceW with `args` passed to the service after its name. Asynchronous: the SCM may wait
 * up to 30 s for the service process to connect before it answers.
 */
export function startService(service: ScHandle, args: readonly string[] = []): Promise<void> {
  return callAsync('StartServiceW', api().StartServiceW, service, args.length, args.length ? [...args] : null);
}

function fromNative(raw: Record<string, number>): ServiceStatus {
  return {
    serviceType: raw.dwServiceType!,
    currentState: raw.dwCurrentState! as ServiceState,
    controlsAccepted: raw.dwControlsAccepted!,
    win32ExitCode: raw.dwWin32ExitCode!,
    serviceSpecificExitCode: raw.dwServiceSpecificExitCode!,
    checkPoint: raw.dwCheckPoint!,
    waitHint: raw.dwWaitHint!,
  };
}

/**
 * ControlService: sends `control` and resolves to the status the service reported last.
 * Asynchronous: the SCM waits up to 30 s for the service's handler to return.
 */
export async function controlService(service: ScHandle, control: number): Promise<ServiceStatus> {
  const { k, status } = api();
  const buffer = Buffer.alloc(k.sizeof(status));
  await callAsync('ControlService', api().ControlService, service, control, buffer);
  return fromNative(k.decode(buffer, status) as Record<string, number>);
}

function fromEnumerated(raw: { lpServiceName: string; lpDisplayName: string }, status: Record<string, number>): EnumeratedService {
  return {
    name: raw.lpServiceName,
    displayName: raw.lpDisplayName,
    status: { ...fromNative(status), processId: status.dwProcessId ?? 0, serviceFlags: status.dwServiceFlags ?? 0 },
  };
}

/**
 * EnumServicesStatusExW(SC_ENUM_PROCESS_INFO): the services of `serviceType` (SERVICE_WIN32 = 0x30)
 * in `serviceState` (1 active, 2 inactive, 3 all), and of load-order group `group` when given (''
 * : the services in no group; undefined: any). The SCM handle needs ENUMERATE_SERVICE.
 */
export function enumServicesStatusEx(scm: ScHandle, serviceType: number, serviceState: number, group?: string): EnumeratedService[] {
  const { k } = api();
  const services: EnumeratedService[] = [];
  const resume = [0];
  let buffer = Buffer.alloc(ENUM_BUFFER_BYTES);
  for (;;) {
    const needed = [0];
    const returned = [0];
    const ok = api().EnumServicesStatusExW(
      scm,
      SC_ENUM_PROCESS_INFO,
      serviceType,
      serviceState,
      buffer,
      buffer.length,
      needed,
      returned,
      resume,
      group ?? null,
    ) as boolean;
    const error = ok ? undefined : lastError('EnumServicesStatusExW');
    if (error && error.code !== ErrorCode.ERROR_MORE_DATA) throw error;
    if (returned[0]! > 0) {
      const entries = k.decode(buffer, 'ENUM_SERVICE_STATUS_PROCESSW', returned[0]!) as {
        lpServiceName: string;
        lpDisplayName: string;
        ServiceStatusProcess: Record<string, number>;
      }[];
      services.push(...entries.map((entry) => fromEnumerated(entry, entry.ServiceStatusProcess)));
    }
    if (!error) return services;
    if (needed[0]! > buffer.length) buffer = Buffer.alloc(needed[0]!);
  }
}

/**
 * EnumDependentServicesW: the services that depend on this one, directly or not, in the order
 * they must stop (dependents of dependents first). The handle needs ENUMERATE_DEPENDENTS.
 */
export function enumDependentServices(service: ScHandle, serviceState: number): EnumeratedService[] {
  const { k } = api();
  const returned = [0];
  const buffer = callWithSizedBuffer(
    'EnumDependentServicesW',
    (b, needed) => api().EnumDependentServicesW(service, serviceState, b, b.length, needed, returned) as boolean,
  );
  if (returned[0] === 0) return [];
  const entries = k.decode(buffer, 'ENUM_SERVICE_STATUSW', returned[0]!) as {
    lpServiceName: string;
    lpDisplayName: string;
    ServiceStatus: Record<string, number>;
  }[];
  return entries.map((entry) => fromEnumerated(entry, entry.ServiceStatus));
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

/**
 * The service side of a control: returns a Win32 code (0 = handled, 120 = not implemented).
 * `read` reads lpEventData (undefined when NULL), and only during the call: decode at once.
 */
export type ControlHandler = (control: number, eventType: number, read: ReadAt | undefined) => number;

// Callbacks registered with koffi must outlive every native call into them: kept here for the process.
const registeredCallbacks: unknown[] = [];

/** RegisterServiceCtrlHandlerExW: `handler` runs on the JS thread for each control. */
export function registerServiceCtrlHandlerEx(name: string, handler: ControlHandler): StatusHandle {
  const { k, handlerEx } = api();
  const callback = k.register(
    (control: number, eventType: number, eventData: unknown) =>
      handler(control, eventType, eventData === null ? undefined : memoryReader(eventData)),
    k.pointer(handlerEx),
  );
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

/** SERVICE_DYNAMIC_INFORMATION_LEVEL_START_REASON. */
const START_REASON_LEVEL = 1;

/** QueryServiceDynamicInformation, bound apart: Windows 7 and Wine (8 and 10) do not export it (Wine's GetProcAddress returns NULL). */
const dynamicInformation = bindLibrary('advapi32.dll', (dll) => {
  try {
    return dll.func('bool __stdcall QueryServiceDynamicInformation(void *statusHandle, uint32 level, _Out_ void **info)');
  } catch {
    return undefined;
  }
});

/**
 * The SERVICE_START_REASON flags of the running service (QueryServiceDynamicInformation with
 * SERVICE_DYNAMIC_INFORMATION_LEVEL_START_REASON), or undefined where Windows cannot tell (the
 * function is missing, as under Wine, or it fails).
 * https://learn.microsoft.com/windows/win32/api/winsvc/nf-winsvc-queryservicedynamicinformation
 */
export function queryServiceStartReason(handle: StatusHandle): number | undefined {
  try {
    const query = dynamicInformation();
    const out: unknown[] = [null];
    if (!query || !(query(handle, START_REASON_LEVEL, out) as boolean) || out[0] === null) return undefined;
    try {
      // SERVICE_START_REASON { DWORD dwReason; }
      return new DataView(memoryReader(out[0])(0, 4).buffer).getUint32(0, true);
    } finally {
      localFree(out[0]);
    }
  } catch {
    // Telling why a service started must never keep it from starting.
    return undefined;
  }
}
