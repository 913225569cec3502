// Heartbeats: the client answers the server's pings (or the server would close it as stale), and
// drops a connection on which nothing arrives any more (a proxy that stops forwarding).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStreamClient } from '../src/index.js';
import { event, Host } from './support/host.js';
import { Proxy } from './support/proxy.js';
import { audit, record } from './support/record.js';
import { waitFor } from './support/wait.js';

let host;

before(async () => {
  host = await Host.start('heartbeat-interval = 300ms\nconnection-timeout = 1s');
});

after(async () => {
  await host?.close();
});

async function connection(clientId) {
  const { connections } = await host.get('/api/admin/connections');
  return connections.find((c) => c.clientId === clientId);
}

test('the client answers pings, so the server keeps it past its connection timeout', async (t) => {
  const client = new EventStreamClient(host.url, { categories: ['scheduler'], clientId: 'pongs', heartbeatInterval: 300 });
  t.after(() => client.close());
  const r = record(client);
  await waitFor(async () => (await connection('pongs'))?.lastPongRoundTripMillis >= 0, 10000, 'no pong reached the server');
  const { connectedSince } = await connection('pongs');
  await waitFor(() => Date.now() - Date.parse(connectedSince) > 3000, 10000, 'timeout');

  assert.equal((await connection('pongs')).connectedSince, connectedSince, 'the same connection all along');
  assert.deepEqual(r.states, ['connecting', 'open']);
  await host.publish(event('scheduler', 0));
  await waitFor(() => r.events.length === 1, 10000, 'no event');
});

test('a connection on which nothing arrives is dropped as dead, and the client resumes', async (t) => {
  const proxy = await Proxy.start(host.port);
  t.after(() => proxy.close());
  const client = new EventStreamClient(proxy.url(), {
    categories: ['scheduler'], heartbeatInterval: 300, backoff: { min: 50, max: 400 },
  });
  t.after(() => client.close());
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  const batch = (from, to) => Array.from({ length: to - from }, (_, i) => event('scheduler', from + i));
  await host.publish(batch(0, 5));
  await waitFor(() => r.events.length === 5, 10000, 'the first events did not arrive');

  proxy.blackhole();
  await host.publish(batch(5, 10));
  await waitFor(() => r.details.length > 0, 10000, 'the client did not drop the silent connection');
  await waitFor(() => r.events.length === 10, 10000, () => `received ${r.events.length} of 10`);

  assert.equal(r.details[0].state, 'reconnecting');
  assert.match(r.details[0].reason, /nothing received for 600 ms/);
  assert.deepEqual(audit(r.numbers('scheduler'), 10), { received: 10, duplicates: 0, outOfOrder: 0, missing: 0 });
  assert.deepEqual(r.gaps, []);
  assert.ok(proxy.accepted >= 2, `connections through the proxy: ${proxy.accepted}`);
});
