// The client unchanged in a real browser: headless Chromium (driven over the DevTools protocol)
// loads a page that imports src/index.js as it is, receives events, rides out a server restart,
// and after leaving the page and coming back resumes from sessionStorage with nothing twice.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { event, Host } from './support/host.js';
import { waitFor } from './support/wait.js';

const CLIENT = readFileSync(new URL('../src/index.js', import.meta.url));
const PAGE = `<!doctype html><title>event-streamer-client</title>
<script type="module">
  import { EventStreamClient } from '/event-streamer-client.js';
  window.received = [];
  window.gaps = [];
  const client = new EventStreamClient(new URLSearchParams(location.search).get('ws'), {
    categories: ['scheduler'], clientId: 'browser-page', storage: sessionStorage, backoff: { min: 100, max: 1000 },
  });
  client.on('scheduler', (e) => window.received.push(e.data.n));
  client.on('gap', (gap) => window.gaps.push(gap.reason));
  window.client = client;
</script>`;

let host;
let pages;
let browser;
let profile;

before(async () => {
  host = await Host.start();
  pages = createServer((request, response) => {
    const script = request.url === '/event-streamer-client.js';
    response.writeHead(200, { 'content-type': script ? 'text/javascript' : 'text/html' });
    response.end(script ? CLIENT : PAGE);
  });
  await new Promise((resolve) => pages.listen(0, '127.0.0.1', resolve));
  profile = mkdtempSync(join(tmpdir(), 'event-streamer-chromium-'));
  browser = await Browser.start(profile);
});

after(async () => {
  await browser?.close();
  pages?.close();
  await host?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('in Chromium: receive, survive a server restart, resume from sessionStorage after leaving the page', async () => {
  const pageUrl = `http://127.0.0.1:${pages.address().port}/?ws=${encodeURIComponent(host.url)}`;
  const publish = (from, to) => host.publish(Array.from({ length: to - from }, (_, i) => event('scheduler', from + i)));
  const received = () => browser.evaluate('window.received || []');
  await browser.navigate(pageUrl);
  await waitFor(async () => (await browser.evaluate('window.client && window.client.state')) === 'open', 15000, 'the page did not connect');

  await publish(0, 10);
  await waitFor(async () => (await received()).length === 10, 10000, 'the page did not receive the first events');

  await host.stop('SIGKILL');
  await host.restart();
  await waitFor(async () => (await browser.evaluate('window.gaps')).length === 1, 15000, 'no gap after the restart');
  await publish(10, 15);
  await waitFor(async () => (await received()).length === 15, 10000, 'no events after the restart');
  assert.deepEqual(await received(), [...Array(15).keys()]);
  assert.deepEqual(await browser.evaluate('window.gaps'), ['epoch-changed']);

  await browser.navigate('about:blank');
  await publish(15, 20);
  await browser.navigate(pageUrl);
  await waitFor(async () => (await received()).length === 5, 15000, async () => `after coming back: ${await received()}`);
  await publish(20, 21);
  await waitFor(async () => (await received()).length === 6, 10000, 'no live event after the resume');
  assert.deepEqual(await received(), [15, 16, 17, 18, 19, 20], 'exactly what the page missed, once');
  assert.deepEqual(await browser.evaluate('window.gaps'), []);
});

/** Headless Chromium, driven over the DevTools protocol with one page. */
class Browser {
  static async start(profile) {
    const child = spawn(process.env.CHROMIUM || 'chromium', [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--remote-debugging-port=0',
      `--user-data-dir=${profile}`, 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      log += chunk;
    });
    let failed;
    child.on('error', (error) => {
      failed = error;
    });
    const browser = new Browser(child);
    try {
      let devtools;
      await waitFor(() => {
        if (failed) throw new Error(`could not start Chromium (set CHROMIUM to its path): ${failed.message}`);
        devtools = /DevTools listening on (ws:\/\/\S+)/.exec(log);
        return devtools !== null;
      }, 20000, () => `Chromium did not start:\n${log}`);
      const port = new URL(devtools[1]).port;
      const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      const page = targets.find((target) => target.type === 'page');
      await browser._connect(page.webSocketDebuggerUrl);
      return browser;
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  constructor(child) {
    this.child = child;
    this.nextId = 1;
    this.calls = new Map();
  }

  async _connect(url) {
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket.on('message', (text) => {
      const message = JSON.parse(text);
      const call = this.calls.get(message.id);
      if (!call) return;
      this.calls.delete(message.id);
      if (message.error) call.reject(new Error(JSON.stringify(message.error)));
      else call.resolve(message.result);
    });
    await new Promise((resolve, reject) => this.socket.once('open', resolve).once('error', reject));
    await this.send('Page.enable');
  }

  send(method, params = {}) {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.calls.set(id, { resolve, reject }));
  }

  async navigate(url) {
    await this.send('Page.navigate', { url });
    await waitFor(async () => (await this.evaluate('document.readyState')) === 'complete'
      && (await this.evaluate('location.href')) === url, 10000, `${url} did not load`);
  }

  async evaluate(expression) {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', { expression, returnByValue: true });
    if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.text}`);
    return result.value;
  }

  async close() {
    this.socket?.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}
