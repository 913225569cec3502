/**
 * Polls `condition` until it returns true, for at most `timeout` ms, then fails with `message()`.
 * Tests synchronize only this way (or on promises), never with a fixed sleep.
 */
export async function waitFor(condition, timeout, message) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      throw new Error(typeof message === 'function' ? message() : message || `condition not met within ${timeout} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves after `ms`: for pacing a publisher or a chaos schedule, never to wait for a result. */
export function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
