// A real event-streamer server for the tests: bin/event-streamer of the built distribution,
// started on a loopback port with a configuration file of the test's choosing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStreamerHome } from './distribution.js';
import { waitFor } from './wait.js';

const running = new Set();
// A backstop for a test that failed before its own cleanup: never leave a server behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class Host {
  /**
   * Starts a server. `settings` is HOCON inside `event-streamer { }`, e.g.
   * 'max-clients = 1\nhistory.size = 5'. `port` 0 picks a free one (read from the log).
   */
  static async start(settings = '', port = 0) {
    const host = new Host(settings);
    await host._start(port);
    return host;
  }

  constructor(settings) {
    this.settings = settings;
    this.dir = mkdtempSync(join(tmpdir(), 'event-streamer-js-'));
    this.port = 0;
    this.log = '';
    this.child = null;
  }

  get url() {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get httpUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  async _start(port) {
    const config = join(this.dir, 'test.conf');
    writeFileSync(config, `event-streamer {\n  server { host = "127.0.0.1", port = ${port} }\n${this.settings}\n}\n`);
    const child = spawn(`${eventStreamerHome()}/bin/event-streamer`, ['--config', config], {
      env: { ...process.env, JAVA_OPTS: '-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    running.add(child);
    let exited = false;
    child.on('exit', () => {
      exited = true;
      running.delete(child);
    });
    const append = (chunk) => {
      this.log += chunk;
    };
    child.stdout.setEncoding('utf8').on('data', append);
    child.stderr.setEncoding('utf8').on('data', append);
    let match;
    await waitFor(() => {
      if (exited) throw new Error(`the server exited while starting:\n${this.log}`);
      match = /event-streamer listening on port (\d+)/.exec(this.log);
      return match !== null;
    }, 30000, () => `the server did not start within 30 s:\n${this.log}`);
    this.port = Number(match[1]);
  }

  /** Stops the server: SIGTERM drains it (clients get 1001), SIGKILL is a crash. */
  async stop(signal = 'SIGTERM') {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    await exited;
    clearTimeout(timer);
  }

  /** Starts the server again on the same port, with the same settings: a new epoch. */
  async restart() {
    this.log = '';
    // The port was just released; another bind can lose a race with nothing else here, but
    // retry a few times in case the kernel holds it a moment.
    for (let attempt = 1; ; attempt++) {
      try {
        await this._start(this.port);
        return;
      } catch (error) {
        if (attempt === 5 || !/address already in use|BindException/i.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  /** Stops the server and removes its files. */
  async close() {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** POSTs events (one or an array) to /api/events and returns their ids. */
  async publish(events) {
    const response = await fetch(`${this.httpUrl}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    const body = await response.json();
    if (response.status !== 202) throw new Error(`publish answered ${response.status}: ${JSON.stringify(body)}`);
    return body.ids;
  }

  async get(path) {
    const response = await fetch(`${this.httpUrl}${path}`);
    return response.json();
  }
}

/** A valid event of `category`, numbered `n` (so that receivers can check order), with optional padding. */
export function event(category, n, padding = 0) {
  const pad = padding ? { pad: 'x'.repeat(padding) } : {};
  switch (category) {
    case 'scheduler':
      return { category, event: 'schedule-executed', data: { scheduleId: `s-${n}`, startedAt: '2026-03-01T03:00:00.000Z', n, ...pad } };
    case 'dlq':
      return { category, event: 'entry-added', data: { entryId: `e-${n}`, queue: 'orders.dlq', reason: 'test', queueDepth: n, n, ...pad } };
    case 'webhook':
      return { category, event: 'webhook-failed', data: { webhookId: 'w', deliveryId: `d-${n}`, attempt: 1, error: 'HTTP 503', willRetry: true, n, ...pad } };
    default:
      return { category, event: 'retry-started', data: { retryId: `r-${n}`, attemptNumber: 1, errorMessage: 'reset', nextRetryAt: '2026-03-01T03:00:00.000Z', n, ...pad } };
  }
}
