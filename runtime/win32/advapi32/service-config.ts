/**
 * advapi32.dll, service configuration: CreateServiceW, ChangeServiceConfigW/2W and
 * QueryServiceConfigW/2W, one typed function per configuration level.
 * https://learn.microsoft.com/windows/win32/api/winsvc/nf-winsvc-changeserviceconfig2w
 * @module
 */
import { bindLibrary, wideMultiStringAt, wideStringAt } from '../koffi.ts';
import { multiString } from '../strings.ts';
import type { ScHandle } from './services.ts';
import { callWithSizedBuffer, check, checkHandle } from '../errors.ts';

/** What CreateServiceW needs. Optional strings left out keep the SCM's defaults. */
export interface CreateServiceParams {
  name: string;
  displayName: string;
  serviceType: number;
  startType: number;
  errorControl: number;
  binaryPath: string;
  loadOrderGroup?: string;
  /** Service names, and group names prefixed with '+' (SC_GROUP_IDENTIFIER). */
  dependencies?: readonly string[];
  account?: string;
  password?: string;
}

/** ChangeServiceConfigW: fields left undefined stay as they are (SERVICE_NO_CHANGE / NULL). */
export type ServiceConfigChange = Partial<Omit<CreateServiceParams, 'name'>>;

/** QUERY_SERVICE_CONFIGW. */
export interface QueriedServiceConfig {
  serviceType: number;
  startType: number;
  errorControl: number;
  binaryPath: string;
  loadOrderGroup: string;
  tagId: number;
  /** Service names, and group names prefixed with '+'. */
  dependencies: string[];
  account: string;
  displayName: string;
}

/** SC_ACTION: what the SCM does after a failure, and after how many milliseconds. */
export interface ScAction {
  /** SC_ACTION_NONE 0, SC_ACTION_RESTART 1, SC_ACTION_REBOOT 2, SC_ACTION_RUN_COMMAND 3. */
  type: number;
  delay: number;
}

/** SERVICE_FAILURE_ACTIONSW. */
export interface FailureActions {
  /** Seconds without failure after which the failure count resets (INFINITE = 0xFFFFFFFF). */
  resetPeriod: number;
  rebootMessage: string;
  command: string;
  actions: ScAction[];
}

const SERVICE_NO_CHANGE = 0xffffffff;

/** The ChangeServiceConfig2W / QueryServiceConfig2W levels. */
export const ConfigLevel = {
  DESCRIPTION: 1,
  FAILURE_ACTIONS: 2,
  DELAYED_AUTO_START_INFO: 3,
  FAILURE_ACTIONS_FLAG: 4,
  SERVICE_SID_INFO: 5,
  REQUIRED_PRIVILEGES_INFO: 6,
  PRESHUTDOWN_INFO: 7,
} as const;

const api = bindLibrary('advapi32.dll', (dll, k) => {
  k.struct('SC_ACTION', { Type: 'uint32', Delay: 'uint32' });
  k.struct('SERVICE_FAILURE_ACTIONSW', {
    dwResetPeriod: 'uint32',
    lpRebootMsg: 'const char16_t *',
    lpCommand: 'const char16_t *',
    cActions: 'uint32',
    lpsaActions: 'SC_ACTION *',
  });
  k.struct('QUERY_SERVICE_CONFIGW', {
    dwServiceType: 'uint32',
    dwStartType: 'uint32',
    dwErrorControl: 'uint32',
    lpBinaryPathName: 'const char16_t *',
    lpLoadOrderGroup: 'const char16_t *',
    dwTagId: 'uint32',
    lpDependencies: 'void *',
    lpServiceStartName: 'const char16_t *',
    lpDisplayName: 'const char16_t *',
  });
  const change2 = (infoType: string) => dll.func('ChangeServiceConfig2W', 'bool', ['void *', 'uint32', infoType]);
  return {
    k,
    CreateServiceW: dll.func(
      'void *__stdcall CreateServiceW(void *scm, const char16_t *name, const char16_t *displayName, uint32 access, uint32 serviceType, uint32 startType, uint32 errorControl, const char16_t *binaryPath, const char16_t *loadOrderGroup, void *tagId, const uint8_t *dependencies, const char16_t *account, const char16_t *password)',
    ),
    ChangeServiceConfigW: dll.func(
      'bool __stdcall ChangeServiceConfigW(void *service, uint32 serviceType, uint32 startType, uint32 errorControl, const char16_t *binaryPath, const char16_t *loadOrderGroup, void *tagId, const uint8_t *dependencies, const char16_t *account, const char16_t *password, const char16_t *displayName)',
    ),
    QueryServiceConfigW: dll.func('bool __stdcall QueryServiceConfigW(void *service, void *buffer, uint32 size, _Out_ uint32 *needed)'),
    QueryServiceConfig2W: dll.func(
      'bool __stdcall QueryServiceConfig2W(void *service, uint32 level, void *buffer, uint32 size, _Out_ uint32 *needed)',
    ),
    /** Levels whose info is one string, one 32-bit value, or a multi-string pointer. */
    changeString: change2('const char16_t **'),
    changeNumber: change2('uint32 *'),
    changeBuffer: change2('const uint8_t **'),
    changeFailureActions: change2('SERVICE_FAILURE_ACTIONSW *'),
  };
});

/** CreateServiceW. */
export function createService(scm: ScHandle, params: CreateServiceParams, access: number): ScHandle {
  const p = params;
  const handle = api().CreateServiceW(
    scm,
    p.name,
    p.displayName,
    access,
    p.serviceType,
    p.startType,
    p.errorControl,
    p.binaryPath,
    p.loadOrderGroup ?? null,
    null,
    multiString(p.dependencies ?? []),
    p.account ?? null,
    p.password ?? null,
  );
  return checkHandle('CreateServiceW', handle);
}

/** ChangeServiceConfigW; only the fields given change. */
export function changeServiceConfig(service: ScHandle, change: ServiceConfigChange): void {
  const c = change;
  check(
    'ChangeServiceConfigW',
    api().ChangeServiceConfigW(
      service,
      c.serviceType ?? SERVICE_NO_CHANGE,
      c.startType ?? SERVICE_NO_CHANGE,
      c.errorControl ?? SERVICE_NO_CHANGE,
      c.binaryPath ?? null,
      c.loadOrderGroup ?? null,
      null,
      c.dependencies ? multiString(c.dependencies) : null,
      c.account ?? null,
      c.password ?? null,
      c.displayName ?? null,
    ) as boolean,
  );
}

/** QueryServiceConfigW. The handle needs QUERY_CONFIG. */
export function queryServiceConfig(service: ScHandle): QueriedServiceConfig {
  const { k } = api();
  const buffer = callWithSizedBuffer(
    'QueryServiceConfigW',
    (b, needed) => api().QueryServiceConfigW(service, b, b.length, needed) as boolean,
  );
  const raw = k.decode(buffer, 'QUERY_SERVICE_CONFIGW') as Record<string, unknown>;
  return {
    serviceType: raw.dwServiceType as number,
    startType: raw.dwStartType as number,
    errorControl: raw.dwErrorControl as number,
    binaryPath: (raw.lpBinaryPathName as string | null) ?? '',
    loadOrderGroup: (raw.lpLoadOrderGroup as string | null) ?? '',
    tagId: raw.dwTagId as number,
    dependencies: raw.lpDependencies ? wideMultiStringAt(raw.lpDependencies) : [],
    account: (raw.lpServiceStartName as string | null) ?? '',
    displayName: (raw.lpDisplayName as string | null) ?? '',
  };
}

/** QueryServiceConfig2W at `level`: the info structure, in a buffer that also holds what it points to. */
function queryConfig2(service: ScHandle, level: number): Buffer {
  return callWithSizedBuffer(
    'QueryServiceConfig2W',
    (b, needed) => api().QueryServiceConfig2W(service, level, b, b.length, needed) as boolean,
  );
}

/** The pointer at the start of a level's info (SERVICE_DESCRIPTIONW, SERVICE_REQUIRED_PRIVILEGES_INFOW). */
function firstPointer(info: Buffer): unknown {
  return api().k.decode(info, 'void *');
}

/** SERVICE_CONFIG_DESCRIPTION; '' when there is none. */
export function queryDescription(service: ScHandle): string {
  const pointer = firstPointer(queryConfig2(service, ConfigLevel.DESCRIPTION));
  return pointer ? wideStringAt(pointer) : '';
}

/** SERVICE_CONFIG_DESCRIPTION; '' removes the description. */
export function setDescription(service: ScHandle, description: string): void {
  check('ChangeServiceConfig2W', api().changeString(service, ConfigLevel.DESCRIPTION, [description]) as boolean);
}

/** A level whose info is a single DWORD or BOOL: SERVICE_DELAYED_AUTO_START_INFO, SERVICE_FAILURE_ACTIONS_FLAG, SERVICE_SID_INFO, SERVICE_PRESHUTDOWN_INFO. */
export type NumberLevel =
  | typeof ConfigLevel.DELAYED_AUTO_START_INFO
  | typeof ConfigLevel.FAILURE_ACTIONS_FLAG
  | typeof ConfigLevel.SERVICE_SID_INFO
  | typeof ConfigLevel.PRESHUTDOWN_INFO;

/** Reads a one-number level. */
export function queryNumber(service: ScHandle, level: NumberLevel): number {
  return queryConfig2(service, level).readUInt32LE(0);
}

/** Sets a one-number level. */
export function setNumber(service: ScHandle, level: NumberLevel, value: number): void {
  check('ChangeServiceConfig2W', api().changeNumber(service, level, [value >>> 0]) as boolean);
}

/** SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO: privilege names such as SeChangeNotifyPrivilege. */
export function queryRequiredPrivileges(service: ScHandle): string[] {
  const pointer = firstPointer(queryConfig2(service, ConfigLevel.REQUIRED_PRIVILEGES_INFO));
  return pointer ? wideMultiStringAt(pointer) : [];
}

/** SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO. */
export function setRequiredPrivileges(service: ScHandle, privileges: readonly string[]): void {
  check('ChangeServiceConfig2W', api().changeBuffer(service, ConfigLevel.REQUIRED_PRIVILEGES_INFO, [multiString(privileges)]) as boolean);
}

/** SERVICE_CONFIG_FAILURE_ACTIONS. */
export function queryFailureActions(service: ScHandle): FailureActions {
  const { k } = api();
  const raw = k.decode(queryConfig2(service, ConfigLevel.FAILURE_ACTIONS), 'SERVICE_FAILURE_ACTIONSW') as Record<string, unknown>;
  const count = raw.cActions as number;
  const actions = count ? (k.decode(raw.lpsaActions, 'SC_ACTION', count) as { Type: number; Delay: number }[]) : [];
  return {
    resetPeriod: raw.dwResetPeriod as number,
    rebootMessage: (raw.lpRebootMsg as string | null) ?? '',
    command: (raw.lpCommand as string | null) ?? '',
    actions: actions.map((action) => ({ type: action.Type, delay: action.Delay })),
  };
}

/** SERVICE_CONFIG_FAILURE_ACTIONS. An empty `actions` list removes them. */
export function setFailureActions(service: ScHandle, failure: FailureActions): void {
  const info = {
    dwResetPeriod: failure.resetPeriod,
    lpRebootMsg: failure.rebootMessage,
    lpCommand: failure.command,
    cActions: failure.actions.length,
    lpsaActions: failure.actions.map((action) => ({ Type: action.type, Delay: action.delay })),
  };
  check('ChangeServiceConfig2W', api().changeFailureActions(service, ConfigLevel.FAILURE_ACTIONS, info) as boolean);
}
