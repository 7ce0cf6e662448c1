/**
 * Service triggers by name (`static svcTriggers`, `install --trigger`, `changeConfig({ triggers })`):
 * one object per event the SCM can start or stop a service on, checked and turned into the SCM's
 * numbers (SERVICE_TRIGGER: type, action, subtype GUID, data items) and back. A trigger the SCM
 * reports that these names do not cover comes back as `other`, with its numbers, so reading any
 * service's configuration never fails on it. Pure, so every mapping and refusal is unit-tested.
 * https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_trigger
 * @module
 */
import { TriggerLimits, type RawTrigger, type RawTriggerData } from './trigger-info.ts';

/** What the SCM does when the event happens. */
export type TriggerAction = 'start' | 'stop';

/** One data item of a custom (ETW) or other trigger, by its SERVICE_TRIGGER_DATA_TYPE_*. */
export type TriggerData =
  | { type: 'string'; value: string }
  /** Several strings in one item (a REG_MULTI_SZ-style list). */
  | { type: 'strings'; value: readonly string[] }
  /** Bytes as hex ('0a1b…'). */
  | { type: 'binary'; value: string }
  /** An ETW level, 0–255. */
  | { type: 'level'; value: number }
  /** An ETW keyword mask: a bigint, or a string ('0x8000000000000000' or decimal); read back as '0x…'. */
  | { type: 'keywordAny' | 'keywordAll'; value: bigint | string };

/** A firewall port event's data: the port (or 'RPC', any port RPC listens on) and protocol; optionally the listening program and its user. */
export interface FirewallPort {
  port: number | 'RPC';
  protocol: 'tcp' | 'udp';
  /** The listening program's path ('system' for ports the kernel listens on). */
  executable?: string;
  /** The listening service's name or user SID; needs `executable`. */
  user?: string;
}

/** A service trigger: the event, and the action the SCM takes on it. */
export type ServiceTrigger = { action: TriggerAction } /** The first IP address on the TCP/IP stack becomes available. */ & (
  | { type: 'networkAvailable' }
  /** The last IP address on the TCP/IP stack goes away. */
  | { type: 'networkLost' }
  | { type: 'domainJoin' }
  | { type: 'domainLeave' }
  /** A firewall port opens. */
  | ({ type: 'firewallPortOpen' } & FirewallPort)
  /** About 60 s after a firewall port closes. */
  | ({ type: 'firewallPortClose' } & FirewallPort)
  /** The machine's or the user's group policy changes. */
  | { type: 'groupPolicy'; scope: 'machine' | 'user' }
  /** A device of this interface class arrives (or is there at boot); with hardware IDs, only a device matching one of them. */
  | { type: 'deviceInterfaceArrival'; interfaceClass: string; hardwareIds?: readonly string[] }
  /** An ETW provider's event (SERVICE_TRIGGER_TYPE_CUSTOM), with the provider's own data items. */
  | { type: 'custom'; provider: string; data?: readonly TriggerData[] }
  /** A client opens this named pipe (Windows 8 and later; start only). */
  | { type: 'namedPipe'; pipe: string }
  /** An endpoint request for this RPC interface (Windows 8 and later; start only). */
  | { type: 'rpcInterface'; interface: string }
  /** Any other trigger, by its numbers: what the SCM reports that the names above do not cover. */
  | { type: 'other'; triggerType: number; subtype: string; data?: readonly TriggerData[] }
);

/** A trigger's type name. */
export type TriggerTypeName = ServiceTrigger['type'];

/** SERVICE_TRIGGER_TYPE_* (winsvc.h; the SERVICE_TRIGGER page cited above). */
export const TriggerType = {
  DEVICE_INTERFACE_ARRIVAL: 1,
  IP_ADDRESS_AVAILABILITY: 2,
  DOMAIN_JOIN: 3,
  FIREWALL_PORT_EVENT: 4,
  GROUP_POLICY: 5,
  NETWORK_ENDPOINT: 6,
  CUSTOM: 20,
} as const;

/** SERVICE_TRIGGER_ACTION_SERVICE_START / _STOP. */
export const TriggerActionCode = { start: 1, stop: 2 } as const;

/** SERVICE_TRIGGER_DATA_TYPE_* ('strings' is a STRING item holding a multi-string). */
export const TriggerDataType = { binary: 1, string: 2, level: 3, keywordAny: 4, keywordAll: 5 } as const;

/**
 * The subtype GUIDs winsvc.h defines, as the SERVICE_TRIGGER page lists them
 * (https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_trigger, "pTriggerSubtype";
 * the same values in MicrosoftDocs/sdk-api sdk-api-src/content/winsvc/ns-winsvc-service_trigger.md).
 */
export const TriggerSubtype = {
  NETWORK_MANAGER_FIRST_IP_ADDRESS_ARRIVAL: '4f27f2de-14e2-430b-a549-7cd48cbc8245',
  NETWORK_MANAGER_LAST_IP_ADDRESS_REMOVAL: 'cc4ba62a-162e-4648-847a-b6bdf993e335',
  DOMAIN_JOIN: '1ce20aba-9851-4421-9430-1ddeb766e809',
  DOMAIN_LEAVE: 'ddaf516e-58c2-4866-9574-c3b615d42ea1',
  FIREWALL_PORT_OPEN: 'b7569e07-8421-4ee0-ad10-86915afdad09',
  FIREWALL_PORT_CLOSE: 'a144ed38-8e12-4de4-9d96-e64740b1a524',
  MACHINE_POLICY_PRESENT: '659fcae6-5bdb-4da9-b1ff-ca2a178d46e0',
  USER_POLICY_PRESENT: '54fb46c8-f089-464c-b1fd-59d1b62c3b50',
  NAMED_PIPE_EVENT: '1f81d131-3fac-4537-9e0c-7e7b0c2f4b55',
  RPC_INTERFACE_EVENT: 'bc90d167-9470-4139-a9ba-be0bbbf5b74d',
} as const;

/** The triggers that have no data: their SERVICE_TRIGGER type and subtype. */
const PLAIN = {
  networkAvailable: [TriggerType.IP_ADDRESS_AVAILABILITY, TriggerSubtype.NETWORK_MANAGER_FIRST_IP_ADDRESS_ARRIVAL],
  networkLost: [TriggerType.IP_ADDRESS_AVAILABILITY, TriggerSubtype.NETWORK_MANAGER_LAST_IP_ADDRESS_REMOVAL],
  domainJoin: [TriggerType.DOMAIN_JOIN, TriggerSubtype.DOMAIN_JOIN],
  domainLeave: [TriggerType.DOMAIN_JOIN, TriggerSubtype.DOMAIN_LEAVE],
} as const;

const GUID_PATTERN = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
const MAX_DWORD = 0xffff_ffff;
const MAX_KEYWORD = 0xffff_ffff_ffff_ffffn;

/** A GUID with or without braces, lower case without them; a TypeError naming `what` otherwise. */
export function normalizeGuid(value: unknown, what: string): string {
  const match = typeof value === 'string' ? GUID_PATTERN.exec(value.trim()) : null;
  if (!match || (value as string).trim().startsWith('{') !== (value as string).trim().endsWith('}')) {
    throw new TypeError(`${what} must be a GUID like {4f27f2de-14e2-430b-a549-7cd48cbc8245} (not ${JSON.stringify(value)})`);
  }
  return match[1]!.toLowerCase();
}

/** A UTF-16 string item as the SCM keeps it: the string, NUL. */
function stringBytes(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(`${value}\0`, 'utf16le'));
}

/** A multi-string item: each string and NUL, then one more NUL. */
function stringsBytes(values: readonly string[]): Uint8Array {
  return new Uint8Array(Buffer.from(`${values.map((value) => `${value}\0`).join('')}\0`, 'utf16le'));
}

function checkString(value: unknown, what: string, allowEmpty = false): asserts value is string {
  if (typeof value !== 'string' || (!allowEmpty && value === '') || value.includes('\0'))
    throw new TypeError(`${what} must be a ${allowEmpty ? '' : 'non-empty '}string without NUL characters (not ${JSON.stringify(value)})`);
}

function keywordOf(value: unknown, what: string): bigint {
  let keyword: bigint | undefined;
  if (typeof value === 'bigint') keyword = value;
  else if (typeof value === 'string' && /^(0x[0-9a-f]{1,16}|\d{1,20})$/i.test(value.trim())) keyword = BigInt(value.trim());
  if (keyword === undefined || keyword < 0n || keyword > MAX_KEYWORD)
    throw new TypeError(`${what} must be a 64-bit keyword mask, a bigint or '0x…' (not ${String(value)})`);
  return keyword;
}

/** A data item's SCM form; a TypeError naming `what` for a bad one. */
function dataItem(item: TriggerData, what: string): RawTriggerData {
  let raw: RawTriggerData;
  switch (item?.type) {
    case 'string':
      checkString(item.value, what, true);
      raw = { type: TriggerDataType.string, bytes: stringBytes(item.value) };
      break;
    case 'strings':
      if (!Array.isArray(item.value) || item.value.length === 0) throw new TypeError(`${what} must list at least one string`);
      for (const value of item.value as unknown[]) checkString(value, `${what}'s strings`);
      raw = { type: TriggerDataType.string, bytes: stringsBytes(item.value) };
      break;
    case 'binary':
      if (typeof item.value !== 'string' || !/^([0-9a-f]{2})+$/i.test(item.value))
        throw new TypeError(`${what} must be bytes as hex, e.g. '0a1b' (not ${JSON.stringify(item.value)})`);
      raw = { type: TriggerDataType.binary, bytes: new Uint8Array(Buffer.from(item.value, 'hex')) };
      break;
    case 'level':
      if (!Number.isInteger(item.value) || item.value < 0 || item.value > 255)
        throw new TypeError(`${what} must be a level from 0 to 255 (not ${item.value})`);
      raw = { type: TriggerDataType.level, bytes: Uint8Array.of(item.value) };
      break;
    case 'keywordAny':
    case 'keywordAll': {
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64LE(keywordOf(item.value, what));
      raw = { type: TriggerDataType[item.type], bytes: new Uint8Array(bytes) };
      break;
    }
    default:
      throw new TypeError(
        `${what} must have a type of ${Object.keys(TriggerDataType).concat('strings').join(', ')} (not ${JSON.stringify((item as { type?: unknown })?.type)})`,
      );
  }
  if (raw.bytes.length > TriggerLimits.DATA_BYTES)
    throw new RangeError(`${what} is ${raw.bytes.length} bytes; the SCM takes at most ${TriggerLimits.DATA_BYTES}`);
  return raw;
}

function dataItems(items: readonly TriggerData[] | undefined, what: string): RawTriggerData[] {
  if (items === undefined) return [];
  if (!Array.isArray(items)) throw new TypeError(`${what} must be an array of data items`);
  if (items.length > TriggerLimits.DATA_ITEMS)
    throw new RangeError(`${what} has ${items.length} items; the SCM takes at most ${TriggerLimits.DATA_ITEMS}`);
  return items.map((item, i) => dataItem(item, `${what}[${i}]`));
}

/** The firewall port data item: port, protocol, and the program and user when given. */
function portItem(trigger: FirewallPort, what: string): RawTriggerData {
  const { port, protocol, executable, user } = trigger;
  if (port !== 'RPC' && (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535))
    throw new TypeError(`${what}.port must be 1–65535 or 'RPC' (not ${JSON.stringify(port)})`);
  if (protocol !== 'tcp' && protocol !== 'udp')
    throw new TypeError(`${what}.protocol must be 'tcp' or 'udp' (not ${JSON.stringify(protocol)})`);
  if (executable !== undefined) checkString(executable, `${what}.executable`);
  if (user !== undefined) {
    checkString(user, `${what}.user`);
    if (executable === undefined)
      throw new TypeError(`${what}.user needs executable beside it (the SCM matches the strings in order: port, protocol, program, user)`);
  }
  const strings = [
    String(port),
    protocol.toUpperCase(),
    ...(executable === undefined ? [] : [executable]),
    ...(user === undefined ? [] : [user]),
  ];
  return { type: TriggerDataType.string, bytes: stringsBytes(strings) };
}

/** One trigger's SCM form; a TypeError naming `what` and the field for a bad one. */
export function toRawTrigger(trigger: ServiceTrigger, what = 'trigger'): RawTrigger {
  if (typeof trigger !== 'object' || trigger === null) throw new TypeError(`${what} must be an object with action and type`);
  const action = (TriggerActionCode as Record<string, number>)[trigger.action];
  if (action === undefined || !Object.hasOwn(TriggerActionCode, trigger.action))
    throw new TypeError(`${what}.action must be 'start' or 'stop' (not ${JSON.stringify(trigger.action)})`);
  const t = trigger as ServiceTrigger & Record<string, never>;
  switch (trigger.type) {
    case 'networkAvailable':
    case 'networkLost':
    case 'domainJoin':
    case 'domainLeave': {
      const [type, subtype] = PLAIN[trigger.type];
      return { type, action, subtype, data: [] };
    }
    case 'firewallPortOpen':
    case 'firewallPortClose':
      return {
        type: TriggerType.FIREWALL_PORT_EVENT,
        action,
        subtype: trigger.type === 'firewallPortOpen' ? TriggerSubtype.FIREWALL_PORT_OPEN : TriggerSubtype.FIREWALL_PORT_CLOSE,
        data: [portItem(trigger, what)],
      };
    case 'groupPolicy':
      if (trigger.scope !== 'machine' && trigger.scope !== 'user')
        throw new TypeError(`${what}.scope must be 'machine' or 'user' (not ${JSON.stringify(t.scope)})`);
      return {
        type: TriggerType.GROUP_POLICY,
        action,
        subtype: trigger.scope === 'machine' ? TriggerSubtype.MACHINE_POLICY_PRESENT : TriggerSubtype.USER_POLICY_PRESENT,
        data: [],
      };
    case 'deviceInterfaceArrival': {
      const ids = trigger.hardwareIds ?? [];
      if (!Array.isArray(ids)) throw new TypeError(`${what}.hardwareIds must be an array of strings`);
      if (ids.length > TriggerLimits.DATA_ITEMS)
        throw new RangeError(`${what}.hardwareIds has ${ids.length} IDs; the SCM takes at most ${TriggerLimits.DATA_ITEMS}`);
      const data = ids.map((id, i) => {
        checkString(id, `${what}.hardwareIds[${i}]`);
        return dataItem({ type: 'string', value: id }, `${what}.hardwareIds[${i}]`);
      });
      return {
        type: TriggerType.DEVICE_INTERFACE_ARRIVAL,
        action,
        subtype: normalizeGuid(trigger.interfaceClass, `${what}.interfaceClass`),
        data,
      };
    }
    case 'custom':
      return {
        type: TriggerType.CUSTOM,
        action,
        subtype: normalizeGuid(trigger.provider, `${what}.provider`),
        data: dataItems(trigger.data, `${what}.data`),
      };
    case 'namedPipe':
      if (action !== TriggerActionCode.start) throw new TypeError(`${what}: a namedPipe trigger can only start a service`);
      checkString(trigger.pipe, `${what}.pipe`);
      return {
        type: TriggerType.NETWORK_ENDPOINT,
        action,
        subtype: TriggerSubtype.NAMED_PIPE_EVENT,
        data: [dataItem({ type: 'string', value: trigger.pipe }, `${what}.pipe`)],
      };
    case 'rpcInterface':
      if (action !== TriggerActionCode.start) throw new TypeError(`${what}: an rpcInterface trigger can only start a service`);
      return {
        type: TriggerType.NETWORK_ENDPOINT,
        action,
        subtype: TriggerSubtype.RPC_INTERFACE_EVENT,
        data: [dataItem({ type: 'string', value: normalizeGuid(trigger.interface, `${what}.interface`) }, `${what}.interface`)],
      };
    case 'other':
      if (!Number.isInteger(trigger.triggerType) || trigger.triggerType < 1 || trigger.triggerType > MAX_DWORD)
        throw new TypeError(`${what}.triggerType must be a SERVICE_TRIGGER_TYPE number (not ${JSON.stringify(t.triggerType)})`);
      return {
        type: trigger.triggerType,
        action,
        subtype: normalizeGuid(trigger.subtype, `${what}.subtype`),
        data: dataItems(trigger.data, `${what}.data`),
      };
    default:
      throw new TypeError(
        `${what}.type must be one of networkAvailable, networkLost, domainJoin, domainLeave, firewallPortOpen, firewallPortClose, groupPolicy, deviceInterfaceArrival, custom, namedPipe, rpcInterface, other (not ${JSON.stringify(t.type)})`,
      );
  }
}

/** A whole trigger list's SCM form (at most 64; an identical trigger twice is refused). `where` names it in errors. */
export function toRawTriggers(triggers: readonly ServiceTrigger[], where = 'triggers'): RawTrigger[] {
  if (!Array.isArray(triggers)) throw new TypeError(`${where} must be an array of triggers`);
  if (triggers.length > TriggerLimits.TRIGGERS)
    throw new RangeError(`${where} has ${triggers.length} triggers; the SCM takes at most ${TriggerLimits.TRIGGERS}`);
  const raw = triggers.map((trigger, i) => toRawTrigger(trigger, `${where}[${i}]`));
  const seen = new Set<string>();
  raw.forEach((trigger, i) => {
    const key = JSON.stringify({ ...trigger, data: trigger.data.map((item) => [item.type, Buffer.from(item.bytes).toString('hex')]) });
    if (seen.has(key)) throw new TypeError(`${where}[${i}] repeats an earlier trigger`);
    seen.add(key);
  });
  return raw;
}

/** The strings of a STRING item: one string (a single NUL at the end) or several (a multi-string). */
function stringsOf(bytes: Uint8Array): { single: boolean; values: string[] } | undefined {
  if (bytes.length % 2 !== 0) return undefined;
  const text = Buffer.from(bytes).toString('utf16le');
  if (!text.endsWith('\0')) return { single: true, values: [text] };
  const body = text.replace(/\0+$/, '');
  const values = body === '' ? [''] : body.split('\0');
  return { single: values.length === 1 && !text.endsWith('\0\0'), values };
}

/** A data item by name. */
function namedData(item: RawTriggerData): TriggerData {
  const hex = Buffer.from(item.bytes).toString('hex');
  switch (item.type) {
    case TriggerDataType.string: {
      const strings = stringsOf(item.bytes);
      if (!strings) break;
      return strings.single ? { type: 'string', value: strings.values[0]! } : { type: 'strings', value: strings.values };
    }
    case TriggerDataType.level:
      if (item.bytes.length === 1) return { type: 'level', value: item.bytes[0]! };
      break;
    case TriggerDataType.keywordAny:
    case TriggerDataType.keywordAll:
      if (item.bytes.length === 8)
        return {
          type: item.type === TriggerDataType.keywordAny ? 'keywordAny' : 'keywordAll',
          value: `0x${Buffer.from(item.bytes).readBigUInt64LE().toString(16)}`,
        };
      break;
  }
  return { type: 'binary', value: hex };
}

/** A single-string data item's string, or undefined. */
function singleString(item: RawTriggerData | undefined): string | undefined {
  if (item?.type !== TriggerDataType.string) return undefined;
  const strings = stringsOf(item.bytes);
  return strings?.single ? strings.values[0] : undefined;
}

function firewallPortOf(data: readonly RawTriggerData[]): FirewallPort | undefined {
  if (data.length !== 1 || data[0]!.type !== TriggerDataType.string) return undefined;
  const values = stringsOf(data[0]!.bytes)?.values ?? [];
  const [portText, protocolText, executable, user, ...rest] = values;
  const protocol = protocolText?.toLowerCase();
  const port = portText?.toUpperCase() === 'RPC' ? 'RPC' : /^\d{1,5}$/.test(portText ?? '') ? Number(portText) : undefined;
  if (rest.length || port === undefined || (protocol !== 'tcp' && protocol !== 'udp')) return undefined;
  return { port, protocol, ...(executable === undefined ? {} : { executable }), ...(user === undefined ? {} : { user }) };
}

/** A trigger the SCM reports, by name; `other` with its numbers where no name fits. */
export function fromRawTrigger(raw: RawTrigger): ServiceTrigger {
  const action: TriggerAction = raw.action === TriggerActionCode.stop ? 'stop' : 'start';
  const other = (): ServiceTrigger => ({
    action,
    type: 'other',
    triggerType: raw.type,
    subtype: raw.subtype,
    data: raw.data.map(namedData),
  });
  if (raw.action !== TriggerActionCode.start && raw.action !== TriggerActionCode.stop) return other();
  for (const [type, [code, subtype]] of Object.entries(PLAIN)) {
    if (raw.type === code && raw.subtype === subtype && raw.data.length === 0) return { action, type: type as keyof typeof PLAIN };
  }
  switch (raw.type) {
    case TriggerType.FIREWALL_PORT_EVENT: {
      const port = firewallPortOf(raw.data);
      if (port && raw.subtype === TriggerSubtype.FIREWALL_PORT_OPEN) return { action, type: 'firewallPortOpen', ...port };
      if (port && raw.subtype === TriggerSubtype.FIREWALL_PORT_CLOSE) return { action, type: 'firewallPortClose', ...port };
      break;
    }
    case TriggerType.GROUP_POLICY:
      if (raw.data.length) break;
      if (raw.subtype === TriggerSubtype.MACHINE_POLICY_PRESENT) return { action, type: 'groupPolicy', scope: 'machine' };
      if (raw.subtype === TriggerSubtype.USER_POLICY_PRESENT) return { action, type: 'groupPolicy', scope: 'user' };
      break;
    case TriggerType.DEVICE_INTERFACE_ARRIVAL: {
      const ids = raw.data.map(singleString);
      if (ids.every((id) => id !== undefined))
        return { action, type: 'deviceInterfaceArrival', interfaceClass: raw.subtype, ...(ids.length ? { hardwareIds: ids } : {}) };
      break;
    }
    case TriggerType.CUSTOM:
      return { action, type: 'custom', provider: raw.subtype, ...(raw.data.length ? { data: raw.data.map(namedData) } : {}) };
    case TriggerType.NETWORK_ENDPOINT: {
      const value = raw.data.length === 1 ? singleString(raw.data[0]) : undefined;
      if (value !== undefined && raw.subtype === TriggerSubtype.NAMED_PIPE_EVENT) return { action, type: 'namedPipe', pipe: value };
      if (value !== undefined && raw.subtype === TriggerSubtype.RPC_INTERFACE_EVENT && GUID_PATTERN.test(value))
        return { action, type: 'rpcInterface', interface: normalizeGuid(value, 'interface') };
      break;
    }
  }
  return other();
}
