import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../../../host/cli/args.ts';
import { UsageError } from '../../../../host/cli/usage-error.ts';

const options = { name: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('parseCommandArgs', () => {
  it('returns typed values and positionals', () => {
    const parsed = parseCommandArgs(['mod.js', '--name', 'Svc', '--json'], options, { names: ['module'] });
    expect(parsed.values).toEqual({ name: 'Svc', json: true });
    expect(parsed.positionals).toEqual(['mod.js']);
  });

  it('names the missing positional', () => {
    expect(() => parseCommandArgs([], options, { names: ['module'] })).toThrow(new UsageError('missing <module>'));
  });

  it('refuses extra positionals unless variadic', () => {
    expect(() => parseCommandArgs(['a', 'b'], options, { names: ['module'] })).toThrow(new UsageError("unexpected argument 'b'"));
    expect(parseCommandArgs(['a', 'b', 'c'], options, { names: ['service'], variadic: true }).positionals).toEqual(['a', 'b', 'c']);
  });

  it('accepts optional positionals', () => {
    expect(parseCommandArgs([], options, { names: ['service'], required: 0 }).positionals).toEqual([]);
  });

  it('reports unknown options and missing values as usage errors without parseArgs hints', () => {
    expect(() => parseCommandArgs(['--bogus'], options, { names: [] })).toThrow(UsageError);
    expect(() => parseCommandArgs(['--bogus'], options, { names: [] })).toThrow(/^unknown option '--bogus'$/);
    expect(() => parseCommandArgs(['--name'], options, { names: [] })).toThrow(/--name/);
  });
});
