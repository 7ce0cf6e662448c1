import { describe, expect, it } from 'vitest';
import {
  CounterPathError,
  hasWildcard,
  MAX_COUNTER_PATH,
  makeCounterPath,
  parseCounterPath,
  type CounterPathElements,
} from '../../../../runtime/perf/counter-path.ts';

// The documented forms ("Specifying a Counter Path", PDH_COUNTER_PATH_ELEMENTS), each with its parts.
const DOCUMENTED: [string, CounterPathElements][] = [
  ['\\Processor(_Total)\\% Processor Time', { object: 'Processor', instance: '_Total', counter: '% Processor Time' }],
  ['\\System\\System Up Time', { object: 'System', counter: 'System Up Time' }],
  ['\\\\Server1\\Memory\\Available Bytes', { machine: 'Server1', object: 'Memory', counter: 'Available Bytes' }],
  ['\\Process(svchost#2)\\Working Set', { object: 'Process', instance: 'svchost', index: 2, counter: 'Working Set' }],
  [
    '\\Thread(explorer/0#1)\\% Processor Time',
    { object: 'Thread', parent: 'explorer', instance: '0', index: 1, counter: '% Processor Time' },
  ],
  [
    '\\\\host.example.com\\Thread(svchost/12)\\Context Switches/sec',
    { machine: 'host.example.com', object: 'Thread', parent: 'svchost', instance: '12', counter: 'Context Switches/sec' },
  ],
  ['\\LogicalDisk(C:)\\Avg. Disk sec/Read', { object: 'LogicalDisk', instance: 'C:', counter: 'Avg. Disk sec/Read' }],
  ['\\Process(*)\\% Processor Time', { object: 'Process', instance: '*', counter: '% Processor Time' }],
  ['\\Process(app (x86))\\ID Process', { object: 'Process', instance: 'app (x86)', counter: 'ID Process' }],
  ['\\Processus(服务#1)\\% temps processeur', { object: 'Processus', instance: '服务', index: 1, counter: '% temps processeur' }],
  [
    '\\Network Interface(Intel[R] Ethernet)\\Bytes Total/sec',
    { object: 'Network Interface', instance: 'Intel[R] Ethernet', counter: 'Bytes Total/sec' },
  ],
  ['\\Process(web#app)\\Handle Count', { object: 'Process', instance: 'web#app', counter: 'Handle Count' }],
];

describe('counter paths', () => {
  it.each(DOCUMENTED)('parses %s into its parts and builds it back', (path, elements) => {
    expect(parseCounterPath(path)).toEqual(elements);
    expect(makeCounterPath(elements)).toBe(path);
  });

  it('leaves index 0 out as Windows does, and reads an explicit #0 as index 0', () => {
    expect(makeCounterPath({ object: 'Process', instance: 'svchost', index: 0, counter: 'ID Process' })).toBe(
      '\\Process(svchost)\\ID Process',
    );
    expect(parseCounterPath('\\Process(svchost#0)\\ID Process')).toEqual({
      object: 'Process',
      instance: 'svchost',
      index: 0,
      counter: 'ID Process',
    });
  });

  it('refuses malformed paths, saying what is wrong', () => {
    const refusals: [string, string][] = [
      ['', 'it is empty'],
      ['Processor\\% Processor Time', 'it must start with "\\"'],
      ['\\Processor', 'it has no counter'],
      ['\\Processor\\', 'the counter name is empty'],
      ['\\\\\\Memory\\Available Bytes', 'the machine name after "\\\\" is empty'],
      ['\\\\Server1', 'it names a machine but no object'],
      ['\\(x)\\Counter', 'the object name is empty'],
      ['\\Process(x\\Counter', 'does not end with ")"'],
      ['\\Process(x)y\\Counter', 'does not end with ")"'],
      ['\\Processx)\\Counter', 'the object has ")" without "("'],
      ['\\Process()\\Counter', 'the instance name is empty'],
      ['\\Thread(/0)\\Counter', 'the parent instance before "/" is empty'],
      ['\\Process(#3)\\Counter', 'the instance name is empty'],
      ['\\Process(a#99999999999)\\Counter', 'instance index 99999999999 is larger than 4294967295'],
      ['\\Process(a)\\Count\ner', 'it holds a control character'],
      ['\\Process(a\u0000b)\\Counter', 'it holds a control character'],
      [`\\Object\\${'x'.repeat(MAX_COUNTER_PATH)}`, 'it is longer than 2048 characters'],
    ];
    for (const [path, reason] of refusals) {
      expect(() => parseCounterPath(path), JSON.stringify(path)).toThrow(CounterPathError);
      expect(() => parseCounterPath(path), JSON.stringify(path)).toThrow(reason);
    }
    // A huge path is named in the message, cut short.
    const huge = `\\${'y'.repeat(5000)}\\Counter`;
    expect(() => parseCounterPath(huge)).toThrow(/^'\\y{79}…' is not a counter path: it is longer than 2048 characters$/);
  });

  it('refuses parts that cannot be in a path when building one', () => {
    expect(() => makeCounterPath({ object: 'Pro\\cess', counter: 'c' })).toThrow(
      "a counter path's object 'Pro\\cess' holds a character it cannot hold",
    );
    expect(() => makeCounterPath({ object: 'Process(x)', counter: 'c' })).toThrow('object');
    expect(() => makeCounterPath({ object: 'P', counter: 'a\\b' })).toThrow('counter');
    expect(() => makeCounterPath({ object: 'P', counter: '' })).toThrow("a counter path's counter must be a non-empty string");
    expect(() => makeCounterPath({ object: 'P', counter: 'c', parent: 'p' })).toThrow(
      'a counter path with a parent instance needs an instance',
    );
    expect(() => makeCounterPath({ object: 'P', counter: 'c', index: 2 })).toThrow('needs an instance');
    expect(() => makeCounterPath({ object: 'P', counter: 'c', instance: 'i', index: -1 })).toThrow(
      'instance index must be 0…4294967295, not -1',
    );
    expect(() => makeCounterPath({ object: 'P', counter: 'c', instance: 'i', index: 1.5 })).toThrow('not 1.5');
    expect(() => makeCounterPath({ object: 'P', counter: 'c', instance: 'a\nb' })).toThrow('instance');
    expect(() => makeCounterPath({ object: 'P', counter: 'x'.repeat(MAX_COUNTER_PATH) })).toThrow('longer than 2048 characters');
    expect(() => makeCounterPath({ machine: '', object: 'P', counter: 'c' })).toThrow('machine');
  });

  it('tells wildcard paths', () => {
    expect(hasWildcard('\\Process(*)\\% Processor Time')).toBe(true);
    expect(hasWildcard('\\Processor(_Total)\\*')).toBe(true);
    expect(hasWildcard('\\System\\System Up Time')).toBe(false);
  });
});
