// Without a generated event map every key is accepted and events are StreamEvent: the package's
// types must compile for that use too (checked by `npm run typecheck`).
import { EventStreamClient, type StreamEvent } from 'event-streamer-client';

const client = new EventStreamClient('ws://localhost:8080/ws', { categories: ['scheduler'], backoff: { min: 100 } });
const off = client.on('scheduler:schedule-executed', (e: StreamEvent) => console.log(e.id, e.data.anything));
client.on('event', (e) => console.log(e.category, e.event, e.timestamp));
client.on('gap', (gap) => console.log(gap.category, gap.reason, gap.missed ?? 'unknown'));
client.on('state', (state, detail) => console.log(state, detail?.code));
client.on('error', (error) => console.log(error.code, error.error));
client.subscribe(['dlq']);
client.unsubscribe('dlq');
off();

async function drain(): Promise<number> {
  let n = 0;
  for await (const item of client.events('scheduler')) {
    if (item.type === 'event') n += item.id.length;
  }
  return n;
}
void drain().then(() => client.close());
const ids: Record<string, string> = client.lastEventIds();
console.log(ids, client.state, client.categories);
