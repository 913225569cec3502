// Exactly once and in order under random cuts: several clients behind a TCP proxy that resets a
// random connection every 100-400 ms while events are published; each client must end with every
// event of its categories once, in publish order (or a gap for what it lost).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStreamClient } from '../src/index.js';
import { event, Host } from './support/host.js';
import { Proxy } from './support/proxy.js';
import { audit, record, WEB_SOCKETS } from './support/record.js';
import { pause, waitFor } from './support/wait.js';

const CLIENTS = 4;
const CATEGORIES = ['scheduler', 'dlq'];
const PUBLISH_FOR_MS = 6000;
const BATCH_EVERY_MS = 20;
const PER_BATCH = 5; // per category: 500 events/s in all

let host;

before(async () => {
  host = await Host.start();
});

after(async () => {
  await host?.close();
});

test('chaos: random cuts while publishing; every client gets every event once, in order', async (t) => {
  const proxy = await Proxy.start(host.port);
  t.after(() => proxy.close());
  const implementations = Object.values(WEB_SOCKETS);
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) {
    const client = new EventStreamClient(proxy.url(), {
      categories: CATEGORIES, clientId: `chaos-${i}`, backoff: { min: 20, max: 300 },
      WebSocket: implementations[i % implementations.length],
    });
    t.after(() => client.close());
    clients.push({ client, r: record(client) });
  }
  await waitFor(() => clients.every(({ client }) => client.state === 'open'), 10000, 'not every client opened');

  const published = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
  let publishing = true;
  let cuts = 0;
  const chaos = (async () => {
    while (publishing) {
      await pause(100 + Math.random() * 300);
      if (publishing && proxy.cutOne()) cuts++;
    }
  })();
  const deadline = Date.now() + PUBLISH_FOR_MS;
  while (Date.now() < deadline) {
    const batch = [];
    for (let i = 0; i < PER_BATCH; i++) for (const c of CATEGORIES) batch.push(event(c, published[c]++));
    await host.publish(batch);
    await pause(BATCH_EVERY_MS);
  }
  publishing = false;
  await chaos;

  const missedInGaps = (r, c) => r.gaps.filter((g) => g.category === c).reduce((sum, g) => sum + (g.missed ?? 0), 0);
  const settled = ({ r }) => CATEGORIES.every((c) => new Set(r.numbers(c)).size + missedInGaps(r, c) >= published[c]);
  await waitFor(() => clients.every(settled), 20000, () => `not settled: ${clients.map(({ r }) => r.events.length).join(', ')} `
    + `events of ${CATEGORIES.reduce((sum, c) => sum + published[c], 0)}`);

  let delivered = 0;
  let losses = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let gaps = 0;
  for (const { r } of clients) {
    for (const c of CATEGORIES) {
      const result = audit(r.numbers(c), published[c]);
      delivered += result.received;
      duplicates += result.duplicates;
      outOfOrder += result.outOfOrder;
      losses += Math.max(0, result.missing - missedInGaps(r, c));
    }
    gaps += r.gaps.length;
  }
  const total = CATEGORIES.reduce((sum, c) => sum + published[c], 0);
  const reconnects = clients.reduce((sum, { r }) => sum + r.details.length, 0);
  console.log(`chaos: clients ${CLIENTS}, cuts ${cuts}, reconnects ${reconnects}, events ${total} published, `
    + `${delivered} delivered of ${total * CLIENTS}, losses ${losses}, duplicates ${duplicates}, `
    + `out of order ${outOfOrder}, gaps ${gaps}`);
  assert.ok(cuts >= 10, `only ${cuts} cuts`);
  assert.equal(losses, 0);
  assert.equal(duplicates, 0);
  assert.equal(outOfOrder, 0);
  assert.equal(gaps, 0, 'history covers every cut: nothing should be reported missing');
  assert.equal(delivered, total * CLIENTS);
});
