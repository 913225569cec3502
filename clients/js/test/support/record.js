// What a client delivered to the application, as listeners see it.
import WsWebSocket from 'ws';

/** The WebSocket classes the tests run the client with: Node's own and the ws package's. */
export const WEB_SOCKETS = { 'global WebSocket': globalThis.WebSocket, 'ws package': WsWebSocket };

export function record(client) {
  const r = {
    events: [],
    gaps: [],
    states: [],
    details: [],
    errors: [],
    /** The `data.n` of each event of `category`, in delivery order. */
    numbers(category) {
      return r.events.filter((e) => e.category === category).map((e) => e.data.n);
    },
  };
  client.on('event', (e) => r.events.push(e));
  client.on('gap', (gap) => r.gaps.push(gap));
  client.on('state', (state, detail) => {
    r.states.push(state);
    if (detail) r.details.push({ state, ...detail, at: Date.now() });
  });
  client.on('error', (error) => r.errors.push(error));
  return r;
}

/**
 * Checks a category's delivered numbers against what was published (0..published-1): returns
 * {received, duplicates, outOfOrder, missing}, where missing counts numbers never delivered.
 */
export function audit(numbers, published) {
  const seen = new Set();
  let duplicates = 0;
  let outOfOrder = 0;
  let previous = -1;
  for (const n of numbers) {
    if (seen.has(n)) duplicates++;
    else if (n < previous) outOfOrder++;
    seen.add(n);
    previous = Math.max(previous, n);
  }
  let missing = 0;
  for (let n = 0; n < published; n++) if (!seen.has(n)) missing++;
  return { received: numbers.length, duplicates, outOfOrder, missing };
}

/** A sessionStorage stand-in for Node: the same getItem/setItem, kept in a Map. */
export function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    items,
  };
}

/** `WebSocketImpl` that counts the connections it opens in `counter.attempts`. */
export function countingWebSocket(WebSocketImpl, counter) {
  return class CountingWebSocket extends WebSocketImpl {
    constructor(url) {
      super(url);
      counter.attempts++;
    }
  };
}
