/**
 * The optional settings of a service (ChangeServiceConfig2W levels), each read and written
 * through the SCM, and through the SCM's database where the SCM lacks the level (see
 * service-database.ts).
 * @module
 */
import {
  ConfigLevel,
  queryDescription,
  queryFailureActions,
  queryNumber,
  queryRequiredPrivileges,
  setDescription,
  setFailureActions,
  setNumber,
  setRequiredPrivileges,
  type FailureActions,
  type NumberLevel,
} from '../win32/advapi32/service-config.ts';
import type { ScHandle } from '../win32/advapi32/services.ts';
import { isWindowsError } from '../win32/windows-error.ts';
import type { RegistryKey } from '../system/registry.ts';
import { decodeFailureActions, encodeFailureActions, openServiceKey, openServiceKeyForWrite, ValueName } from './service-database.ts';
import { queryTriggers, readDatabaseTriggers, setTriggers, writeDatabaseTriggers } from './trigger-config.ts';
import type { ServiceTrigger } from './triggers.ts';
import { ErrorCode } from '../win32/errors.ts';

/** SERVICE_CONFIG_TRIGGER_INFO. */
const TRIGGER_INFO_LEVEL = 8;

/** One optional setting: how the SCM and its database hold it. */
export interface ConfigSetting<T> {
  level: number;
  /** The value a service has when nothing was set. */
  initial: T;
  query(service: ScHandle): T;
  set(service: ScHandle, value: T): void;
  read(key: RegistryKey): T | undefined;
  write(key: RegistryKey, value: T): void;
}

function numberSetting(level: NumberLevel, valueName: string, initial: number): ConfigSetting<number> {
  return {
    level,
    initial,
    query: (service) => queryNumber(service, level),
    set: (service, value) => setNumber(service, level, value),
    read: (key) => key.getNumber(valueName),
    write: (key, value) => key.setNumber(valueName, value),
  };
}

/** Every optional setting, by the name getConfig gives it. */
export const settings = {
  description: {
    level: ConfigLevel.DESCRIPTION,
    initial: '',
    query: queryDescription,
    set: setDescription,
    read: (key) => key.getString(ValueName.DESCRIPTION),
    write: (key, value) => key.setString(ValueName.DESCRIPTION, value),
  } satisfies ConfigSetting<string>,
  failureActions: {
    level: ConfigLevel.FAILURE_ACTIONS,
    initial: { resetPeriod: 0, rebootMessage: '', command: '', actions: [] },
    query: queryFailureActions,
    set: setFailureActions,
    read: (key) => {
      const data = key.getBinary(ValueName.FAILURE_ACTIONS);
      return (
        data && decodeFailureActions(data, key.getString(ValueName.FAILURE_COMMAND) ?? '', key.getString(ValueName.REBOOT_MESSAGE) ?? '')
      );
    },
    write: (key, value) => {
      key.setBinary(ValueName.FAILURE_ACTIONS, encodeFailureActions(value));
      key.setString(ValueName.FAILURE_COMMAND, value.command);
      key.setString(ValueName.REBOOT_MESSAGE, value.rebootMessage);
    },
  } satisfies ConfigSetting<FailureActions>,
  delayedAutoStart: numberSetting(ConfigLevel.DELAYED_AUTO_START_INFO, ValueName.DELAYED_AUTOSTART, 0),
  failureActionsOnNonCrashFailures: numberSetting(ConfigLevel.FAILURE_ACTIONS_FLAG, ValueName.FAILURE_ACTIONS_ON_NON_CRASH, 0),
  sidType: numberSetting(ConfigLevel.SERVICE_SID_INFO, ValueName.SERVICE_SID_TYPE, 0),
  requiredPrivileges: {
    level: ConfigLevel.REQUIRED_PRIVILEGES_INFO,
    initial: [],
    query: queryRequiredPrivileges,
    set: setRequiredPrivileges,
    read: (key) => key.getStrings(ValueName.REQUIRED_PRIVILEGES),
    write: (key, value) => key.setStrings(ValueName.REQUIRED_PRIVILEGES, value),
  } satisfies ConfigSetting<readonly string[]>,
  preshutdownTimeout: numberSetting(ConfigLevel.PRESHUTDOWN_INFO, ValueName.PRESHUTDOWN_TIMEOUT, 180_000),
  triggers: {
    level: TRIGGER_INFO_LEVEL,
    initial: [],
    query: queryTriggers,
    set: setTriggers,
    read: readDatabaseTriggers,
    write: writeDatabaseTriggers,
  } satisfies ConfigSetting<readonly ServiceTrigger[]>,
};

/** Whether the SCM does not know the level: ERROR_INVALID_LEVEL, or Wine 8 refusing the level's union arm in its RPC (RPC_S_INVALID_TAG, as it answers ChangeServiceConfig2W for SERVICE_CONFIG_TRIGGER_INFO). */
function isInvalidLevel(error: unknown): boolean {
  return isWindowsError(error) && (error.code === ErrorCode.ERROR_INVALID_LEVEL || error.code === ErrorCode.RPC_S_INVALID_TAG);
}

/** Whether the SCM can report this level for the service. */
function scmReports(service: ScHandle, setting: ConfigSetting<unknown>): boolean {
  try {
    setting.query(service);
    return true;
  } catch (error) {
    if (isInvalidLevel(error)) return false;
    throw error;
  }
}

/**
 * A setting as the SCM reports it; where it lacks the level, as its database on this machine has
 * it (`local`), else the initial value.
 */
export function querySetting<T>(service: ScHandle, name: string, setting: ConfigSetting<T>, local: boolean): T {
  try {
    return setting.query(service);
  } catch (error) {
    if (!isInvalidLevel(error)) throw error;
    if (!local) return setting.initial;
    using key = openServiceKey(name);
    return (key && setting.read(key)) ?? setting.initial;
  }
}

/**
 * Sets a setting through the SCM. Where this machine's SCM lacks the level (it refuses it, or
 * takes it but cannot report it back), the value goes to the SCM's database, which it reads at
 * boot; another machine's database is not written (`local` false): a refused level is an error there.
 */
export function applySetting<T>(service: ScHandle, name: string, setting: ConfigSetting<T>, value: T, local = true): void {
  try {
    setting.set(service, value);
    if (!local || scmReports(service, setting)) return;
  } catch (error) {
    if (!local || !isInvalidLevel(error)) throw error;
  }
  using key = openServiceKeyForWrite(name);
  setting.write(key, value);
}
