// A TCP proxy between the clients and a server, so that a test can cut connections, refuse new
// ones, or stop forwarding (a connection that is open but dead).
import net from 'node:net';

export class Proxy {
  static async start(targetPort) {
    const proxy = new Proxy(targetPort);
    await new Promise((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = proxy.server.address().port;
    return proxy;
  }

  constructor(targetPort) {
    this.targetPort = targetPort;
    this.accepted = 0;
    this.down = false;
    this.pairs = new Set();
    this.server = net.createServer((client) => this._accept(client));
  }

  url(path = '/ws') {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  _accept(client) {
    this.accepted++;
    if (this.down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const pair = { client, upstream };
    this.pairs.add(pair);
    const end = () => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Resets every open connection (the client sees an abnormal close, 1006). */
  cutAll() {
    const n = this.pairs.size;
    for (const pair of [...this.pairs]) this._reset(pair);
    return n;
  }

  /** Resets one open connection chosen by `random`; returns whether there was one. */
  cutOne(random = Math.random) {
    const pairs = [...this.pairs];
    if (!pairs.length) return false;
    this._reset(pairs[Math.floor(random() * pairs.length)]);
    return true;
  }

  _reset(pair) {
    this.pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.upstream.resetAndDestroy();
  }

  /** Stops reading from the server on every open connection: the server's writes stall. */
  stallServerSide() {
    for (const { client, upstream } of this.pairs) {
      upstream.unpipe(client);
      upstream.pause();
    }
  }

  /** Stops forwarding in both directions without closing anything: a dead connection. */
  blackhole() {
    for (const { client, upstream } of this.pairs) {
      upstream.unpipe(client);
      client.unpipe(upstream);
      upstream.pause();
      client.pause();
    }
  }

  resumeServerSide() {
    for (const { client, upstream } of this.pairs) {
      upstream.pipe(client);
      upstream.resume();
    }
  }

  close() {
    this.cutAll();
    return new Promise((resolve) => this.server.close(resolve));
  }
}
