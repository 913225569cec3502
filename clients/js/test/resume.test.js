// Resuming: after a cut connection (a TCP proxy that the test cuts), from a saved resume point
// (a page reload), and every gap a failed resume gives: history-expired, unknown-id, and
// epoch-changed after the server restarts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStreamClient } from '../src/index.js';
import { event, Host } from './support/host.js';
import { Proxy } from './support/proxy.js';
import { audit, memoryStorage, record, WEB_SOCKETS } from './support/record.js';
import { waitFor } from './support/wait.js';

let host;

before(async () => {
  // dlq keeps only 5 events, so that a client away for more gets history-expired.
  host = await Host.start('sources.dlq.history.size = 5');
});

after(async () => {
  await host?.close();
});

function connect(t, url, options) {
  const client = new EventStreamClient(url, { backoff: { min: 50, max: 400 }, ...options });
  t.after(() => client.close());
  return client;
}

async function proxyFor(t) {
  const proxy = await Proxy.start(host.port);
  t.after(() => proxy.close());
  return proxy;
}

function publishRange(category, from, to) {
  const batch = [];
  for (let n = from; n < to; n++) batch.push(event(category, n));
  return host.publish(batch);
}

/** Cuts every connection and keeps new ones out until `proxy.down = false`. */
async function disconnect(client, proxy) {
  proxy.down = true;
  proxy.cutAll();
  await waitFor(() => client.state === 'reconnecting', 10000, `still ${client.state} after the cut`);
}

for (const [name, WebSocket] of Object.entries(WEB_SOCKETS)) {
  test(`a cut connection resumes after the last event delivered, with the ${name}: nothing lost, nothing twice, no gap`, async (t) => {
    const proxy = await proxyFor(t);
    const client = connect(t, proxy.url(), { categories: ['scheduler'], WebSocket });
    const r = record(client);
    await waitFor(() => client.state === 'open', 10000, 'the client did not open');
    await publishRange('scheduler', 0, 10);
    await waitFor(() => r.events.length === 10, 10000, 'the first events did not arrive');

    await disconnect(client, proxy);
    await publishRange('scheduler', 10, 30);
    proxy.down = false;
    await waitFor(() => r.events.length === 30, 10000, () => `received ${r.events.length} of 30 after the reconnect`);
    await publishRange('scheduler', 30, 40);
    await waitFor(() => r.events.length === 40, 10000, () => `received ${r.events.length} of 40`);

    assert.deepEqual(audit(r.numbers('scheduler'), 40), { received: 40, duplicates: 0, outOfOrder: 0, missing: 0 });
    assert.deepEqual(r.gaps, []);
    assert.equal(r.details[0].state, 'reconnecting');
    assert.equal(r.details[0].code, 1006);
    assert.equal(r.states.at(-1), 'open');
    assert.ok(proxy.accepted >= 2, `connections through the proxy: ${proxy.accepted}`);
  });
}

test('a connection lost before the first event resumes from where the ack said the category was', async (t) => {
  const proxy = await proxyFor(t);
  const client = connect(t, proxy.url(), { categories: ['scheduler'] });
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  const start = client.lastEventIds().scheduler;
  assert.equal(typeof start, 'string', 'the ack\'s lastIds is the resume point');

  await disconnect(client, proxy);
  await publishRange('scheduler', 0, 5);
  proxy.down = false;
  await waitFor(() => r.events.length === 5, 10000, () => `received ${r.events.length} of 5`);
  assert.deepEqual(r.numbers('scheduler'), [0, 1, 2, 3, 4]);
  assert.deepEqual(r.gaps, []);
});

test('away for longer than the history holds: a history-expired gap counting what was missed', async (t) => {
  const proxy = await proxyFor(t);
  const client = connect(t, proxy.url(), { categories: ['dlq'] });
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  await publishRange('dlq', 0, 3);
  await waitFor(() => r.events.length === 3, 10000, 'the first events did not arrive');
  const lastId = client.lastEventIds().dlq;

  await disconnect(client, proxy);
  const missedIds = await publishRange('dlq', 3, 23);
  proxy.down = false;
  await waitFor(() => r.gaps.length === 1, 10000, 'no gap');
  const ids = await publishRange('dlq', 23, 26);
  await waitFor(() => r.events.length === 6, 10000, () => `received ${r.events.length} of 6`);

  const [gap] = r.gaps;
  assert.equal(gap.type, 'gap');
  assert.equal(gap.category, 'dlq');
  assert.equal(gap.reason, 'history-expired');
  assert.equal(gap.lastId, lastId);
  assert.equal(gap.continuesFrom, missedIds.at(-1));
  assert.equal(gap.missed, 20);
  assert.deepEqual(r.numbers('dlq'), [0, 1, 2, 23, 24, 25]);
  assert.equal(client.lastEventIds().dlq, ids.at(-1));

  // The resume point moved past the gap: another reconnect reports nothing again.
  await disconnect(client, proxy);
  proxy.down = false;
  await waitFor(() => client.state === 'open', 10000, 'the client did not reopen');
  await publishRange('dlq', 26, 27);
  await waitFor(() => r.events.length === 7, 10000, 'the last event did not arrive');
  assert.equal(r.gaps.length, 1, `gaps: ${JSON.stringify(r.gaps)}`);
});

test('a saved resume point the server never issued: an unknown-id gap, then the stream', async (t) => {
  const saved = [];
  const storage = { load: () => ({ scheduler: 'not-an-id' }), save: (ids) => saved.push(ids) };
  const client = connect(t, host.url, { categories: ['scheduler'], storage });
  const r = record(client);
  await waitFor(() => r.gaps.length === 1, 10000, 'no gap');
  const [gap] = r.gaps;
  assert.equal(gap.reason, 'unknown-id');
  assert.equal(gap.category, 'scheduler');
  assert.equal(gap.lastId, 'not-an-id');
  const ids = await publishRange('scheduler', 0, 3);
  await waitFor(() => r.events.length === 3, 10000, 'the events did not arrive');
  assert.deepEqual(r.numbers('scheduler'), [0, 1, 2]);
  assert.deepEqual(saved.at(-1), { scheduler: ids[2] });
});

test('a page reload resumes from storage: the new client gets exactly what the old one did not', async (t) => {
  const storage = memoryStorage();
  const options = { categories: ['scheduler', 'dlq'], clientId: 'reloaded-page', storage };
  const before = connect(t, host.url, options);
  const r1 = record(before);
  await waitFor(() => before.state === 'open', 10000, 'the first client did not open');
  await publishRange('scheduler', 0, 10);
  await waitFor(() => r1.events.length === 10, 10000, 'the first events did not arrive');
  before.close();
  assert.deepEqual(JSON.parse(storage.getItem('event-streamer-client:reloaded-page')), before.lastEventIds());

  await publishRange('scheduler', 10, 20);
  await publishRange('dlq', 0, 2);
  const reloaded = connect(t, host.url, options);
  const r2 = record(reloaded);
  await waitFor(() => r2.events.length === 12, 10000, () => `received ${r2.events.length} of 12 after the reload`);
  assert.deepEqual(r2.numbers('scheduler'), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  assert.deepEqual(r2.numbers('dlq'), [0, 1], 'dlq resumes from the ack\'s lastIds saved before any dlq event');
  assert.deepEqual(r2.gaps, []);
});

test('the server restarts: an epoch-changed gap, then the new server\'s events', async (t) => {
  const client = connect(t, host.url, { categories: ['scheduler'], backoff: { min: 100, max: 1000 } });
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  await publishRange('scheduler', 0, 5);
  await waitFor(() => r.events.length === 5, 10000, 'the first events did not arrive');
  const lastId = client.lastEventIds().scheduler;

  await host.stop('SIGKILL');
  await waitFor(() => client.state === 'reconnecting', 10000, 'the client did not notice the crash');
  await host.restart();
  await waitFor(() => r.gaps.length === 1, 20000, 'no gap after the restart');
  const ids = await publishRange('scheduler', 5, 10);
  await waitFor(() => r.events.length === 10, 10000, () => `received ${r.events.length} of 10`);

  const [gap] = r.gaps;
  assert.equal(gap.reason, 'epoch-changed');
  assert.equal(gap.category, 'scheduler');
  assert.equal(gap.lastId, lastId);
  assert.deepEqual(r.numbers('scheduler'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(client.lastEventIds().scheduler, ids.at(-1));
  assert.notEqual(ids[0].split('-')[0], lastId.split('-')[0], 'the new server has a new epoch');
});
