import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INTERRUPT_SIGNALS, onInterrupt } from '../../../../host/cli/interrupt.ts';

const hostDir = path.join(import.meta.dirname, '..', '..', '..', '..', 'host');

describe('onInterrupt: Ctrl+C and Ctrl+Break alike', () => {
  const counts = () => INTERRUPT_SIGNALS.map((signal) => process.listenerCount(signal));
  const before = counts();
  afterEach(() => expect(counts()).toEqual(before));

  it('calls the handler on SIGINT (Ctrl+C) and on SIGBREAK (Ctrl+Break), each time, until removed', () => {
    const handler = vi.fn();
    const enableCtrlC = vi.fn();
    const off = onInterrupt(handler, enableCtrlC);
    // Before listening: an inherited "ignore Ctrl+C" would hide the key from the listener.
    expect(enableCtrlC).toHaveBeenCalledOnce();
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGBREAK', 'SIGBREAK');
    process.emit('SIGINT', 'SIGINT');
    expect(handler).toHaveBeenCalledTimes(3);
    off();
    process.emit('SIGBREAK', 'SIGBREAK');
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('keeps two subscriptions apart: removing one leaves the other', () => {
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = onInterrupt(first, () => {});
    const offSecond = onInterrupt(second, () => {});
    offFirst();
    process.emit('SIGBREAK', 'SIGBREAK');
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledOnce();
    offSecond();
  });

  it('is the only place host/ listens for SIGINT or SIGBREAK, so no long-running command forgets Ctrl+Break', () => {
    const listening = fs
      .readdirSync(hostDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && path.join(hostDir, file) !== path.join(hostDir, 'cli', 'interrupt.ts'))
      .filter((file) =>
        /process\.(on|once|addListener|prependListener)\(\s*['"]SIG(INT|BREAK)['"]/.test(fs.readFileSync(path.join(hostDir, file), 'utf8')),
      );
    expect(listening).toEqual([]);
  });
});
