import { describe, expect, it } from 'vitest';
import { defineCounters } from '../../../../runtime/perf/counter-set.ts';
import { counterStringIds, counterStrings, MAX_NAMED_COUNTERS } from '../../../../runtime/perf/counter-strings.ts';
import { counterSetGuid, providerGuid } from '../../../../runtime/perf/guid.ts';
import { COUNTERS_NAMESPACE, countersManifest, cSymbol, EVENTS_NAMESPACE } from '../../../../runtime/perf/manifest.ts';
import { parseXml, type XmlElement } from '../../xml.ts';

const definition = defineCounters({
  name: 'Pipe & "Echo" <Service>',
  description: "Echoes what clients send\nline two, it's fine",
  counters: {
    connections: { name: 'Connections/sec', description: 'Clients served per second', type: 'ratePerSecond' },
    bytes: { name: 'Bytes received/sec', description: 'Bytes & more', type: 'ratePerSecond64', defaultScale: -3 },
    open: { name: 'Open connections', description: 'Now', type: 'count', detail: 'advanced' },
    total: { name: 'Total', description: 'All', type: 'count64' },
    change: { name: 'Change', description: 'd', type: 'delta' },
    change64: { name: 'Change64', description: 'd', type: 'delta64' },
  },
});

function manifest(serviceName = 'PipeService'): XmlElement {
  return parseXml(countersManifest(definition, { serviceName, applicationIdentity: 'host.exe' }));
}

function only(element: XmlElement, name: string): XmlElement {
  expect(element.children.map((child) => child.name)).toEqual([name]);
  return element.children[0]!;
}

/** Attributes counterman.xsd requires on each element. */
const REQUIRED = {
  provider: ['providerGuid', 'applicationIdentity'],
  counterSet: ['symbol', 'guid', 'uri', 'name', 'description'],
  counter: ['id', 'uri', 'type', 'detailLevel'],
};
/** Every attribute counterman.xsd allows on each element (no other may appear). */
const ALLOWED = {
  provider: ['symbol', 'callback', 'providerGuid', 'applicationIdentity', 'providerType', 'providerName', 'resourceBase'],
  counterSet: ['symbol', 'guid', 'uri', 'name', 'description', 'instances'],
  counter: [
    'symbol',
    'id',
    'uri',
    'name',
    'description',
    'type',
    'baseID',
    'detailLevel',
    'defaultScale',
    'aggregate',
    'perfTimeID',
    'perfFreqID',
    'multiCounterID',
    'struct',
    'field',
  ],
};
const GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/;
const C_SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkAttributes(element: XmlElement, kind: keyof typeof REQUIRED): void {
  for (const name of REQUIRED[kind]) expect(element.attributes, `${kind} needs ${name}`).toHaveProperty(name);
  for (const name of Object.keys(element.attributes)) expect(ALLOWED[kind], `${kind} may not have ${name}`).toContain(name);
}

describe('the PerfLib v2 manifest generated from a counter set', () => {
  it('has the documented structure: instrumentationManifest/instrumentation/counters(1.1)/provider/counterSet/counter', () => {
    const root = manifest();
    expect(root.name).toBe('instrumentationManifest');
    expect(root.attributes.xmlns).toBe(EVENTS_NAMESPACE);
    const counters = only(only(root, 'instrumentation'), 'counters');
    // counterman.xsd enumerates a single schemaVersion, 1.1.
    expect(counters.attributes).toEqual({ xmlns: COUNTERS_NAMESPACE, schemaVersion: '1.1' });
    const provider = only(counters, 'provider');
    checkAttributes(provider, 'provider');
    expect(provider.attributes).toMatchObject({ applicationIdentity: 'host.exe', providerType: 'userMode' });
    // CTRPP numbers the strings from 1 when the provider sets no resourceBase (counter-strings.ts).
    expect(provider.attributes).not.toHaveProperty('resourceBase');
    expect(provider.attributes.providerGuid).toMatch(GUID);
    expect(provider.attributes.symbol).toMatch(C_SYMBOL);
    const counterSet = only(provider, 'counterSet');
    checkAttributes(counterSet, 'counterSet');
    expect(counterSet.attributes.guid).toMatch(GUID);
    expect(counterSet.attributes.symbol).toMatch(C_SYMBOL);
    expect(counterSet.attributes.instances).toBe('single');
    const multiple = parseXml(
      countersManifest({ ...definition, instances: 'multiple' }, { serviceName: 'PipeService', applicationIdentity: 'host.exe' }),
    );
    expect(only(only(only(only(multiple, 'instrumentation'), 'counters'), 'provider'), 'counterSet').attributes.instances).toBe('multiple');
    for (const counter of counterSet.children) {
      expect(counter.name).toBe('counter');
      checkAttributes(counter, 'counter');
      expect(counter.attributes.symbol).toMatch(C_SYMBOL);
      expect(['standard', 'advanced']).toContain(counter.attributes.detailLevel);
      expect(Number(counter.attributes.defaultScale)).toBeGreaterThanOrEqual(-10);
    }
  });

  it('escapes names and descriptions, which read back unchanged', () => {
    const counterSet = only(only(only(only(manifest(), 'instrumentation'), 'counters'), 'provider'), 'counterSet');
    expect(counterSet.attributes.name).toBe('Pipe & "Echo" <Service>');
    expect(counterSet.attributes.description).toBe("Echoes what clients send\nline two, it's fine");
    expect(counterSet.children[1]!.attributes.description).toBe('Bytes & more');
  });

  it('numbers counters 1… in declaration order with unique ids, names and URIs, and maps each type', () => {
    const counterSet = only(only(only(only(manifest(), 'instrumentation'), 'counters'), 'provider'), 'counterSet');
    const rows = counterSet.children.map(({ attributes }) => [
      attributes.id,
      attributes.symbol,
      attributes.type,
      attributes.detailLevel,
      attributes.defaultScale,
    ]);
    expect(rows).toEqual([
      ['1', 'connections', 'perf_counter_counter', 'standard', '0'],
      ['2', 'bytes', 'perf_counter_bulk_count', 'standard', '-3'],
      ['3', 'open', 'perf_counter_rawcount', 'advanced', '0'],
      ['4', 'total', 'perf_counter_large_rawcount', 'standard', '0'],
      ['5', 'change', 'perf_counter_delta', 'standard', '0'],
      ['6', 'change64', 'perf_counter_large_delta', 'standard', '0'],
    ]);
    const uris = counterSet.children.map(({ attributes }) => attributes.uri);
    expect(new Set(uris).size).toBe(uris.length);
    expect(uris).not.toContain(counterSet.attributes.uri);
  });

  it('takes its GUIDs from the service name: the same on every install, different per service', () => {
    const provider = (root: XmlElement) => only(only(only(root, 'instrumentation'), 'counters'), 'provider');
    const first = provider(manifest('PipeService'));
    expect(provider(manifest('PipeService')).attributes.providerGuid).toBe(first.attributes.providerGuid);
    expect(provider(manifest('pipeservice')).attributes.providerGuid).toBe(first.attributes.providerGuid);
    expect(provider(manifest('OtherService')).attributes.providerGuid).not.toBe(first.attributes.providerGuid);
    expect(first.attributes.providerGuid).toBe(`{${providerGuid('PipeService').toUpperCase()}}`);
    expect(only(first, 'counterSet').attributes.guid).toBe(`{${counterSetGuid('PipeService', definition.name).toUpperCase()}}`);
  });

  it('makes C symbols of any name', () => {
    expect(cSymbol('Pipe Service-2')).toBe('Pipe_Service_2');
    expect(cSymbol('9lives')).toBe('_9lives');
  });
});

describe("the counter set's string resources", () => {
  it("follow CTRPP's numbering: four ids per element in the manifest's order, name, {Locked} name, description", () => {
    const counterSet = only(only(only(only(manifest(), 'instrumentation'), 'counters'), 'provider'), 'counterSet');
    const elements = [counterSet, ...counterSet.children];
    expect(counterStrings(definition)).toEqual(
      elements.flatMap(({ attributes }, k) => [
        { id: 1 + 4 * k, text: attributes.name },
        { id: 2 + 4 * k, text: attributes.name },
        { id: 3 + 4 * k, text: attributes.description },
      ]),
    );
  });

  it("match CTRPP's string table for HPX's heartbeat.man (one set, two counters)", () => {
    // github.com/STEllAR-GROUP/hpx examples/heartbeat/hpx_counters.rc, generated by CTRPP from heartbeat.man.
    const rc: Record<number, string> = {
      1: 'Queue Length',
      2: 'Queue Length',
      3: 'This counter set displays various HPX queue length',
      5: 'Console Thread Queue Length',
      6: 'Console Thread Queue Length',
      7: 'This counter displays the overall current thread queue lengths on the console',
      9: 'Average Console Thread Queue Length',
      10: 'Average Console Thread Queue Length',
      11: 'This counter displays the average thread queue length on the console',
    };
    const counter = (nameId: number) => ({ name: rc[nameId]!, description: rc[nameId + 2]!, type: 'count' as const });
    const heartbeat = defineCounters({ name: rc[1]!, description: rc[3]!, counters: { console: counter(5), average: counter(9) } });
    expect(Object.fromEntries(counterStrings(heartbeat).map(({ id, text }) => [id, text]))).toEqual(rc);
  });

  it('keep every id within the 16 bits of a string table', () => {
    expect(counterStringIds(MAX_NAMED_COUNTERS).descriptionId).toBeLessThanOrEqual(0xffff);
    expect(counterStringIds(MAX_NAMED_COUNTERS).descriptionId + 4).toBeGreaterThan(0xffff);
    expect(() => counterStringIds(MAX_NAMED_COUNTERS + 1)).toThrow(`a counter set's strings fit ${MAX_NAMED_COUNTERS} counters`);
    expect(() => counterStringIds(-1)).toThrow();
  });
});

describe('the test XML parser', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/closes/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<a x="a & b"/>')).toThrow(/raw '&'/);
    expect(() => parseXml('<a x="<"/>')).toThrow(/raw '<'/);
    expect(() => parseXml('<a/><b/>')).toThrow(/after the root/);
    expect(parseXml('<?xml version="1.0"?><!-- c --><a x="&#10;&amp;"><b/></a>')).toEqual({
      name: 'a',
      attributes: { x: '\n&' },
      children: [{ name: 'b', attributes: {}, children: [], text: '' }],
      text: '',
    });
  });
});
