/**
 * Deterministic release of a resource around a synchronous or asynchronous use of it.
 * @module
 */

/** Runs `use(resource)` and releases the resource when it returns, throws, or its promise settles. */
export function scoped<R, T>(resource: R, release: (resource: R) => void, use: (resource: R) => T): T {
  let result: T;
  try {
    result = use(resource);
  } catch (error) {
    release(resource);
    throw error;
  }
  if (!(result instanceof Promise)) {
    release(resource);
    return result;
  }
  return result.finally(() => release(resource)) as T;
}
