import { describe, expect, it } from 'vitest';
import { isAbandonedCall, withDeadline } from '../../../../runtime/control/deadline.ts';

describe('withDeadline (issue 15, item 10: every wait is bounded)', () => {
  it('gives up on a call that does not return in time, marking the error', async () => {
    const never = new Promise<never>(() => {});
    const began = Date.now();
    const error = await withDeadline(never, 50, () => new Error('ControlService: did not return within 50 ms')).catch(
      (caught: unknown) => caught,
    );
    expect(Date.now() - began).toBeLessThan(1000);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('ControlService: did not return within 50 ms');
    expect(isAbandonedCall(error)).toBe(true);
  });

  it("passes a call's own result or error through unmarked", async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, () => new Error('late'))).resolves.toBe(7);
    const failed = await withDeadline(Promise.reject(new Error('access denied')), 1000, () => new Error('late')).catch(
      (caught: unknown) => caught,
    );
    expect((failed as Error).message).toBe('access denied');
    expect(isAbandonedCall(failed)).toBe(false);
  });
});
