import { beforeEach, describe, expect, it, vi } from 'vitest';
import { WindowsError } from '../../../../runtime/win32/windows-error.ts';

// PDH stands in: what Windows' PdhExpandWildCardPathW would list, and a query that reads back each path's length.
const pdh = vi.hoisted(() => ({
  expansions: new Map<string, string[] | Error>(),
  added: [] as string[],
}));
vi.mock('../../../../runtime/win32/pdh.ts', () => ({
  expandWildCardPath: (path: string) => {
    const answer = pdh.expansions.get(path) ?? [];
    if (answer instanceof Error) throw answer;
    return answer;
  },
  openQuery: () => 'query',
  closeQuery: () => {},
  collectQueryData: () => {},
  addEnglishCounter: (_query: unknown, path: string) => {
    pdh.added.push(path);
    return path;
  },
  formattedValue: (counter: string) => counter.length,
  enumObjects: () => [],
  enumObjectItems: (object: string) => ({ counters: ['ID Process'], instances: object === 'Process' ? ['svchost', 'node'] : [] }),
}));

const { expand, listInstances, query, sample } = await import('../../../../runtime/perf/query.ts');

beforeEach(() => {
  pdh.expansions.clear();
  pdh.added.length = 0;
});

describe('wildcard paths', () => {
  it('a path without a wildcard stands for itself; one with a wildcard for what PDH lists', () => {
    pdh.expansions.set('\\Process(*)\\ID Process', ['\\Process(svchost)\\ID Process', '\\Process(node)\\ID Process']);
    expect(expand('\\System\\System Up Time')).toEqual(['\\System\\System Up Time']);
    expect(expand('\\Process(*)\\ID Process')).toEqual(['\\Process(svchost)\\ID Process', '\\Process(node)\\ID Process']);
  });

  it('a wildcard that matches nothing, a PDH failure and a malformed path are clear errors', () => {
    expect(() => expand('\\Nothing(*)\\Counter')).toThrow('no counter matches \\Nothing(*)\\Counter');
    pdh.expansions.set(
      '\\Process(*)\\ID Process',
      new WindowsError('PdhExpandWildCardPathW', 0xc0000bd3, 'not implemented on this system (PDH_NOT_IMPLEMENTED)'),
    );
    expect(() => expand('\\Process(*)\\ID Process')).toThrow(
      'cannot expand \\Process(*)\\ID Process: not implemented on this system (PDH_NOT_IMPLEMENTED)',
    );
    expect(() => expand('\\Process(*\\ID Process')).toThrow('is not a counter path');
  });

  it('sample reads every counter a wildcard stands for, each once, keyed by its own path', async () => {
    pdh.expansions.set('\\Process(*)\\ID Process', ['\\Process(svchost)\\ID Process', '\\Process(node)\\ID Process']);
    const values = [];
    for await (const entry of sample(['\\Process(*)\\ID Process', '\\Process(node)\\ID Process'], { interval: 1, count: 2 }))
      values.push(entry);
    expect(pdh.added).toEqual(['\\Process(svchost)\\ID Process', '\\Process(node)\\ID Process']);
    // The stand-in's value of a counter is its path's length.
    const each = { '\\Process(svchost)\\ID Process': 28, '\\Process(node)\\ID Process': 25 };
    expect(values).toEqual([each, each]);
  });

  it('query reads one counter: a wildcard path goes to sample', async () => {
    await expect(query('\\Process(*)\\ID Process')).rejects.toThrow('query reads one counter: \\Process(*)\\ID Process has a wildcard');
  });

  it('lists the instances of an object', () => {
    expect(listInstances('Process')).toEqual(['svchost', 'node']);
  });
});
