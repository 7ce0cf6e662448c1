import { describe, expect, it } from 'vitest';
import { toServiceOptions, triggerOptions } from '../../../../host/cli/commands/service-options.ts';
import { UsageError } from '../../../../host/cli/usage-error.ts';
import { formatTrigger, parseTriggerSpec } from '../../../../runtime/control/trigger-spec.ts';
import type { ServiceTrigger } from '../../../../runtime/control/triggers.ts';

describe('parseTriggerSpec', () => {
  it('reads each event', () => {
    const cases: [string, ServiceTrigger][] = [
      ['start:network', { action: 'start', type: 'networkAvailable' }],
      ['stop:network-lost', { action: 'stop', type: 'networkLost' }],
      ['START:Domain-Join', { action: 'start', type: 'domainJoin' }],
      ['stop:domain-leave', { action: 'stop', type: 'domainLeave' }],
      ['start:port=tcp/8080', { action: 'start', type: 'firewallPortOpen', port: 8080, protocol: 'tcp' }],
      ['stop:port-closed=UDP/53', { action: 'stop', type: 'firewallPortClose', port: 53, protocol: 'udp' }],
      ['start:port=tcp/rpc', { action: 'start', type: 'firewallPortOpen', port: 'RPC', protocol: 'tcp' }],
      ['start:machine-policy', { action: 'start', type: 'groupPolicy', scope: 'machine' }],
      ['start:user-policy', { action: 'start', type: 'groupPolicy', scope: 'user' }],
      [
        'start:device={53F56307-B6BF-11D0-94F2-00A0C91EFB8B}',
        { action: 'start', type: 'deviceInterfaceArrival', interfaceClass: '53f56307-b6bf-11d0-94f2-00a0c91efb8b' },
      ],
      [
        'stop:device=53f56307-b6bf-11d0-94f2-00a0c91efb8b,USBSTOR\\GenDisk,USB\\VID_045E&PID_0040',
        {
          action: 'stop',
          type: 'deviceInterfaceArrival',
          interfaceClass: '53f56307-b6bf-11d0-94f2-00a0c91efb8b',
          hardwareIds: ['USBSTOR\\GenDisk', 'USB\\VID_045E&PID_0040'],
        },
      ],
      [
        'start:etw={0063715b-eeda-4007-9429-ad526f62696e}',
        { action: 'start', type: 'custom', provider: '0063715b-eeda-4007-9429-ad526f62696e' },
      ],
      [
        'start:etw={0063715b-eeda-4007-9429-ad526f62696e},ready',
        { action: 'start', type: 'custom', provider: '0063715b-eeda-4007-9429-ad526f62696e', data: [{ type: 'string', value: 'ready' }] },
      ],
      ['start:pipe=my pipe', { action: 'start', type: 'namedPipe', pipe: 'my pipe' }],
      [
        'start:rpc={12345678-1234-1234-1234-123456789abc}',
        { action: 'start', type: 'rpcInterface', interface: '12345678-1234-1234-1234-123456789abc' },
      ],
    ];
    for (const [spec, trigger] of cases) expect(parseTriggerSpec(spec), spec).toEqual(trigger);
  });

  it('refuses bad specs with one clear sentence', () => {
    const bad: [string, RegExp][] = [
      ['network', /expected ACTION:EVENT\[=VALUE\]/],
      ['', /expected ACTION:EVENT/],
      ['restart:network', /the action is start or stop \(not 'restart'\)/],
      ['start:wifi', /no event is called 'wifi': use one of network, network-lost/],
      ['start:network=yes', /'network' takes no value/],
      ['start:port', /'port' needs a value/],
      ['start:port=', /'port' needs a value/],
      ['start:port=tcp/0', /1–65535 or 'rpc'/],
      ['start:port=tcp/65536', /1–65535/],
      ['start:port=8080', /PROTOCOL\/PORT/],
      ['start:port=icmp/1', /PROTOCOL\/PORT/],
      ['start:device={53f56307-b6bf-11d0-94f2-00a0c91efb8}', /the device interface class must be a GUID/],
      ['start:device=nope', /must be a GUID/],
      ['start:device={53f56307-b6bf-11d0-94f2-00a0c91efb8b},,x', /empty/],
      ['start:etw={0063715b-eeda-4007-9429-ad526f62696e},', /empty/],
      ['stop:pipe=x', /can only start/],
      ['start:rpc=x', /the RPC interface must be a GUID/],
    ];
    for (const [spec, message] of bad) expect(() => parseTriggerSpec(spec), spec).toThrow(message);
  });
});

describe('formatTrigger', () => {
  it('prints the spec that gives the trigger back', () => {
    for (const spec of [
      'start:network',
      'stop:network-lost',
      'start:domain-join',
      'stop:domain-leave',
      'start:port=tcp/8080',
      'stop:port-closed=udp/rpc',
      'start:machine-policy',
      'start:user-policy',
      'start:device={53f56307-b6bf-11d0-94f2-00a0c91efb8b},USBSTOR\\GenDisk',
      'start:etw={0063715b-eeda-4007-9429-ad526f62696e},a,b',
      'start:pipe=p',
      'start:rpc={12345678-1234-1234-1234-123456789abc}',
    ]) {
      expect(formatTrigger(parseTriggerSpec(spec))).toBe(spec);
    }
  });

  it('adds in parentheses what a spec cannot say', () => {
    expect(
      formatTrigger({ action: 'start', type: 'firewallPortOpen', port: 5001, protocol: 'udp', executable: 'C:\\a.exe', user: 'Svc' }),
    ).toBe('start:port=udp/5001 (C:\\a.exe, Svc)');
    expect(
      formatTrigger({
        action: 'start',
        type: 'custom',
        provider: '0063715b-eeda-4007-9429-ad526f62696e',
        data: [
          { type: 'level', value: 4 },
          { type: 'string', value: 'a,b' },
        ],
      }),
    ).toBe('start:etw={0063715b-eeda-4007-9429-ad526f62696e} (data: level 4, "a,b")');
    expect(
      formatTrigger({
        action: 'stop',
        type: 'other',
        triggerType: 7,
        subtype: '2d7a2816-0c5e-45fc-9ce7-570e5ecde9c9',
        data: [{ type: 'binary', value: '75' }],
      }),
    ).toBe('stop:type 7 {2d7a2816-0c5e-45fc-9ce7-570e5ecde9c9} (data: binary 75)');
  });
});

describe('--trigger and --clear-triggers', () => {
  it('parses every --trigger, in order; --clear-triggers is no triggers', () => {
    expect(triggerOptions(['start:network', 'stop:network-lost'], undefined)).toEqual([
      { action: 'start', type: 'networkAvailable' },
      { action: 'stop', type: 'networkLost' },
    ]);
    expect(triggerOptions(undefined, true)).toEqual([]);
    expect(triggerOptions(undefined, undefined)).toBeUndefined();
    expect(toServiceOptions({ trigger: ['start:port=udp/5001'] }).triggers).toEqual([
      { action: 'start', type: 'firewallPortOpen', port: 5001, protocol: 'udp' },
    ]);
    expect(toServiceOptions({ 'clear-triggers': true }).triggers).toEqual([]);
    expect(toServiceOptions({}).triggers).toBeUndefined();
  });

  it('refuses bad input with a usage error (exit code 2) naming the spec', () => {
    expect(() => triggerOptions(['start:port=tcp/99999'], undefined)).toThrow(UsageError);
    expect(() => triggerOptions(['start:port=tcp/99999'], undefined)).toThrow(
      "--trigger 'start:port=tcp/99999': the port is PROTOCOL/PORT",
    );
    expect(() => triggerOptions(['start:device={bad}'], undefined)).toThrow(
      /^--trigger 'start:device=\{bad\}': the device interface class must be a GUID/,
    );
    expect(() => triggerOptions(['start:network'], true)).toThrow(/contradict/);
    expect(() => triggerOptions(['start:network', 'START:network'], undefined)).toThrow("--trigger 'START:network' is given twice");
    expect(() =>
      triggerOptions(
        Array.from({ length: 65 }, (_, i) => `start:port=tcp/${i + 1}`),
        undefined,
      ),
    ).toThrow(/at most 64/);
  });
});
