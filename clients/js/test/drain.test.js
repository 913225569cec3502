// A server that stops (SIGTERM) drains: it delivers what it accepted, closes with 1001, and the
// client backs off while it is away (no reconnect storm), then resumes once it is back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStreamClient } from '../src/index.js';
import { event, Host } from './support/host.js';
import { audit, countingWebSocket, record, WEB_SOCKETS } from './support/record.js';
import { Proxy } from './support/proxy.js';
import { waitFor } from './support/wait.js';

const MIN = 100;
const MAX = 1000;

let host;

before(async () => {
  host = await Host.start('drain-timeout = 3s');
});

after(async () => {
  await host?.close();
});

test('drain: 1001 after every accepted event, a backoff while the server is away, a resume when it is back', async (t) => {
  const counter = { attempts: 0 };
  const client = new EventStreamClient(host.url, {
    categories: ['scheduler'], backoff: { min: MIN, max: MAX }, random: () => 0.5,
    WebSocket: countingWebSocket(WEB_SOCKETS['ws package'], counter),
  });
  t.after(() => client.close());
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');

  const batch = Array.from({ length: 50 }, (_, n) => event('scheduler', n));
  await host.publish(batch);
  const stopped = Date.now();
  const attemptsBefore = counter.attempts;
  await host.stop('SIGTERM');
  await waitFor(() => r.details.length > 0, 10000, 'no close');
  assert.equal(r.details[0].code, 1001);
  assert.equal(r.numbers('scheduler').length, 50, 'every event accepted before the stop was delivered before the close');

  await host.restart();
  const downFor = Date.now() - stopped;
  await waitFor(() => r.gaps.length === 1, 15000, 'no resume after the restart');
  const attemptsWhileDown = counter.attempts - attemptsBefore;
  await host.publish(Array.from({ length: 10 }, (_, i) => event('scheduler', 50 + i)));
  await waitFor(() => r.events.length === 60, 10000, () => `received ${r.events.length} of 60`);

  const delays = r.details.map((d) => d.delay);
  console.log(`drain: close ${r.details[0].code}, ${attemptsWhileDown} attempts in ${downFor} ms away, `
    + `delays ${delays.join(', ')} ms`);
  // After 1001 the first delay is in [0, min]; then it doubles up to max. A 503 from the draining
  // server carries Retry-After (5 s), honoured up to max (plus jitter up to min).
  delays.forEach((delay, i) => {
    const backoff = 0.5 * Math.min(MAX, MIN * 2 ** i);
    assert.ok(delay === backoff || delay === MAX + 0.5 * MIN, `delay ${i}: ${delay} ms, expected ${backoff}`);
  });
  assert.ok(attemptsWhileDown <= 3 + downFor / 400, `${attemptsWhileDown} attempts in ${downFor} ms: a storm`);
  assert.equal(r.gaps[0].reason, 'epoch-changed', 'the memory broker\'s history did not survive the restart');
  assert.deepEqual(audit(r.numbers('scheduler'), 60), { received: 60, duplicates: 0, outOfOrder: 0, missing: 0 });
  assert.equal(client.state, 'open');
});

test('a refused upgrade\'s Retry-After is honoured where the WebSocket shows it (the ws package)', async (t) => {
  // A client that stopped reading keeps the stopping server draining for drain-timeout: meanwhile
  // it refuses new connections with 503 and Retry-After: 5.
  const proxy = await Proxy.start(host.port);
  t.after(() => proxy.close());
  const stalled = new EventStreamClient(proxy.url(), { categories: ['dlq'], clientId: 'stalled' });
  t.after(() => stalled.close());
  await waitFor(() => stalled.state === 'open', 10000, 'the stalled client did not open');
  proxy.stallServerSide();
  const queued = async () => (await host.get('/api/admin/connections')).connections.find((c) => c.clientId === 'stalled').queued;
  for (let i = 0; (await queued()) === 0; i++) {
    assert.ok(i < 100, 'nothing queued for a client that does not read');
    await host.publish(Array.from({ length: 50 }, (_, n) => event('dlq', i * 50 + n, 8000)));
  }
  const stopping = host.stop('SIGTERM');
  t.after(() => stopping);
  await waitFor(async () => (await fetch(`${host.httpUrl}/health/ready`)).status === 503, 10000, 'the server is not draining');

  const clients = {};
  for (const [name, WebSocket] of Object.entries(WEB_SOCKETS)) {
    const client = new EventStreamClient(host.url, {
      categories: ['scheduler'], backoff: { min: MIN, max: 10000 }, random: () => 0.5, WebSocket,
    });
    t.after(() => client.close());
    clients[name] = record(client);
  }
  await waitFor(() => Object.values(clients).every((r) => r.details.length > 0), 10000, 'no refusal');
  console.log(`retry-after: first delay ${clients['ws package'].details[0].delay} ms with ws, `
    + `${clients['global WebSocket'].details[0].delay} ms with the global WebSocket`);
  assert.equal(clients['ws package'].details[0].delay, 5000 + 0.5 * MIN);
  assert.equal(clients['global WebSocket'].details[0].delay, 0.5 * MIN, 'Node\'s WebSocket hides the response');
});
