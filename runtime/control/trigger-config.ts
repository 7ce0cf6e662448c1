/**
 * A service's triggers through the SCM (SERVICE_CONFIG_TRIGGER_INFO) and through its database,
 * where an SCM lacks the level (Wine 8: ChangeServiceConfig2W answers RPC_S_INVALID_TAG, its RPC
 * has no arm for level 8, and QueryServiceConfig2W ERROR_INVALID_LEVEL). Windows keeps them under
 * the service's key as `TriggerInfo\<n>` (n from 0), each with `Type` and `Action` (REG_DWORD),
 * `GUID` (REG_BINARY, the subtype as struct GUID), and per data item `Data<i>` (REG_BINARY, the
 * item's bytes) and `DataType<i>` (REG_DWORD): as exported from Windows' own registry, e.g.
 * `Services\Browser\TriggerInfo\0` GUID 079E56B7…(FIREWALL_PORT_OPEN_GUID), Data0 "139\0TCP\0System\0\0",
 * DataType0 2. The SCM reads them at boot; a trigger only written there acts from the next boot.
 * @module
 */
import { guidBytes, guidFromBytes } from '../perf/guid.ts';
import { RegistryKey } from '../system/registry.ts';
import { queryTriggerInfoBlock, setTriggerInfoBlock, triggerStructLayout } from '../win32/advapi32/service-triggers.ts';
import type { ScHandle } from '../win32/advapi32/services.ts';
import {
  decodeTriggerInfo,
  encodeTriggerInfo,
  TriggerLayout,
  TriggerLimits,
  triggerInfoSize,
  type RawTrigger,
  type RawTriggerData,
} from './trigger-info.ts';
import { fromRawTrigger, toRawTriggers, type ServiceTrigger } from './triggers.ts';

/** The subkey of a service's key that holds its triggers. */
export const TRIGGER_INFO_KEY = 'TriggerInfo';

let layoutChecked = false;

/** Throws when koffi lays the structs out otherwise than the encoder does (checked once per process). */
function checkLayout(): void {
  if (layoutChecked) return;
  const koffi = triggerStructLayout() as unknown as Record<string, number>;
  const wrong = Object.entries(koffi).filter(([name, value]) => (TriggerLayout as Record<string, number>)[name] !== value);
  if (wrong.length)
    throw new Error(
      `SERVICE_TRIGGER_INFO layout: koffi has ${wrong.map(([name, value]) => `${name} ${value}`).join(', ')}, the encoder ${wrong.map(([name]) => (TriggerLayout as Record<string, number>)[name]).join(', ')}`,
    );
  layoutChecked = true;
}

/** The triggers the SCM reports for a service (QUERY_CONFIG). */
export function queryTriggers(service: ScHandle): ServiceTrigger[] {
  checkLayout();
  const { block, address } = queryTriggerInfoBlock(service);
  return decodeTriggerInfo(block, address).map(fromRawTrigger);
}

/** Sets a service's triggers through the SCM, replacing those it has; [] removes them (CHANGE_CONFIG). */
export function setTriggers(service: ScHandle, triggers: readonly ServiceTrigger[]): void {
  const raw = toRawTriggers(triggers);
  checkLayout();
  setTriggerInfoBlock(service, triggerInfoSize(raw), (address) => encodeTriggerInfo(raw, address));
}

/** What one `TriggerInfo\<n>` key holds, read through `key`; undefined when it is not a trigger. */
export function readTriggerKey(key: Pick<RegistryKey, 'getNumber' | 'getBinary'>): RawTrigger | undefined {
  const type = key.getNumber('Type');
  const action = key.getNumber('Action');
  const guid = key.getBinary('GUID');
  if (type === undefined || action === undefined || guid?.length !== 16) return undefined;
  const data: RawTriggerData[] = [];
  for (let i = 0; i < TriggerLimits.DATA_ITEMS; i++) {
    const dataType = key.getNumber(`DataType${i}`);
    if (dataType === undefined) break;
    data.push({ type: dataType, bytes: new Uint8Array(key.getBinary(`Data${i}`) ?? []) });
  }
  return { type, action, subtype: guidFromBytes(guid), data };
}

/** Writes one trigger into its `TriggerInfo\<n>` key, as Windows does. */
export function writeTriggerKey(key: Pick<RegistryKey, 'setNumber' | 'setBinary'>, trigger: RawTrigger): void {
  key.setNumber('Type', trigger.type);
  key.setNumber('Action', trigger.action);
  key.setBinary('GUID', guidBytes(trigger.subtype));
  trigger.data.forEach((item, i) => {
    key.setBinary(`Data${i}`, Buffer.from(item.bytes));
    key.setNumber(`DataType${i}`, item.type);
  });
}

/** The subkey names of `keyPath`; [] when it does not exist. */
function subkeysOf(keyPath: string): string[] {
  using key = RegistryKey.open(keyPath);
  return key?.subkeys() ?? [];
}

/** The trigger stored in `keyPath`; undefined when there is no such key. */
function readTriggerAt(keyPath: string): RawTrigger | undefined {
  using key = RegistryKey.open(keyPath);
  return key && readTriggerKey(key);
}

/** The triggers in a service's key (`key` is the service's); [] when it has none. */
export function readDatabaseTriggers(key: RegistryKey): ServiceTrigger[] {
  const base = `${key.path}\\${TRIGGER_INFO_KEY}`;
  const indexes = subkeysOf(base)
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
  return indexes
    .slice(0, TriggerLimits.TRIGGERS)
    .map((index) => readTriggerAt(`${base}\\${index}`))
    .filter((raw): raw is RawTrigger => raw !== undefined)
    .map(fromRawTrigger);
}

/** Replaces the triggers in a service's key (`key` is the service's); [] removes `TriggerInfo`. */
export function writeDatabaseTriggers(key: RegistryKey, triggers: readonly ServiceTrigger[]): void {
  const raw = toRawTriggers(triggers);
  const base = `${key.path}\\${TRIGGER_INFO_KEY}`;
  RegistryKey.deleteTree(base);
  raw.forEach((trigger, index) => {
    using entry = RegistryKey.create(`${base}\\${index}`);
    writeTriggerKey(entry, trigger);
  });
}
