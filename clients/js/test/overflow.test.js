// The overflow gap: the server drops events from the queue of a client whose socket stopped
// taking bytes (a proxy that stops reading from the server), and the client reports each drop
// as a gap, in its place in the stream, with the exact count.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStreamClient } from '../src/index.js';
import { event, Host } from './support/host.js';
import { Proxy } from './support/proxy.js';
import { audit } from './support/record.js';
import { pause, waitFor } from './support/wait.js';

const PADDING = 8000;
const BATCH = 50;

let host;

before(async () => {
  // Small queues and batches, so that a stalled client overflows after a few megabytes.
  host = await Host.start('message-queue-size = 10\nlimits.max-events-per-publish = 50');
});

after(async () => {
  await host?.close();
});

test('a client that stops reading gets an overflow gap, in place, counting exactly what it lost', async (t) => {
  const proxy = await Proxy.start(host.port);
  t.after(() => proxy.close());
  const client = new EventStreamClient(proxy.url(), { categories: ['dlq'], backoff: { min: 50, max: 500 } });
  t.after(() => client.close());
  const stream = [];
  const errors = [];
  client.on('event', (e) => stream.push(e));
  client.on('gap', (gap) => stream.push(gap));
  client.on('error', (error) => errors.push(error));
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');

  proxy.stallServerSide();
  let published = 0;
  let drops = 0;
  while (drops === 0) {
    assert.ok(published < 20000, `no drop after ${published} events to a client that does not read`);
    const batch = [];
    for (let i = 0; i < BATCH; i++) batch.push(event('dlq', published++, PADDING));
    await host.publish(batch);
    if (published % (5 * BATCH) === 0) drops = (await host.get('/api/diagnostics')).categories.dlq.drops;
    await pause(10);
  }
  proxy.resumeServerSide();
  const tail = [];
  for (let i = 0; i < 5; i++) tail.push(event('dlq', published++));
  await host.publish(tail);

  const events = () => stream.filter((item) => item.type === 'event');
  const missedInGaps = () => stream.filter((item) => item.type === 'gap').reduce((sum, gap) => sum + gap.missed, 0);
  await waitFor(() => events().length + missedInGaps() === published, 30000,
    () => `received ${events().length} + missed ${missedInGaps()} of ${published}`);

  const gaps = stream.filter((item) => item.type === 'gap');
  const result = audit(events().map((e) => e.data.n), published);
  console.log(`overflow: published ${published}, received ${result.received}, gaps ${gaps.length}, `
    + `missed ${missedInGaps()}, server drops ${drops}+`);
  assert.ok(gaps.length >= 1);
  assert.deepEqual({ ...result, received: 0 }, { received: 0, duplicates: 0, outOfOrder: 0, missing: missedInGaps() });
  for (const gap of gaps) {
    assert.equal(gap.reason, 'overflow');
    assert.equal(gap.category, 'dlq');
    const at = stream.indexOf(gap);
    const before = stream.slice(0, at).filter((item) => item.type === 'event').at(-1);
    const next = stream.slice(at + 1).find((item) => item.type === 'event');
    const beforeN = before ? before.data.n : -1;
    assert.equal(next.data.n - beforeN - 1, gap.missed, `the gap ${JSON.stringify(gap)} stands where its events are missing`);
    if (before) assert.equal(gap.resumeFrom, before.id);
  }
  const dropped = errors.filter((e) => e.code === 'events-dropped').reduce((sum, e) => sum + e.dropped, 0);
  assert.equal(dropped, missedInGaps(), 'the events-dropped errors count the same');
  assert.equal(client.state, 'open', 'the connection stays open through an overflow');
});
