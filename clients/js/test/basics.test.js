// Subscribing and receiving against a real server: listeners, subscribe/unsubscribe on a live
// connection, errors, async iteration and its read-ahead bound, close.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStreamClient } from '../src/index.js';
import { event, Host } from './support/host.js';
import { record, WEB_SOCKETS } from './support/record.js';
import { waitFor } from './support/wait.js';

let host;

/** A client closed at the end of test `t`, whatever happens. */
function connect(t, options, url = host.url) {
  const client = new EventStreamClient(url, { backoff: { min: 50, max: 500 }, ...options });
  t.after(() => client.close());
  return client;
}

/** The categories the server has for `clientId` (GET /api/websocket/status). */
async function serverCategories(clientId) {
  const status = await host.get('/api/websocket/status');
  return status.clientDetails[clientId];
}

before(async () => {
  host = await Host.start();
});

after(async () => {
  await host?.close();
});

for (const [name, WebSocket] of Object.entries(WEB_SOCKETS)) {
  test(`subscribes and receives every event once, in order, with the ${name}`, async (t) => {
    assert.equal(typeof WebSocket, 'function', `no ${name}: run node with --experimental-websocket`);
    const clientId = `basics-${name.replace(' ', '-')}`;
    const client = connect(t, { categories: ['scheduler', 'dlq'], clientId, WebSocket });
    const r = record(client);
    const perType = [];
    const perCategory = [];
    client.on('scheduler:schedule-executed', (e) => perType.push(e.data.n));
    client.on('dlq', (e) => perCategory.push(e.data.n));
    await waitFor(() => client.state === 'open', 10000, 'the client did not open');

    const batch = [];
    for (let n = 0; n < 20; n++) batch.push(event('scheduler', n), event('dlq', n), event('webhook', n));
    const ids = await host.publish(batch);
    await waitFor(() => r.events.length >= 40, 10000, () => `received ${r.events.length} of 40`);

    const expected = [...Array(20).keys()];
    assert.deepEqual(r.numbers('scheduler'), expected);
    assert.deepEqual(r.numbers('dlq'), expected);
    assert.deepEqual(perType, expected);
    assert.deepEqual(perCategory, expected);
    assert.equal(r.numbers('webhook').length, 0, 'an event of a category not subscribed to');
    const first = r.events[0];
    assert.equal(first.type, 'event');
    assert.equal(first.event, 'schedule-executed');
    assert.equal(first.id, ids[0]);
    assert.equal(first.clientId, clientId);
    assert.match(first.timestamp, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(client.lastEventIds(), { scheduler: ids[57], dlq: ids[58] });
    assert.deepEqual(r.states, ['connecting', 'open']);
    assert.deepEqual(r.gaps, []);
    assert.deepEqual(await serverCategories(clientId), ['scheduler', 'dlq']);
  });
}

test('a listener is removed by the function on() returns, and one that throws stops nothing', async (t) => {
  const client = connect(t, { categories: ['scheduler'] });
  const kept = [];
  const removed = [];
  const off = client.on('scheduler', (e) => removed.push(e.data.n));
  client.on('scheduler', () => {
    throw new Error('a bug in the application');
  });
  client.on('scheduler', (e) => kept.push(e.data.n));
  const reported = [];
  t.mock.method(console, 'error', (...args) => reported.push(args));
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');

  await host.publish(event('scheduler', 0));
  await waitFor(() => kept.length === 1, 10000, 'the first event did not arrive');
  off();
  await host.publish([event('scheduler', 1), event('scheduler', 2)]);
  await waitFor(() => kept.length === 3, 10000, 'the later events did not arrive');
  assert.deepEqual(removed, [0]);
  assert.deepEqual(kept, [0, 1, 2]);
  assert.equal(reported.length, 3, 'each throw is reported');
  assert.equal(client.state, 'open');
});

test('subscribe() and unsubscribe() change the subscription of a live connection', async (t) => {
  const client = connect(t, { categories: ['scheduler'], clientId: 'basics-live' });
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');

  client.subscribe(['dlq', 'scheduler']);
  await waitFor(async () => (await serverCategories('basics-live'))?.includes('dlq'), 10000, 'dlq was not subscribed');
  await host.publish(event('dlq', 0));
  await waitFor(() => r.numbers('dlq').length === 1, 10000, 'the dlq event did not arrive');

  client.unsubscribe('scheduler');
  assert.deepEqual(client.categories, ['dlq']);
  assert.equal(client.lastEventIds().scheduler, undefined, 'the resume point of an unsubscribed category');
  await waitFor(async () => (await serverCategories('basics-live'))?.join() === 'dlq', 10000, 'scheduler is still subscribed');
  await host.publish(event('scheduler', 0));
  await host.publish(event('dlq', 1));
  await waitFor(() => r.numbers('dlq').length === 2, 10000, 'the second dlq event did not arrive');
  assert.deepEqual(r.numbers('scheduler'), []);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.states, ['connecting', 'open']);
});

test('a client made without categories subscribes with its first subscribe()', async (t) => {
  const client = connect(t, {});
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  client.subscribe('dlq');
  await waitFor(() => client.lastEventIds().dlq !== undefined || r.errors.length > 0, 10000, 'no subscription-ack');
  await host.publish(event('dlq', 0));
  await waitFor(() => r.events.length === 1, 10000, 'no event');
  assert.deepEqual(r.errors, []);
});

test('a refused subscribe() reaches the error listeners and the connection goes on without it', async (t) => {
  const client = connect(t, { categories: ['scheduler'] });
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');

  client.subscribe('billing');
  await waitFor(() => r.errors.length === 1, 10000, 'no error');
  assert.equal(r.errors[0].code, 'unknown-category');
  assert.match(r.errors[0].error, /billing/);
  assert.deepEqual(client.categories, ['scheduler']);
  await host.publish(event('scheduler', 0));
  await waitFor(() => r.events.length === 1, 10000, 'no event after the refused subscribe');
  assert.deepEqual(r.states, ['connecting', 'open']);
});

test('an http:// url is taken for its ws:// endpoint', async (t) => {
  const client = connect(t, { categories: ['dlq'] }, `${host.httpUrl}/ws`);
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  await host.publish(event('dlq', 0));
  await waitFor(() => r.events.length === 1, 10000, 'no event');
});

test('events() iterates over a category, or one event type, in order', async (t) => {
  const client = connect(t, { categories: ['scheduler', 'dlq'] });
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  const dlq = [];
  const added = [];
  const reading = (async () => {
    for await (const item of client.events('dlq')) {
      dlq.push(item.data.n);
      if (dlq.length === 6) break;
    }
  })();
  const readingAdded = (async () => {
    for await (const item of client.events('dlq:entry-added')) {
      added.push(item.event);
      if (added.length === 3) break;
    }
  })();
  const batch = [];
  for (let n = 0; n < 6; n++) {
    batch.push(event('scheduler', n));
    const e = event('dlq', n);
    if (n % 2) Object.assign(e, { event: 'entry-resolved', data: { entryId: `e-${n}`, queue: 'q', resolution: 'discarded', n } });
    batch.push(e);
  }
  await host.publish(batch);
  await reading;
  await readingAdded;
  assert.deepEqual(dlq, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(added, ['entry-added', 'entry-added', 'entry-added']);
});

test('events() reads ahead at most readAhead events: the oldest give way to a gap', async (t) => {
  const client = connect(t, { categories: ['dlq'] });
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  const iterator = client.events('dlq', { readAhead: 5 });
  const batch = [];
  for (let n = 0; n < 12; n++) batch.push(event('dlq', n));
  const ids = await host.publish(batch);
  await waitFor(() => r.events.length === 12, 10000, 'the events did not arrive');

  const items = [];
  for (let i = 0; i < 6; i++) items.push((await iterator.next()).value);
  assert.deepEqual(items[0], {
    type: 'gap', category: 'dlq', reason: 'read-ahead-overflow', missed: 7,
    firstMissed: ids[0], lastMissed: ids[6], timestamp: items[0].timestamp,
  });
  assert.deepEqual(items.slice(1).map((e) => e.data.n), [7, 8, 9, 10, 11]);
  assert.deepEqual(r.gaps, [], 'the read-ahead gap is the iterator\'s own, not the client\'s');

  client.close();
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
});

test('close() ends the connection and the iterators, and nothing reconnects', async (t) => {
  const client = connect(t, { categories: ['dlq'], clientId: 'basics-close' });
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  const iteration = (async () => {
    const seen = [];
    for await (const item of client.events()) seen.push(item);
    return seen;
  })();
  client.close();
  assert.deepEqual(await iteration, []);
  assert.equal(client.state, 'closed');
  await waitFor(async () => (await serverCategories('basics-close')) === undefined, 10000,
    'the server still lists the client');
  await host.publish(event('dlq', 0));
  const status = await host.get('/api/websocket/status');
  assert.equal(status.clientDetails['basics-close'], undefined);
  assert.deepEqual(r.states, ['connecting', 'open', 'closed']);
  assert.deepEqual(r.events, []);
});
