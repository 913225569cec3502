// A full server (max-clients) closes new connections with 1013: the client backs off, with
// growing delays, instead of storming it, and gets in once a place is free.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStreamClient } from '../src/index.js';
import { event, Host } from './support/host.js';
import { countingWebSocket, record, WEB_SOCKETS } from './support/record.js';
import { waitFor } from './support/wait.js';

let host;

before(async () => {
  host = await Host.start('max-clients = 1');
});

after(async () => {
  await host?.close();
});

test('at capacity the client backs off exponentially, then connects when a place is free', async (t) => {
  const holder = new EventStreamClient(host.url, { categories: ['scheduler'], clientId: 'holder' });
  t.after(() => holder.close());
  await waitFor(() => holder.state === 'open', 10000, 'the first client did not open');

  const counter = { attempts: 0 };
  const started = Date.now();
  // No jitter (random 0.5): the delays are half of each ceiling, min(max, min * 2^n).
  const waiting = new EventStreamClient(host.url, {
    categories: ['scheduler'], clientId: 'waiting', backoff: { min: 100, max: 800 }, random: () => 0.5,
    WebSocket: countingWebSocket(WEB_SOCKETS['ws package'], counter),
  });
  t.after(() => waiting.close());
  const r = record(waiting);
  await waitFor(() => r.details.length >= 6, 15000, () => `refusals: ${r.details.length}`);
  const elapsed = Date.now() - started;
  const refusals = r.details.length;
  console.log(`capacity: ${counter.attempts} attempts in ${elapsed} ms while the server was full, `
    + `delays ${r.details.map((d) => d.delay).join(', ')} ms`);

  assert.deepEqual(r.details.slice(0, 6).map((d) => [d.state, d.code, d.delay]), [
    ['connecting', 1013, 50], ['connecting', 1013, 100], ['connecting', 1013, 200],
    ['connecting', 1013, 400], ['connecting', 1013, 400], ['connecting', 1013, 400],
  ]);
  assert.ok(elapsed >= 50 + 100 + 200 + 400 + 400, `6 refusals after ${elapsed} ms: the client did not wait`);
  assert.ok(counter.attempts <= refusals + 1, `${counter.attempts} attempts for ${refusals} refusals`);
  assert.ok(r.errors.length >= 6 && r.errors.every((e) => e.code === 'capacity-exceeded'), JSON.stringify(r.errors));
  assert.equal((await host.get('/api/websocket/status')).connectedClients, 1);

  holder.close();
  await waitFor(() => waiting.state === 'open', 5000, 'the waiting client did not get in');
  await host.publish(event('scheduler', 0));
  await waitFor(() => r.events.length === 1, 10000, 'no event');
  assert.deepEqual(r.gaps, []);
});
