// A browser dashboard typed with the server's generated event types.
//
// The types come from the server, never written by hand:
//   bin/event-streamer --print-schema --format typescript > examples/generated/event-streamer-types.d.ts
// (`npm run types` does this with the repository's distribution; GET /api/schema?format=typescript
// on a running server gives the same file.) `npm run typecheck` checks this file against them.
import { EventStreamClient, type Gap } from 'event-streamer-client';
import type { DlqEvent, EventStreamerEventMap, SchedulerScheduleExecutedEvent } from './generated/event-streamer-types';

const status = document.querySelector<HTMLElement>('#status')!;
const schedules = document.querySelector<HTMLTableElement>('#schedules')!;
const dlqDepth = document.querySelector<HTMLElement>('#dlq-depth')!;

const client = new EventStreamClient<EventStreamerEventMap>('/ws', {
  categories: ['scheduler', 'dlq'],
  clientId: 'ops-dashboard',
  // A page reload resumes after the last event shown, with nothing missed and nothing twice.
  storage: sessionStorage,
  getToken: async () => (await fetch('/my-app/event-streamer-token')).text(),
});

client.on('state', (state, detail) => {
  status.textContent = detail ? `${state} (close ${detail.code}, next try in ${Math.round(detail.delay)} ms)` : state;
});

// One event type: the payload's fields are those the scheduler's catalog declares.
client.on('scheduler:schedule-executed', (e) => showRun(e));

client.on('scheduler:execution-completed', (e) => {
  const row = rowFor(e.data.scheduleId);
  row.cells[2].textContent = `${e.data.status} in ${e.data.durationMs} ms`;
});

// A whole category: a discriminated union, narrowed by the event type.
client.on('dlq', (e: DlqEvent) => {
  switch (e.event) {
    case 'entry-added':
      dlqDepth.textContent = String(e.data.queueDepth);
      break;
    case 'entry-resolved':
    case 'entry-resubmitted':
      if (e.data.queueDepth != null) dlqDepth.textContent = String(e.data.queueDepth);
      break;
  }
});

// Events were missed: what the page shows for that category may be stale, so reload it.
client.on('gap', (gap: Gap) => {
  void reload(gap.category);
});

client.on('error', (error) => console.warn(`event-streamer: ${error.code}: ${error.error}`));

// The same with async iteration: events and gaps of one category, in order.
async function followDlq(): Promise<void> {
  for await (const item of client.events('dlq:entry-added', { readAhead: 500 })) {
    if (item.type === 'gap') {
      await reload(item.category);
      continue;
    }
    console.log(`dead letter ${item.data.entryId} in ${item.data.queue}: ${item.data.reason}`);
  }
}
void followDlq();

function showRun(e: SchedulerScheduleExecutedEvent): void {
  const row = rowFor(e.data.scheduleId);
  row.cells[1].textContent = e.data.name ?? e.data.scheduleId;
  row.cells[2].textContent = `started ${new Date(e.data.startedAt).toLocaleTimeString()}`;
}

function rowFor(scheduleId: string): HTMLTableRowElement {
  const existing = schedules.querySelector<HTMLTableRowElement>(`tr[data-id="${CSS.escape(scheduleId)}"]`);
  if (existing) return existing;
  const row = schedules.insertRow();
  row.setAttribute('data-id', scheduleId);
  row.insertCell().textContent = scheduleId;
  row.insertCell();
  row.insertCell();
  return row;
}

async function reload(category: string): Promise<void> {
  const response = await fetch(`/my-app/state/${encodeURIComponent(category)}`);
  console.log(`reloaded ${category}: ${response.status}`);
}

window.addEventListener('pagehide', () => client.close());
