/**
 * Triggers as one short text each, for `install/update --trigger SPEC` and for `status`:
 * `ACTION:EVENT[=VALUE]`, e.g. `start:network`, `start:port=tcp/8080`, `stop:device={GUID},USB\VID_1234`,
 * `start:etw={GUID}`. `status` prints each trigger in the same form, so what it shows can be given
 * back to `--trigger`; triggers the syntax cannot say (custom data other than strings, a firewall
 * program or user, `other`) are printed with their details after the spec. Pure and unit-tested.
 * @module
 */
import { normalizeGuid, toRawTrigger, type ServiceTrigger, type TriggerAction, type TriggerData } from './triggers.ts';

/** The events `--trigger` knows, with what each VALUE is; in the order usage lists them. */
export const TRIGGER_EVENTS = {
  network: 'the first IP address arrives',
  'network-lost': 'the last IP address goes',
  'domain-join': 'the computer joins a domain',
  'domain-leave': 'the computer leaves a domain',
  port: 'a firewall port opens: port=tcp/8080 (udp/…, tcp/rpc)',
  'port-closed': 'a firewall port closed (about 60 s after): port-closed=tcp/8080',
  'machine-policy': 'the machine group policy changes',
  'user-policy': 'the user group policy changes',
  device: 'a device of an interface class arrives: device={GUID}[,HARDWARE-ID]...',
  etw: 'an ETW provider event: etw={GUID}[,STRING]...',
  pipe: 'a client opens a named pipe (start only): pipe=NAME',
  rpc: 'an RPC interface endpoint request (start only): rpc={GUID}',
} as const;

/** The usage line of `--trigger`. */
export const TRIGGER_SPEC_USAGE = `start|stop:${Object.keys(TRIGGER_EVENTS).join('|')}[=VALUE]`;

type EventName = keyof typeof TRIGGER_EVENTS;

const NO_VALUE: Partial<Record<EventName, ServiceTrigger['type'] | ['groupPolicy', 'machine' | 'user']>> = {
  network: 'networkAvailable',
  'network-lost': 'networkLost',
  'domain-join': 'domainJoin',
  'domain-leave': 'domainLeave',
  'machine-policy': ['groupPolicy', 'machine'],
  'user-policy': ['groupPolicy', 'user'],
};

/** `tcp/8080`, `udp/53`, `tcp/rpc` → port and protocol. */
function parsePort(value: string): { port: number | 'RPC'; protocol: 'tcp' | 'udp' } {
  const match = /^(tcp|udp)\/(\d{1,5}|rpc)$/i.exec(value);
  const portText = match?.[2]?.toLowerCase();
  const port = portText === 'rpc' ? 'RPC' : Number(portText);
  if (!match || (port !== 'RPC' && (port < 1 || port > 65535)))
    throw new SyntaxError(`the port is PROTOCOL/PORT: tcp or udp, and 1–65535 or 'rpc', e.g. tcp/8080 (not '${value}')`);
  return { port, protocol: match[1]!.toLowerCase() as 'tcp' | 'udp' };
}

/** `{GUID},a,b` → the GUID and the strings after it (empty ones refused). */
function guidAndStrings(value: string, what: string): [string, string[]] {
  const [first = '', ...rest] = value.split(',');
  const guid = normalizeGuid(first, what);
  const bad = rest.find((item) => item === '');
  if (bad !== undefined) throw new SyntaxError('an item after the GUID is empty (two commas, or one at the end)');
  return [guid, rest];
}

/**
 * The trigger a SPEC names, checked as `changeConfig` checks it. Throws a SyntaxError or
 * TypeError that says what is wrong (the CLI prefixes "--trigger 'SPEC': ").
 */
export function parseTriggerSpec(spec: string): ServiceTrigger {
  const match = /^([a-z]+):([a-z-]+)(?:=(.*))?$/is.exec(spec.trim());
  if (!match) throw new SyntaxError('expected ACTION:EVENT[=VALUE], e.g. start:network or start:port=tcp/8080');
  const action = match[1]!.toLowerCase() as TriggerAction;
  const event = match[2]!.toLowerCase() as EventName;
  const value = match[3];
  if (action !== 'start' && action !== 'stop') throw new SyntaxError(`the action is start or stop (not '${match[1]}')`);
  if (!Object.hasOwn(TRIGGER_EVENTS, event))
    throw new SyntaxError(`no event is called '${match[2]}': use one of ${Object.keys(TRIGGER_EVENTS).join(', ')}`);
  const plain = NO_VALUE[event];
  if (plain !== undefined) {
    if (value !== undefined) throw new SyntaxError(`'${event}' takes no value`);
    return Array.isArray(plain) ? { action, type: plain[0], scope: plain[1] } : ({ action, type: plain } as ServiceTrigger);
  }
  if (value === undefined || value === '') throw new SyntaxError(`'${event}' needs a value: ${TRIGGER_EVENTS[event]}`);
  let trigger: ServiceTrigger;
  switch (event) {
    case 'port':
    case 'port-closed':
      trigger = { action, type: event === 'port' ? 'firewallPortOpen' : 'firewallPortClose', ...parsePort(value) };
      break;
    case 'device': {
      const [interfaceClass, hardwareIds] = guidAndStrings(value, 'the device interface class');
      trigger = { action, type: 'deviceInterfaceArrival', interfaceClass, ...(hardwareIds.length ? { hardwareIds } : {}) };
      break;
    }
    case 'etw': {
      const [provider, strings] = guidAndStrings(value, 'the ETW provider');
      trigger = {
        action,
        type: 'custom',
        provider,
        ...(strings.length ? { data: strings.map((item): TriggerData => ({ type: 'string', value: item })) } : {}),
      };
      break;
    }
    case 'pipe':
      trigger = { action, type: 'namedPipe', pipe: value };
      break;
    default:
      trigger = { action, type: 'rpcInterface', interface: normalizeGuid(value, 'the RPC interface') };
  }
  toRawTrigger(trigger, event);
  return trigger;
}

const braced = (guid: string) => `{${guid}}`;

function dataText(item: TriggerData): string {
  switch (item.type) {
    case 'string':
      return JSON.stringify(item.value);
    case 'strings':
      return `[${item.value.map((value) => JSON.stringify(value)).join(', ')}]`;
    default:
      return `${item.type} ${String(item.value)}`;
  }
}

/** A trigger as `status` shows it: its SPEC, and in parentheses what the SPEC cannot say. */
export function formatTrigger(trigger: ServiceTrigger): string {
  const head = `${trigger.action}:`;
  switch (trigger.type) {
    case 'networkAvailable':
      return `${head}network`;
    case 'networkLost':
      return `${head}network-lost`;
    case 'domainJoin':
      return `${head}domain-join`;
    case 'domainLeave':
      return `${head}domain-leave`;
    case 'groupPolicy':
      return `${head}${trigger.scope}-policy`;
    case 'firewallPortOpen':
    case 'firewallPortClose': {
      const spec = `${head}${trigger.type === 'firewallPortOpen' ? 'port' : 'port-closed'}=${trigger.protocol}/${String(trigger.port).toLowerCase()}`;
      const extra = [trigger.executable, trigger.user].filter((item) => item !== undefined);
      return extra.length ? `${spec} (${extra.join(', ')})` : spec;
    }
    case 'deviceInterfaceArrival':
      return `${head}device=${[braced(trigger.interfaceClass), ...(trigger.hardwareIds ?? [])].join(',')}`;
    case 'custom': {
      const data = trigger.data ?? [];
      if (data.every((item) => item.type === 'string' && item.value !== '' && !item.value.includes(','))) {
        return `${head}etw=${[braced(trigger.provider), ...data.map((item) => item.value as string)].join(',')}`;
      }
      return `${head}etw=${braced(trigger.provider)} (data: ${data.map(dataText).join(', ')})`;
    }
    case 'namedPipe':
      return `${head}pipe=${trigger.pipe}`;
    case 'rpcInterface':
      return `${head}rpc=${braced(trigger.interface)}`;
    case 'other': {
      const data = trigger.data ?? [];
      return `${head}type ${trigger.triggerType} ${braced(trigger.subtype)}${data.length ? ` (data: ${data.map(dataText).join(', ')})` : ''}`;
    }
  }
}
