import { describe, expect, it } from 'vitest';
import { OwnedHandle } from '../../../../runtime/win32/owned-handle.ts';

/** A handle whose release is recorded (and fails when told to). */
function fixture(options: { releaseFails?: boolean } = {}) {
  const released: number[] = [];
  const warnings: Error[] = [];
  const owned = new OwnedHandle(
    42,
    (handle) => {
      released.push(handle);
      if (options.releaseFails) throw Object.assign(new Error('CloseServiceHandle: The handle is invalid.'), { code: 6 });
    },
    'service handle',
    (warning) => warnings.push(warning),
  );
  return { owned, released, warnings };
}

describe('OwnedHandle (issue 17: one handle idiom, `using`)', () => {
  it('releases once on leaving a `using` block, and a second close or dispose does nothing', () => {
    const { owned, released } = fixture();
    {
      using inBlock = owned;
      expect(inBlock.handle).toBe(42);
    }
    expect(released).toEqual([42]);
    owned.close();
    owned[Symbol.dispose]();
    expect(released).toEqual([42]);
    expect(owned.closed).toBe(true);
  });

  it('throws when used after close, naming what it held', () => {
    const { owned } = fixture();
    owned.close();
    expect(() => owned.handle).toThrow('the service handle is closed');
  });

  it("keeps a block's own error when the close on the way out fails too, and warns of the close", () => {
    const { owned, released, warnings } = fixture({ releaseFails: true });
    const original = Object.assign(new Error('ControlService: access denied'), { code: 5 });
    let caught: unknown;
    try {
      using _handle = owned;
      throw original;
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(original);
    expect(released).toEqual([42]);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'closing a service handle failed: CloseServiceHandle: The handle is invalid.',
    ]);
    expect((warnings[0]!.cause as { code: number }).code).toBe(6);
  });

  it('throws a failed close from close(), and counts the handle closed after it', () => {
    const { owned, released, warnings } = fixture({ releaseFails: true });
    expect(() => owned.close()).toThrow('The handle is invalid');
    expect(owned.closed).toBe(true);
    owned.close();
    expect(released).toEqual([42]);
    expect(warnings).toEqual([]);
  });

  it('disposes in an async function after the awaited work settles, not before', async () => {
    const { owned, released } = fixture();
    const seen: number[][] = [];
    const work = async () => {
      using held = owned;
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push([...released]);
      return held.handle;
    };
    await expect(work()).resolves.toBe(42);
    expect(seen).toEqual([[]]);
    expect(released).toEqual([42]);
  });
});
