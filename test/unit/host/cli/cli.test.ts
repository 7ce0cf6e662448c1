import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../../host/cli/cli.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  return { out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runCli', () => {
  it('prints help with no verb and exits 0', async () => {
    const { out } = capture();
    expect(await runCli([])).toBe(0);
    expect(out.join('\n')).toMatch(/Verbs:\n {2}\/register +record/);
    expect(out.join('\n')).toMatch(/^ {2}install +install the service/m);
  });

  it('exits 2 for an unknown verb, naming it', async () => {
    const { err } = capture();
    expect(await runCli(['nope'])).toBe(2);
    expect(err.join('\n')).toContain("unknown verb 'nope'");
  });

  it('exits 2 with the verb usage for a bad option', async () => {
    const { err } = capture();
    expect(await runCli(['info', '--frob'])).toBe(2);
    expect(err.join('\n')).toMatch(/unknown option '--frob'\nUsage: .* info \[--json\]/);
  });

  it('shows a verb usage for "<verb> --help"', async () => {
    const { out } = capture();
    expect(await runCli(['info', '--help'])).toBe(0);
    expect(out.join('\n')).toMatch(/Usage: .* info \[--json\]/);
  });
});
