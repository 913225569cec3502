// event-streamer-client: the JavaScript client of an event-streamer server (docs/client-js.md).
//
// One ES module with no imports and no dependencies: the server serves this very file to
// browsers, and Node 20+ runs it with its global WebSocket or an injected one (the ws package).
// It speaks the wire protocol of docs/protocol.md: subscribes with resume points, answers pings,
// reconnects with backoff, and tells the application about every gap.

// Errors the server sends on its own, not as the answer to one of the client's requests.
const UNSOLICITED = ['events-dropped', 'capacity-exceeded', 'not-reading', 'too-many-fragments'];
// Gap reasons of a failed resume: the stream goes on after `continuesFrom`.
const RESUME_FAILURES = ['history-expired', 'epoch-changed', 'unknown-id', 'broker-unavailable'];
const CLIENT_CLOSED = 1000;
const SERVICE_RESTART = 1012;

/**
 * A client that stays connected: it subscribes to categories, hands each event to the listeners
 * once and in order, reconnects with backoff when the connection is lost, resumes after the last
 * event it delivered, and reports every gap.
 *
 *   const client = new EventStreamClient('ws://localhost:8080/ws', { categories: ['dlq'] });
 *   client.on('dlq:entry-added', (e) => console.log(e.data.entryId));
 *   client.on('gap', (gap) => reload(gap.category));
 */
export class EventStreamClient {
  constructor(url, options = {}) {
    const o = options;
    this._url = webSocketUrl(url);
    this._categories = unique(list(o.categories || [], 'categories'));
    if (o.clientId !== undefined && (typeof o.clientId !== 'string' || !o.clientId.length || o.clientId.length > 128)) {
      throw new TypeError(`clientId was ${JSON.stringify(o.clientId)} but must be a string of 1 to 128 characters`);
    }
    if (o.token !== undefined && o.getToken !== undefined) {
      throw new TypeError('token and getToken were both given: pass one of them');
    }
    if (o.getToken !== undefined && typeof o.getToken !== 'function') {
      throw new TypeError('getToken must be a function returning a token or a promise of one');
    }
    this._clientId = o.clientId;
    this._token = o.token;
    this._getToken = o.getToken;
    this._resume = o.resume !== false;
    const backoff = o.backoff || {};
    this._min = positive(backoff.min ?? 250, 'backoff.min');
    this._max = positive(backoff.max ?? 30000, 'backoff.max');
    if (this._max < this._min) {
      throw new RangeError(`backoff was {min: ${this._min}, max: ${this._max}} but max must be >= min`);
    }
    const heartbeat = positive(o.heartbeatInterval ?? 30000, 'heartbeatInterval');
    this._deadAfter = positive(o.deadConnectionTimeout ?? 2 * heartbeat, 'deadConnectionTimeout');
    this._connectTimeout = positive(o.connectTimeout ?? 10000, 'connectTimeout');
    this._random = o.random || Math.random;
    const WebSocketImpl = o.WebSocket || globalThis.WebSocket;
    if (typeof WebSocketImpl !== 'function') {
      throw new TypeError('no WebSocket here: pass one as the WebSocket option, e.g. the ws package\'s '
        + '(or run Node 20 with --experimental-websocket, Node 22+ has one)');
    }
    // The seam for other transports (a future Server-Sent-Events one): a function of (url, sink)
    // returning {send(text), close(code, reason), abort()}; see webSocketTransport.
    this._transport = webSocketTransport(WebSocketImpl);
    this._store = resumeStore(this._resume && o.storage, o.storageKey || `event-streamer-client:${this._clientId || this._url}`);

    this._listeners = new Map();
    this._iterators = new Set();
    this._lastIds = new Map(Object.entries(this._store ? this._store.load() || {} : {}));
    // Dedup watermark: the last id delivered per category (or where a failed resume continues).
    this._seen = new Map(this._lastIds);
    this._state = 'connecting';
    this._closed = false;
    this._conn = null;
    this._failures = 0;
    this._everOpen = false;
    this._started = false;
    this._retry = null;
    this._watchdog = null;
    // Connect once the caller has had the chance to add listeners in the same tick.
    queueMicrotask(() => this._connect());
  }

  /** The current state: 'connecting', 'open', 'reconnecting' or 'closed'. */
  get state() {
    return this._state;
  }

  /** The categories asked for, in order. */
  get categories() {
    return this._categories.slice();
  }

  /** A copy of the resume point per category: the id of the last event delivered (or acknowledged). */
  lastEventIds() {
    return Object.fromEntries(this._lastIds);
  }

  /**
   * Adds a listener: 'event' (every event), '<category>', '<category>:<event type>', 'gap',
   * 'state', 'error' or 'message' (every server message as it came). Returns a function that removes it.
   */
  on(key, listener) {
    if (typeof key !== 'string' || !key) throw new TypeError('on() needs a non-empty string key');
    if (typeof listener !== 'function') throw new TypeError(`the listener for "${key}" is not a function`);
    let set = this._listeners.get(key);
    if (!set) this._listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Adds categories; on a live connection they are subscribed at once (resuming where known). */
  subscribe(categories) {
    const added = unique(list(categories, 'categories')).filter((c) => !this._categories.includes(c));
    if (!added.length) return;
    this._categories.push(...added);
    const conn = this._conn;
    if (!conn || !conn.subscribeSent) return; // the connection's first subscribe will name them
    if (conn.tokenSent) this._sendSubscribe(conn, added, false);
    else this._withToken(conn, (token) => this._sendSubscribe(conn, added, false, token));
  }

  /** Removes categories: their events stop, and their resume points are forgotten. */
  unsubscribe(categories) {
    const removed = unique(list(categories, 'categories')).filter((c) => this._categories.includes(c));
    if (!removed.length) return;
    this._categories = this._categories.filter((c) => !removed.includes(c));
    for (const c of removed) {
      this._lastIds.delete(c);
      this._seen.delete(c);
    }
    this._save();
    const conn = this._conn;
    if (conn && conn.subscribeSent) {
      conn.pending.push({ kind: 'unsubscribe' });
      this._send(conn, { type: 'unsubscribe', categories: removed });
    }
  }

  /**
   * An async iterator over the events of `key` (all, a category, or '<category>:<event type>')
   * and the gaps of their categories, in order. It reads ahead at most `readAhead` events (1000);
   * beyond that the oldest waiting event is dropped and a gap with reason 'read-ahead-overflow'
   * takes its place. It ends when the client is closed or the loop is left.
   */
  events(key, options = {}) {
    const bound = options.readAhead ?? 1000;
    if (!Number.isInteger(bound) || bound < 1) throw new RangeError(`readAhead was ${bound} but must be an integer >= 1`);
    const iterator = new EventIterator(key, bound, () => this._iterators.delete(iterator));
    if (this._closed) iterator.end();
    else this._iterators.add(iterator);
    return iterator;
  }

  /** Stops for good: closes the connection with 1000, ends the iterators; state becomes 'closed'. */
  close() {
    if (this._closed) return;
    this._closed = true;
    clearTimeout(this._retry);
    clearInterval(this._watchdog);
    const conn = this._conn;
    this._conn = null;
    if (conn) conn.transport.close(CLIENT_CLOSED, 'client closed');
    this._setState('closed');
    for (const iterator of this._iterators) iterator.end();
    this._iterators.clear();
  }

  // --- Connections -----------------------------------------------------------------------------

  _connect() {
    this._retry = null;
    if (this._closed) return;
    if (!this._started) {
      this._started = true;
      this._emit('state', 'connecting'); // the initial state, for listeners added after the constructor
    }
    const now = Date.now();
    const conn = {
      opened: false, acked: false, subscribeSent: false, tokenSent: false, pending: [], started: now, lastActivity: now,
    };
    this._conn = conn;
    if (!this._watchdog) {
      this._watchdog = setInterval(() => this._checkAlive(), Math.max(10, Math.min(1000, this._deadAfter / 4)));
      if (this._watchdog.unref) this._watchdog.unref();
    }
    try {
      conn.transport = this._transport(this._url, {
        opened: () => this._opened(conn),
        message: (text) => this._received(conn, text),
        closed: (code, reason, retryAfterMs) => this._lost(conn, code, reason, retryAfterMs),
      });
    } catch (error) {
      conn.transport = { send() {}, close() {}, abort() {} };
      this._lost(conn, 1006, `could not connect: ${error}`);
    }
  }

  _opened(conn) {
    if (conn !== this._conn) return;
    conn.opened = true;
    conn.openedAt = conn.lastActivity = Date.now();
    if (!this._categories.length) {
      // Nothing to subscribe to yet: open as it is; subscribe() sends the first subscribe.
      conn.subscribeSent = true;
      this._acknowledged(conn);
      return;
    }
    this._withToken(conn, (token) => this._sendSubscribe(conn, this._categories.slice(), true, token));
  }

  _sendSubscribe(conn, categories, initial, token) {
    const message = { type: 'subscribe', categories };
    if (this._clientId !== undefined) message.clientId = this._clientId;
    if (token !== undefined) {
      message.token = token;
      conn.tokenSent = true;
    }
    if (this._resume) {
      const resume = {};
      for (const c of categories) if (this._lastIds.has(c)) resume[c] = this._lastIds.get(c);
      if (Object.keys(resume).length) message.resume = resume;
    }
    conn.subscribeSent = true;
    conn.pending.push({ kind: 'subscribe', initial, categories, token });
    this._send(conn, message);
  }

  /**
   * Runs `then(token)` with the current token (undefined without authentication) for `conn`. When
   * getToken fails, a new connection is tried later; a failed refresh only reports it, since the
   * current token still holds until the server's expiry close.
   */
  _withToken(conn, then, refresh = false) {
    if (!this._getToken) {
      then(this._token);
      return;
    }
    Promise.resolve().then(() => this._getToken()).then(
      (token) => {
        if (conn === this._conn) then(token);
      },
      (error) => {
        if (conn !== this._conn) return;
        this._emit('error', { code: 'token-unavailable', error: `getToken failed: ${error}` });
        if (!refresh) this._drop(conn, 'no token');
      });
  }

  _received(conn, text) {
    if (conn !== this._conn) return;
    conn.lastActivity = Date.now();
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return; // not JSON: ignored, as the protocol lets clients ignore what they don't know
    }
    if (!message || typeof message !== 'object') return;
    switch (message.type) {
      case 'ping':
        this._send(conn, { type: 'pong' });
        break;
      case 'event':
        this._deliver(message);
        break;
      case 'gap':
        this._gap(message);
        break;
      case 'subscription-ack':
        this._answered(conn);
        this._absorbLastIds(message.data && message.data.lastIds);
        if (!conn.acked) this._acknowledged(conn);
        break;
      case 'unsubscription-ack':
      case 'refresh-ack':
        this._answered(conn);
        break;
      case 'token-expiring':
        if (this._getToken) {
          this._withToken(conn, (token) => {
            conn.pending.push({ kind: 'refresh' });
            this._send(conn, { type: 'refresh', token });
          }, true);
        }
        break;
      case 'error':
        this._serverError(conn, message.data || {});
        break;
      default:
      // pong, stream-interrupted, stream-restored and later additions need nothing from us.
    }
    // Every message as it came, after the client has acted on it: for tools that show the protocol.
    this._emit('message', message);
  }

  _answered(conn) {
    return conn.pending.shift();
  }

  _acknowledged(conn) {
    conn.acked = true;
    this._failures = 0;
    this._everOpen = true;
    this._setState('open');
  }

  /** Where each category starts on the server: a resume point even before its first event. */
  _absorbLastIds(lastIds) {
    if (!lastIds || typeof lastIds !== 'object') return;
    let changed = false;
    for (const [c, id] of Object.entries(lastIds)) {
      if (typeof id === 'string' && this._categories.includes(c) && !this._lastIds.has(c)) {
        this._lastIds.set(c, id);
        changed = true;
      }
    }
    if (changed) this._save();
  }

  _serverError(conn, data) {
    this._emit('error', data);
    if (UNSOLICITED.includes(data.code)) return;
    const request = this._answered(conn);
    if (!request || request.kind !== 'subscribe') return;
    const forbidden = data.code === 'forbidden-category' && Array.isArray(data.categories)
      ? data.categories.filter((c) => request.categories.includes(c)) : [];
    if (forbidden.length) {
      // The token doesn't allow these: give them up (the 'error' listener was told which) and
      // subscribe to the rest of the request on the same connection.
      this._categories = this._categories.filter((c) => !forbidden.includes(c));
      for (const c of forbidden) this._lastIds.delete(c);
      const rest = request.categories.filter((c) => !forbidden.includes(c));
      if (rest.length) this._sendSubscribe(conn, rest, request.initial, request.token);
      else if (request.initial) this._acknowledged(conn);
    } else if (request.initial) {
      // A subscribe is applied completely or not at all: this one was refused (unknown category,
      // bad token...). Drop the connection and try again later, in case it was passing.
      this._drop(conn, `subscription refused (${data.code})`);
    } else {
      // A later subscribe() was refused: forget its categories, the connection keeps the others.
      this._categories = this._categories.filter((c) => !request.categories.includes(c));
    }
  }

  _checkAlive() {
    const conn = this._conn;
    if (!conn) return;
    const now = Date.now();
    if (!conn.opened && now - conn.started > this._connectTimeout) {
      this._drop(conn, `not open within ${this._connectTimeout} ms`);
    } else if (conn.opened && !conn.acked && now - conn.openedAt > this._connectTimeout) {
      this._drop(conn, `no answer to subscribe within ${this._connectTimeout} ms`);
    } else if (conn.opened && now - conn.lastActivity > this._deadAfter) {
      this._drop(conn, `nothing received for ${this._deadAfter} ms`);
    }
  }

  /** Gives up on a connection the client no longer trusts, and retries later. */
  _drop(conn, reason) {
    if (conn !== this._conn) return;
    conn.transport.abort();
    this._lost(conn, 1006, reason);
  }

  /** The connection closed, failed, or was dropped: wait a backoff delay, then connect again. */
  _lost(conn, code, reason, retryAfterMs) {
    if (conn !== this._conn || this._closed) return;
    this._conn = null;
    let delay;
    if (code === SERVICE_RESTART) {
      delay = this._random() * this._min;
    } else {
      // Full jitter: uniform in [0, min(max, min * 2^failures)].
      delay = this._random() * Math.min(this._max, this._min * 2 ** Math.min(this._failures, 30));
      this._failures++;
    }
    if (retryAfterMs > 0) delay = Math.max(delay, Math.min(retryAfterMs, this._max) + this._random() * this._min);
    this._setState(this._everOpen ? 'reconnecting' : 'connecting', { code, reason, delay });
    this._retry = setTimeout(() => this._connect(), delay);
  }

  _send(conn, message) {
    conn.transport.send(JSON.stringify(message));
  }

  // --- Delivery --------------------------------------------------------------------------------

  _deliver(event) {
    const { category, id } = event;
    if (typeof category !== 'string' || typeof id !== 'string' || !this._categories.includes(category)) return;
    if (isDuplicate(this._seen.get(category), id)) return;
    this._seen.set(category, id);
    this._emit('event', event);
    this._emit(category, event);
    this._emit(`${category}:${event.event}`, event);
    for (const iterator of this._iterators) iterator.offer(event);
    this._lastIds.set(category, id);
    this._save();
  }

  _gap(message) {
    const data = message.data || {};
    if (typeof data.category !== 'string' || !this._categories.includes(data.category)) return;
    const gap = { type: 'gap', timestamp: message.timestamp, ...data };
    this._emit('gap', gap);
    for (const iterator of this._iterators) iterator.offer(gap);
    if (RESUME_FAILURES.includes(gap.reason)) {
      // The stream goes on after continuesFrom: resume from there next time, so the same gap is
      // not reported again. Without one, keep the old point: a second notice beats a silent loss.
      if (typeof gap.continuesFrom === 'string') {
        this._lastIds.set(gap.category, gap.continuesFrom);
        this._seen.set(gap.category, gap.continuesFrom);
        this._save();
      } else {
        this._seen.delete(gap.category);
      }
    }
  }

  _emit(key, argument, detail) {
    const set = this._listeners.get(key);
    if (!set || !set.size) {
      // Like the Java client: what the application should know about is never dropped unseen.
      if (key === 'gap' && !this._iterators.size) console.warn('event-streamer-client: events missed', argument);
      if (key === 'error') console.warn('event-streamer-client: error from the server', argument);
      return;
    }
    for (const listener of set) {
      try {
        listener(argument, detail);
      } catch (error) {
        // A listener's bug must not stop the stream: report it the way the platform does.
        if (typeof reportError === 'function') reportError(error);
        else console.error(`event-streamer-client: a "${key}" listener threw`, error);
      }
    }
  }

  _setState(state, detail) {
    if (this._state === state && !detail) return;
    this._state = state;
    this._emit('state', state, detail);
  }

  _save() {
    if (!this._store) return;
    try {
      this._store.save(Object.fromEntries(this._lastIds));
    } catch (error) {
      console.error('event-streamer-client: could not save the resume point', error);
    }
  }
}

/**
 * The iterator of `client.events()`: a bounded buffer of events and gaps, read with for await.
 * When `bound` events wait, the oldest is dropped and counted in a 'read-ahead-overflow' gap
 * standing where it was, so that the reader knows to reload that category.
 */
class EventIterator {
  constructor(key, bound, detach) {
    const at = key === undefined ? -1 : String(key).indexOf(':');
    this._category = key === undefined ? undefined : at < 0 ? key : key.slice(0, at);
    this._type = at < 0 ? undefined : key.slice(at + 1);
    this._bound = bound;
    this._detach = detach;
    this._buffer = [];
    this._events = 0;
    this._waiting = null;
    this._ended = false;
  }

  offer(item) {
    if (this._ended || (this._category !== undefined && item.category !== this._category)) return;
    if (this._type !== undefined && item.type === 'event' && item.event !== this._type) return;
    if (this._waiting) {
      const resolve = this._waiting;
      this._waiting = null;
      resolve({ value: item, done: false });
      return;
    }
    if (item.type === 'event') {
      if (this._events >= this._bound) this._dropOldest();
      this._events++;
    }
    this._buffer.push(item);
  }

  _dropOldest() {
    const at = this._buffer.findIndex((item) => item.type === 'event');
    const [dropped] = this._buffer.splice(at, 1);
    this._events--;
    for (let i = at - 1; i >= 0; i--) {
      const gap = this._buffer[i];
      if (gap.category !== dropped.category) continue;
      if (gap.reason !== 'read-ahead-overflow') break;
      gap.missed++;
      gap.lastMissed = dropped.id;
      return;
    }
    this._buffer.splice(at, 0, {
      type: 'gap', category: dropped.category, reason: 'read-ahead-overflow', missed: 1,
      firstMissed: dropped.id, lastMissed: dropped.id, timestamp: new Date().toISOString(),
    });
  }

  next() {
    if (this._buffer.length) {
      const value = this._buffer.shift();
      if (value.type === 'event') this._events--;
      return Promise.resolve({ value, done: false });
    }
    if (this._ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this._waiting = resolve;
    });
  }

  return() {
    this._buffer = [];
    this._events = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  end() {
    if (this._ended) return;
    this._ended = true;
    this._detach();
    if (this._waiting) this._waiting({ value: undefined, done: true });
    this._waiting = null;
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/**
 * The WebSocket transport. The client sees a transport as a function (url, sink) that connects
 * and returns {send(text), close(code, reason), abort()}, and tells the sink opened(),
 * message(text) and, once, closed(code, reason, retryAfterMs). Another transport (Server-Sent
 * Events for the stream plus HTTP for the client's messages) needs only to keep that shape.
 */
function webSocketTransport(WebSocketImpl) {
  return (url, sink) => {
    const socket = new WebSocketImpl(url);
    let done = false;
    let retryAfterMs;
    const finish = (code, reason) => {
      if (done) return;
      done = true;
      sink.closed(code, reason, retryAfterMs);
    };
    if (typeof socket.on === 'function') {
      // The ws package (Node) shows a refused upgrade's response: keep its Retry-After. Browsers
      // hide it; there the backoff alone spaces the attempts.
      socket.on('unexpected-response', (request, response) => {
        retryAfterMs = retryAfter(response.headers && response.headers['retry-after']);
        if (response.resume) response.resume();
        socket.close(); // still connecting: ws aborts the handshake and reports a close
      });
    }
    let opened = false;
    socket.onopen = () => {
      opened = true;
      if (!done) sink.opened();
    };
    socket.onmessage = (e) => {
      if (!done && typeof e.data === 'string') sink.message(e.data);
    };
    socket.onclose = (e) => finish(e.code, e.reason);
    // A close event follows an error, except on Node 20's WebSocket when the upgrade fails: it
    // stays CONNECTING after the error. So a failed upgrade ends the attempt here.
    socket.onerror = () => {
      if (!opened) finish(1006, 'could not connect');
    };
    return {
      send(text) {
        if (!done && socket.readyState === 1) socket.send(text);
      },
      close(code, reason) {
        done = true;
        try {
          socket.close(code, reason);
        } catch {
          // already closing
        }
      },
      abort() {
        done = true;
        if (typeof socket.terminate === 'function') socket.terminate();
        else this.close(CLIENT_CLOSED, 'dead connection');
      },
    };
  };
}

function resumeStore(storage, key) {
  if (!storage) return null;
  if (typeof storage.load === 'function' && typeof storage.save === 'function') return storage;
  if (typeof storage.getItem !== 'function' || typeof storage.setItem !== 'function') {
    throw new TypeError('storage must have getItem/setItem (e.g. sessionStorage) or load/save');
  }
  return {
    load() {
      try {
        const ids = JSON.parse(storage.getItem(key) || '{}');
        return ids && typeof ids === 'object' ? ids : {};
      } catch {
        return {}; // an unreadable saved point: start from the server's current position
      }
    },
    save(ids) {
      storage.setItem(key, JSON.stringify(ids));
    },
  };
}

/** Ids are "<epoch>-<sequence>" and increase within a category; other shapes are only compared for equality. */
function isDuplicate(seen, id) {
  if (seen === undefined) return false;
  if (seen === id) return true;
  const a = /^(\d+)-(\d+)$/.exec(id);
  const b = /^(\d+)-(\d+)$/.exec(seen);
  if (!a || !b) return false;
  return (a[1] - b[1] || a[2] - b[2]) < 0;
}

function webSocketUrl(url) {
  const base = globalThis.location && globalThis.location.href;
  const parsed = new URL(String(url), base);
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    parsed.protocol = parsed.protocol === 'http:' ? 'ws:' : 'wss:';
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new TypeError(`url was ${url} but must be ws://, wss:// (or http://, https://, or relative in a page)`);
  }
  return parsed.href;
}

function retryAfter(value) {
  const seconds = Number(value);
  if (value !== undefined && value !== '' && Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - Date.now();
}

function list(value, name) {
  const array = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(array) || array.some((c) => typeof c !== 'string' || !c)) {
    throw new TypeError(`${name} must be a non-empty string or an array of them, but was ${JSON.stringify(value)}`);
  }
  return array;
}

function unique(array) {
  return [...new Set(array)];
}

function positive(value, name) {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new RangeError(`${name} was ${value} but must be a number of milliseconds > 0`);
  }
  return value;
}
