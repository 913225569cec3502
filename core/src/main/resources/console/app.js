/*
 * event-streamer console. Plain JavaScript: no build step; an ES module whose one import is the
 * project's JavaScript client (clients/js, served next to this file as client/index.js).
 *
 * It talks to the server like any other client does: the HTTP API for counts, sources and
 * connections, and, for the live feed, the JavaScript client (it subscribes, answers pings,
 * reconnects with backoff, resumes from the last id of each category and reports gaps).
 *
 * Everything it shows comes from the server or from whoever published an event, so it is only
 * ever rendered as text (createElement, textContent, Text nodes), never parsed as HTML.
 */
import { EventStreamClient } from './client/index.js';

(function () {
  'use strict';

  const POLL_MS = 2000;
  const CHART_WINDOW_MS = 5 * 60 * 1000;
  const MAX_FEED = 500;          // rows kept in the feed
  const MAX_BUFFER = 1000;       // entries held while the feed is paused
  const RETRY_SOURCES_MS = 5000; // when /api/sources fails before a connection
  const AUTH_CODES = ['unauthorized', 'invalid-token', 'invalid-signature', 'token-expired', 'token-not-yet-valid',
    'wrong-issuer', 'wrong-audience', 'token-without-expiry'];
  const TOKEN_KEY = 'event-streamer.console.token';
  const ADMIN_TOKEN_KEY = 'event-streamer.console.admin-token';
  const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2',
    '#db2777', '#65a30d', '#4f46e5', '#ea580c', '#0d9488', '#a16207'];

  // --- Small helpers ------------------------------------------------------------------------

  function $(id) {
    return document.getElementById(id);
  }

  /** Creates an element; children that are strings become Text nodes (never HTML). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (key === 'class') {
        node.className = value;
      } else if (key === 'text') {
        node.textContent = String(value);
      } else {
        node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child);
      }
    }
    return node;
  }

  function setText(node, text) {
    const value = String(text);
    if (node.textContent !== value) {
      node.textContent = value;
    }
  }

  function randomHex(length) {
    const bytes = new Uint8Array(Math.ceil(length / 2));
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, length);
  }

  function pad(n, width) {
    return String(n).padStart(width || 2, '0');
  }

  function clockTime(date) {
    return pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds());
  }

  function timeOf(timestamp) {
    const date = new Date(timestamp);
    if (typeof timestamp !== 'string' || Number.isNaN(date.getTime())) {
      return String(timestamp === undefined ? '' : timestamp);
    }
    return clockTime(date) + '.' + pad(date.getMilliseconds(), 3);
  }

  function duration(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) {
      return s + 's';
    }
    if (s < 3600) {
      return Math.floor(s / 60) + 'm ' + pad(s % 60) + 's';
    }
    if (s < 86400) {
      return Math.floor(s / 3600) + 'h ' + pad(Math.floor(s / 60) % 60) + 'm';
    }
    return Math.floor(s / 86400) + 'd ' + Math.floor(s / 3600) % 24 + 'h';
  }

  function formatRate(rate) {
    if (rate === null || rate === undefined || Number.isNaN(rate)) {
      return '–';
    }
    return rate >= 100 ? String(Math.round(rate)) : rate.toFixed(1);
  }

  function formatCount(n) {
    return typeof n === 'number' ? n.toLocaleString('en-US') : '–';
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  // --- State --------------------------------------------------------------------------------

  const state = {
    clientId: 'console-' + randomHex(8),
    token: sessionStorage.getItem(TOKEN_KEY) || '',
    adminToken: sessionStorage.getItem(ADMIN_TOKEN_KEY) || '',  // admin endpoints, when the server has one
    sourcesLoaded: false,
    running: [],               // running categories, from /api/sources
    categories: [],            // every category shown in the sidebar
    colors: new Map(),
    hidden: new Set(),         // categories unticked in the filter
    forbidden: new Set(),      // categories the token does not allow
    search: '',
    paused: false,
    pending: [],               // entries that arrived while paused
    discarded: 0,              // entries that didn't fit in `pending`
    incoming: [],              // entries waiting to be rendered
    flushScheduled: false,
    received: 0,               // events received over the WebSocket since the page loaded
    lastIds: {},               // category -> id of the last event received, to resume with
    selected: null,
    selectedRow: null,
    status: null,
    diagnostics: null,
    sequences: {},             // category -> {epoch, seq, t}: the last id seen by the poller
    rates: {},                 // category -> events/s over the last poll interval
    samples: [],               // [{t, rates}] over the chart window
    tab: 'feed',
    connectionsTimer: null,
    banners: new Map(),
  };

  const rowEntries = new WeakMap();

  // --- Errors shown at the top --------------------------------------------------------------

  function showBanner(key, message) {
    state.banners.set(key, message);
    renderBanner();
  }

  function clearBanner(key) {
    if (state.banners.delete(key)) {
      renderBanner();
    }
  }

  function renderBanner() {
    const banner = $('banner');
    const messages = Array.from(state.banners.values());
    banner.hidden = messages.length === 0;
    setText(banner, messages.join(' · '));
  }

  // --- HTTP ---------------------------------------------------------------------------------

  /** The server's root, relative to this page (/console/), so that a path prefix of a proxy works too. */
  function serverUrl(path) {
    return new URL('..' + path, window.location.href);
  }

  async function api(path) {
    const headers = { Accept: 'application/json' };
    const bearer = state.adminToken || state.token;
    if (bearer) {
      headers.Authorization = 'Bearer ' + bearer;
    }
    let response;
    try {
      response = await fetch(serverUrl(path), { headers: headers, cache: 'no-store' });
    } catch (e) {
      throw new Error('Cannot reach the server (GET ' + path + ')');
    }
    if (response.status === 401 || response.status === 403) {
      throw new Error('The server refused GET ' + path + ' (HTTP ' + response.status + '): check the access token');
    }
    if (!response.ok) {
      let detail = '';
      try {
        const body = await response.json();
        detail = body && body.error ? ': ' + body.error : '';
      } catch (ignored) {
        // not JSON: the status says enough
      }
      throw new Error('GET ' + path + ' failed with HTTP ' + response.status + detail);
    }
    return response.json();
  }

  // --- Sources and categories ---------------------------------------------------------------

  async function loadSources() {
    const body = await api('/api/sources');
    const sources = Array.isArray(body.sources) ? body.sources.slice() : [];
    sources.sort((a, b) => String(a.category).localeCompare(String(b.category)));
    state.running = sources.filter((s) => s.state === 'running').map((s) => String(s.category));
    state.sourcesLoaded = true;
    renderSources(sources);
    updateCategories(state.running);
    clearBanner('sources');
  }

  function renderSources(sources) {
    const list = $('sources');
    list.replaceChildren(...sources.map(renderSource));
    if (sources.length === 0) {
      list.append(el('li', { class: 'hint', text: 'No sources are loaded.' }));
    }
  }

  function renderSource(source) {
    const category = String(source.category);
    const stateName = String(source.state);
    const item = el('li', { class: 'source', 'data-category': category, 'data-state': stateName },
      el('div', { class: 'source-head' },
        el('span', { class: 'name', text: category }),
        el('span', { class: 'state ' + stateClass(stateName), text: stateName })));
    if (source.error) {
      item.append(el('p', { class: 'error', text: source.error }));
    }
    const types = Array.isArray(source.eventTypes) ? source.eventTypes : [];
    if (types.length > 0) {
      const details = el('details', null, el('summary', { text: plural(types.length, 'event type') }));
      for (const type of types) {
        details.append(renderEventType(type));
      }
      item.append(details);
    }
    return item;
  }

  function stateClass(name) {
    return ['running', 'failed', 'disabled'].includes(name) ? name : 'disabled';
  }

  function renderEventType(type) {
    const fields = el('table', { class: 'fields' });
    for (const field of Array.isArray(type.fields) ? type.fields : []) {
      const typeText = String(field.type) + (field.format ? ' (' + field.format + ')' : '');
      const tags = el('td');
      tags.append(el('span', { class: field.required ? 'tag required' : 'tag', text: field.required ? 'required' : 'optional' }));
      if (type.key !== undefined && type.key === field.name) {
        tags.append(' ', el('span', { class: 'tag key', title: 'coalesce key', text: 'key' }));
      }
      fields.append(el('tr', { title: field.description || null },
        el('td', { text: field.name }), el('td', { class: 'type', text: typeText }), tags));
    }
    return el('div', { class: 'event-type' },
      el('div', { class: 'type-name', text: type.name }),
      type.description ? el('p', { class: 'description', text: type.description }) : null,
      fields);
  }

  /** Adds categories not shown yet (from the sources or the status endpoint) to the sidebar. */
  function updateCategories(names) {
    const all = new Set(state.categories);
    let changed = false;
    for (const name of names) {
      if (!all.has(name)) {
        all.add(name);
        changed = true;
      }
    }
    if (!changed && state.categories.length > 0) {
      return;
    }
    state.categories = Array.from(all).sort();
    state.categories.forEach((name, i) => state.colors.set(name, PALETTE[i % PALETTE.length]));
    renderCategoryList();
    renderLegend();
    renderCounts();
  }

  function colorOf(category) {
    return state.colors.get(category) || '#94a3b8';
  }

  function swatch(category) {
    const node = el('span', { class: 'swatch' });
    node.style.background = colorOf(category); // CSSOM, allowed by the page's style-src 'self'
    return node;
  }

  function renderCategoryList() {
    const list = $('categories');
    list.replaceChildren(...state.categories.map((name, i) => {
      const id = 'filter-' + i;
      const box = el('input', { type: 'checkbox', id: id, class: 'filter' });
      box.checked = !state.hidden.has(name);
      box.addEventListener('change', () => {
        if (box.checked) {
          state.hidden.delete(name);
        } else {
          state.hidden.add(name);
        }
        applyFilter();
      });
      return el('li', { class: 'category', 'data-category': name },
        box,
        swatch(name),
        el('label', { for: id, class: 'name', title: name, text: name }),
        el('span', { class: 'numbers' },
          el('b', { class: 'subs', text: '–' }), ' subs · ',
          el('span', { class: 'rate', text: '–' }), '/s'));
    }));
    if (state.categories.length === 0) {
      list.append(el('li', { class: 'hint', text: 'No running categories.' }));
    }
    renderCategoryAccess();
  }

  function setAllFilters(visible) {
    state.hidden = visible ? new Set() : new Set(state.categories);
    for (const box of document.querySelectorAll('#categories input.filter')) {
      box.checked = visible;
    }
    applyFilter();
  }

  // --- Counts and rates ---------------------------------------------------------------------

  async function poll() {
    try {
      const [status, diagnostics] = await Promise.all([api('/api/websocket/status'), api('/api/diagnostics')]);
      clearBanner('poll');
      state.status = status;
      state.diagnostics = diagnostics;
      sample(diagnostics, Date.now());
      updateCategories(Object.keys(status.subscriptions || {}));
      renderCounts();
      if (!state.sourcesLoaded) {
        loadSources().catch((e) => showBanner('sources', e.message));
      }
    } catch (e) {
      showBanner('poll', e.message);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  /**
   * Ids are "<epoch>-<sequence>", the sequence counting the events of a category: the difference
   * between two polls is how many were published in between. (Clients should treat ids as
   * opaque; the console is the server's own and knows their shape.)
   */
  function parseId(id) {
    if (id === null || id === undefined) {
      return { epoch: null, seq: 0 };
    }
    const match = /^(\d+)-(\d+)$/.exec(String(id));
    return match ? { epoch: match[1], seq: Number(match[2]) } : null;
  }

  function sample(diagnostics, now) {
    const rates = {};
    for (const [category, c] of Object.entries(diagnostics.categories || {})) {
      const current = parseId(c.lastId);
      const previous = state.sequences[category];
      if (current && previous && (previous.epoch === null || previous.epoch === current.epoch)
          && current.seq >= previous.seq && now > previous.t) {
        rates[category] = (current.seq - previous.seq) * 1000 / (now - previous.t);
      }
      state.sequences[category] = current ? { epoch: current.epoch, seq: current.seq, t: now } : undefined;
    }
    state.rates = rates;
    state.samples.push({ t: now, rates: rates });
    while (state.samples.length > 0 && state.samples[0].t < now - CHART_WINDOW_MS - POLL_MS) {
      state.samples.shift();
    }
    drawChart();
  }

  function renderCounts() {
    const status = state.status;
    const diagnostics = state.diagnostics;
    if (!status) {
      return;
    }
    const subscriptions = status.subscriptions || {};
    const totalSubscriptions = Object.values(subscriptions).reduce((sum, n) => sum + Number(n || 0), 0);
    const rateValues = Object.values(state.rates);
    const totalRate = rateValues.length ? rateValues.reduce((sum, r) => sum + r, 0) : null;
    let drops = null;
    if (diagnostics && diagnostics.categories) {
      drops = Object.values(diagnostics.categories).reduce((sum, c) => sum + Number(c.drops || 0), 0);
    }
    setText($('stat-clients').querySelector('.value'), formatCount(status.connectedClients));
    setText($('stat-subscriptions').querySelector('.value'), formatCount(totalSubscriptions));
    setText($('stat-rate').querySelector('.value'), formatRate(totalRate));
    setText($('stat-drops').querySelector('.value'), formatCount(drops));
    $('stat-drops').classList.toggle('alert', drops > 0);
    setText($('connections-count'), formatCount(status.connectedClients));

    for (const item of document.querySelectorAll('#categories .category')) {
      const category = item.getAttribute('data-category');
      const count = subscriptions[category];
      setText(item.querySelector('.subs'), count === undefined ? '–' : formatCount(count));
      setText(item.querySelector('.rate'), formatRate(state.rates[category]));
    }
    for (const item of document.querySelectorAll('#chart-legend li')) {
      setText(item.querySelector('.rate'), formatRate(state.rates[item.getAttribute('data-category')]) + '/s');
    }
  }

  // --- Chart --------------------------------------------------------------------------------

  function renderLegend() {
    $('chart-legend').replaceChildren(...state.categories.map((name) =>
      el('li', { 'data-category': name }, swatch(name), el('span', { text: name }), el('span', { class: 'rate', text: '–' }))));
  }

  /** A round maximum for the y axis, and how many grid steps divide it into round numbers. */
  function yScale(value) {
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    if (value <= power) {
      return { max: power, steps: 5 };
    }
    if (value <= 2 * power) {
      return { max: 2 * power, steps: 4 };
    }
    if (value <= 5 * power) {
      return { max: 5 * power, steps: 5 };
    }
    return { max: 10 * power, steps: 5 };
  }

  function drawChart() {
    const canvas = $('chart');
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) {
      return; // not visible
    }
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);

    const left = 44;
    const right = 10;
    const top = 8;
    const bottom = 20;
    const plotWidth = width - left - right;
    const plotHeight = height - top - bottom;
    const now = Date.now();
    const from = now - CHART_WINDOW_MS;
    let max = 0;
    for (const s of state.samples) {
      for (const r of Object.values(s.rates)) {
        max = Math.max(max, r);
      }
    }
    const scale = yScale(Math.max(max, 1));
    const yMax = scale.max;
    const xOf = (t) => left + plotWidth * (t - from) / CHART_WINDOW_MS;
    const yOf = (r) => top + plotHeight - plotHeight * r / yMax;

    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    for (let i = 0; i <= scale.steps; i++) {
      const y = Math.round(top + plotHeight - plotHeight * i / scale.steps) + 0.5;
      ctx.strokeStyle = i === 0 ? '#cbd5e1' : '#eef2f7';
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + plotWidth, y);
      ctx.stroke();
      ctx.fillStyle = '#64748b';
      const v = yMax * i / scale.steps;
      ctx.fillText(String(Number(v.toPrecision(3))), left - 6, y);
    }
    ctx.textBaseline = 'top';
    ctx.textAlign = 'center';
    for (let m = 5; m >= 0; m--) {
      const x = Math.round(left + plotWidth * (1 - m / 5)) + 0.5;
      ctx.strokeStyle = '#f1f5f9';
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + plotHeight);
      ctx.stroke();
      ctx.fillStyle = '#64748b';
      ctx.textAlign = m === 0 ? 'right' : 'center';
      ctx.fillText(m === 0 ? 'now' : '−' + m + ' min', x, top + plotHeight + 5);
    }

    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top - 2, plotWidth, plotHeight + 4);
    ctx.clip();
    ctx.lineWidth = 1.75;
    ctx.lineJoin = 'round';
    let points = 0;
    for (const category of state.categories) {
      ctx.strokeStyle = colorOf(category);
      ctx.globalAlpha = state.hidden.has(category) ? 0.2 : 1;
      ctx.beginPath();
      let drawing = false;
      for (const s of state.samples) {
        const r = s.rates[category];
        if (r === undefined) {
          drawing = false;
          continue;
        }
        points++;
        if (drawing) {
          ctx.lineTo(xOf(s.t), yOf(r));
        } else {
          ctx.moveTo(xOf(s.t), yOf(r));
          drawing = true;
        }
      }
      ctx.stroke();
    }
    ctx.restore();
    if (points < 2) {
      ctx.fillStyle = '#94a3b8';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('Collecting samples…', left + plotWidth / 2, top + plotHeight / 2);
    }
  }

  // --- The live feed: the JavaScript client (clients/js, served at /console/client/index.js) ------

  const stream = {
    client: null,
    manual: false,          // disconnected on purpose: don't reconnect
    everOpen: false,        // the current client reached 'open' once: later opens are reconnects
    retryAt: 0,
    retryTimer: null,
    generation: 0,          // bumped by every connect(), so that a stale one gives up
    closeNote: '',
  };

  function webSocketUrl() {
    const requested = new URLSearchParams(window.location.search).get('ws');
    const url = requested && requested.startsWith('/') ? new URL(requested, window.location.href) : serverUrl('/ws');
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (state.token) {
      url.searchParams.set('token', state.token);
    }
    return url.toString();
  }

  /** Starts a client on every running category the token may read, resuming where the last one was. */
  async function connect() {
    stopClient();
    stream.manual = false;
    stream.retryAt = 0;
    setConnection('connecting', 'Connecting…');
    const generation = ++stream.generation;
    try {
      await loadSources(); // the categories to subscribe to
    } catch (e) {
      showBanner('sources', e.message);
      if (generation === stream.generation && !stream.manual) {
        stream.retryAt = Date.now() + RETRY_SOURCES_MS;
        stream.closeNote = 'sources unavailable';
        stream.retryTimer = setTimeout(connect, RETRY_SOURCES_MS);
        renderRetry();
      }
      return;
    }
    if (generation !== stream.generation || stream.manual) {
      return; // disconnected, or connected again, meanwhile
    }
    const client = new EventStreamClient(webSocketUrl(), {
      categories: state.running.filter((c) => !state.forbidden.has(c)),
      clientId: state.clientId,
      backoff: { min: 1000, max: 30000 },
      // The resume points outlive the client: a new token starts a new client that goes on from them.
      storage: {
        load: () => state.lastIds,
        save: (lastIds) => {
          state.lastIds = lastIds;
        },
      },
    });
    stream.client = client;
    stream.everOpen = false;
    client.on('event', (message) => {
      state.received++;
      push(eventEntry(message));
    });
    client.on('gap', (gap) => {
      const { type, timestamp, ...data } = gap;
      push(gapEntry({ type: type, timestamp: timestamp, data: data }, data));
    });
    client.on('message', (message) => {
      if (stream.client === client) {
        received(client, message);
      }
    });
    client.on('state', (clientState, detail) => {
      if (stream.client === client) {
        stateChanged(client, clientState, detail);
      }
    });
  }

  function stopClient() {
    clearTimeout(stream.retryTimer);
    stream.retryTimer = null;
    const client = stream.client;
    stream.client = null;
    if (client) {
      client.close();
    }
  }

  /** What the console shows of the server's messages besides events and gaps. */
  function received(client, message) {
    const data = message.data && typeof message.data === 'object' ? message.data : {};
    switch (message.type) {
      case 'subscription-ack':
        acknowledged(client, data);
        break;
      case 'token-expiring':
        push(systemEntry('token expiring', 'The access token expires at ' + String(data.expiresAt)
          + '; enter a new one to stay connected'));
        showBanner('token', 'The access token expires at ' + timeOf(data.expiresAt) + ': enter a new one and apply it');
        break;
      case 'error':
        push(errorEntry(message, data));
        refused(client, data);
        break;
      default:
        break; // ping (the client answers it), pong, unsubscription-ack, and whatever later versions add
    }
  }

  function acknowledged(client, data) {
    const resume = data.resume && typeof data.resume === 'object' ? data.resume : {};
    for (const [category, result] of Object.entries(resume)) {
      if (result && result.resumed) {
        push(systemEntry('resumed', 'Resumed ' + category + ': ' + plural(Number(result.replayed || 0), 'missed event')
          + ' replayed'));
      }
    }
    const categories = Array.isArray(data.categories) ? data.categories.map(String) : client.categories;
    push(systemEntry('subscribed', 'Connected as ' + state.clientId + ', subscribed to ' + categories.join(', ')));
  }

  /** An error from the server: what it means for the categories, the token and the banner. */
  function refused(client, data) {
    if (data.code === 'forbidden-category') {
      // The client gave these up and subscribed to the others.
      const categories = Array.isArray(data.categories) ? data.categories.map(String) : [];
      categories.forEach((category) => state.forbidden.add(category));
      renderCategoryAccess();
      if (client.categories.length === 0) {
        setConnection('down', 'Connected · no category allowed', 'The access token allows none of the running categories');
      }
    } else if (data.code === 'capacity-exceeded') {
      stream.closeNote = 'server full'; // the server closes the connection (1013) next
    } else if (data.code === 'unknown-category') {
      // The server no longer has a category (restarted without its plugin): start over with its sources.
      push(systemEntry('sources changed', 'The server does not know every category any more; reloading its sources'));
      connect();
    } else if (AUTH_CODES.includes(data.code)) {
      stream.closeNote = 'subscription refused: ' + String(data.error === undefined ? data.code : data.error);
      showBanner('token', 'The server needs a valid access token (' + data.code + '): enter it above and apply it');
    }
  }

  function stateChanged(client, clientState, detail) {
    if (clientState === 'open') {
      stream.retryAt = 0;
      stream.closeNote = '';
      clearBanner('token');
      renderCategoryAccess();
      if (client.categories.length > 0 || state.forbidden.size === 0) {
        setConnection('live', 'Live', 'Connected as ' + state.clientId);
      }
      if (stream.everOpen) {
        addNewCategories(client); // a restarted server may have new sources
      }
      stream.everOpen = true;
    } else if (clientState === 'closed') {
      setConnection('down', 'Disconnected');
    } else if (detail) {
      const reason = 'code ' + detail.code + (detail.reason ? ', ' + detail.reason : '');
      if (detail.code === 1013) {
        stream.closeNote = 'server full';
      } else if (detail.code === 1001) {
        stream.closeNote = 'server restarting';
      }
      if (stream.everOpen) {
        push(systemEntry('disconnected', 'The connection closed (' + reason + ')'));
        stream.everOpen = false;
      } else if (!stream.closeNote) {
        // A refused upgrade (a bad token, a disallowed origin, a server shutting down) looks like this.
        stream.closeNote = 'the server refused the WebSocket connection' + (state.token ? '; check the access token' : '');
        push(systemEntry('refused', 'Could not connect: ' + stream.closeNote));
      }
      stream.retryAt = Date.now() + detail.delay;
      renderRetry();
    } else {
      setConnection('connecting', 'Connecting…');
    }
  }

  async function addNewCategories(client) {
    try {
      await loadSources();
    } catch (e) {
      showBanner('sources', e.message);
      return;
    }
    const added = state.running.filter((c) => !state.forbidden.has(c) && !client.categories.includes(c));
    if (stream.client === client && added.length > 0) {
      client.subscribe(added);
    }
  }

  function renderRetry() {
    if (!stream.retryAt) {
      return;
    }
    const seconds = Math.max(0, Math.ceil((stream.retryAt - Date.now()) / 1000));
    const note = stream.closeNote === 'server full' ? 'Server full' : 'Disconnected';
    setConnection('down', note + ' — reconnecting in ' + seconds + 's', stream.closeNote);
  }

  /** Closes the connection on purpose; it stays closed until connect(). */
  function disconnect() {
    stream.manual = true;
    stream.generation++;
    stream.retryAt = 0;
    const connected = stream.client !== null;
    stopClient();
    if (connected) {
      push(systemEntry('disconnected', 'Disconnected on request'));
    }
    setConnection('down', 'Disconnected');
  }

  function renderCategoryAccess() {
    for (const item of document.querySelectorAll('#categories .category')) {
      const category = item.getAttribute('data-category');
      const denied = state.forbidden.has(category);
      item.classList.toggle('forbidden', denied);
      item.title = denied ? 'The access token does not allow this category' : '';
    }
  }

  function setConnection(kind, text, title) {
    const pill = $('conn-state');
    pill.className = 'pill ' + kind;
    setText(pill, text);
    pill.title = title || '';
    const action = $('conn-action');
    if (stream.manual) {
      setText(action, 'Connect');
    } else if (kind === 'down') {
      setText(action, 'Retry now');
    } else {
      setText(action, 'Disconnect');
    }
  }

  // --- Feed entries -------------------------------------------------------------------------

  /** Keys and values of a message, lower-cased, for the text search. */
  function searchText(value, parts) {
    if (value === null || value === undefined) {
      parts.push('null');
    } else if (Array.isArray(value)) {
      value.forEach((v) => searchText(v, parts));
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        parts.push(k);
        searchText(v, parts);
      }
    } else {
      parts.push(String(value));
    }
    return parts;
  }

  function summarize(data) {
    if (!data || typeof data !== 'object') {
      return '';
    }
    const parts = [];
    let length = 0;
    for (const [key, value] of Object.entries(data)) {
      const text = key + '=' + (typeof value === 'string' ? value : JSON.stringify(value));
      parts.push(text);
      length += text.length;
      if (length > 300) {
        break;
      }
    }
    return parts.join('  ');
  }

  function eventEntry(message) {
    return {
      kind: 'event',
      category: String(message.category),
      type: String(message.event),
      id: message.id === undefined ? '' : String(message.id),
      timestamp: message.timestamp,
      summary: summarize(message.data),
      message: message,
      text: searchText(message, []).join('\n').toLowerCase(),
    };
  }

  function gapEntry(message, data) {
    const missed = data.missed === undefined || data.missed === null ? 'an unknown number of' : data.missed;
    const from = data.resumeFrom !== undefined ? 'resume from ' + data.resumeFrom
      : data.continuesFrom !== undefined ? 'continues from ' + data.continuesFrom : '';
    return {
      kind: 'gap',
      category: typeof data.category === 'string' ? data.category : null,
      type: 'gap · ' + String(data.reason),
      id: '',
      timestamp: message.timestamp,
      summary: 'missed ' + missed + ' event(s)' + (from ? '; ' + from : ''),
      message: message,
      text: searchText(message, ['gap']).join('\n').toLowerCase(),
    };
  }

  function errorEntry(message, data) {
    return {
      kind: 'error',
      category: null,
      type: 'error · ' + String(data.code),
      id: '',
      timestamp: message.timestamp,
      summary: String(data.error === undefined ? '' : data.error),
      message: message,
      text: searchText(message, ['error']).join('\n').toLowerCase(),
    };
  }

  function systemEntry(what, text) {
    return {
      kind: 'system',
      category: null,
      type: what,
      id: '',
      timestamp: new Date().toISOString(),
      summary: text,
      message: null,
      text: (what + '\n' + text).toLowerCase(),
    };
  }

  function push(entry) {
    if (state.paused) {
      state.pending.push(entry);
      if (state.pending.length > MAX_BUFFER) {
        state.pending.shift();
        state.discarded++;
      }
      scheduleInfo();
      return;
    }
    state.incoming.push(entry);
    if (state.incoming.length > MAX_FEED) {
      state.incoming.splice(0, state.incoming.length - MAX_FEED);
    }
    if (!state.flushScheduled) {
      state.flushScheduled = true;
      setTimeout(flush, 50); // batches bursts into one DOM update
    }
  }

  let infoScheduled = false;

  function scheduleInfo() {
    if (!infoScheduled) {
      infoScheduled = true;
      setTimeout(() => {
        infoScheduled = false;
        updateFeedInfo();
      }, 200);
    }
  }

  function flush() {
    state.flushScheduled = false;
    const batch = state.incoming;
    state.incoming = [];
    const feed = $('feed');
    const fragment = document.createDocumentFragment();
    for (let i = batch.length - 1; i >= 0; i--) {
      fragment.append(renderRow(batch[i], batch.length < 20));
    }
    feed.prepend(fragment);
    while (feed.childElementCount > MAX_FEED) {
      feed.lastElementChild.remove();
    }
    updateFeedInfo();
  }

  function renderRow(entry, highlight) {
    const category = entry.category === null ? '' : entry.category;
    const row = el('div', {
      class: 'row ' + entry.kind + (highlight ? ' new' : '') + (entry === state.selected ? ' selected' : ''),
      'data-kind': entry.kind,
      'data-category': category || null,
      'data-id': entry.id || null,
    },
      el('span', { class: 'time', text: timeOf(entry.timestamp) }),
      el('span', { class: 'cat' }, category ? swatch(category) : null, category),
      el('span', { class: 'type', title: entry.type, text: entry.type }),
      el('span', { class: 'id', title: entry.id, text: entry.id }),
      el('span', { class: 'summary', title: entry.summary.slice(0, 1000), text: entry.summary }));
    row.hidden = !visible(entry);
    rowEntries.set(row, entry);
    if (entry === state.selected) {
      state.selectedRow = row;
    }
    return row;
  }

  function visible(entry) {
    if (entry.category && state.hidden.has(entry.category)) {
      return false;
    }
    return !state.search || entry.text.includes(state.search);
  }

  function applyFilter() {
    for (const row of $('feed').children) {
      row.hidden = !visible(rowEntries.get(row));
    }
    updateFeedInfo();
    drawChart();
  }

  function updateFeedInfo() {
    const rows = $('feed').children;
    let shown = 0;
    for (const row of rows) {
      if (!row.hidden) {
        shown++;
      }
    }
    let info = shown === rows.length ? plural(rows.length, 'row') : shown + ' of ' + plural(rows.length, 'row') + ' shown';
    info += ' · ' + plural(state.received, 'event') + ' received';
    if (state.paused) {
      info += ' · paused, ' + state.pending.length + ' waiting';
      if (state.discarded > 0) {
        info += ' (' + state.discarded + ' older not kept)';
      }
    }
    setText($('feed-info'), info);
    const empty = $('feed-empty');
    empty.hidden = shown > 0;
    setText(empty, rows.length === 0 ? 'Waiting for events…' : 'No events match the filter or the search.');
    setText($('pause'), state.paused ? 'Resume (' + state.pending.length + ')' : 'Pause');
    $('pause').classList.toggle('active', state.paused);
  }

  function setPaused(paused) {
    state.paused = paused;
    if (!paused) {
      const pending = state.pending;
      state.pending = [];
      state.discarded = 0;
      pending.forEach(push);
    }
    updateFeedInfo();
  }

  function clearFeed() {
    $('feed').replaceChildren();
    state.incoming = [];
    state.pending = [];
    state.discarded = 0;
    select(null);
    updateFeedInfo();
  }

  // --- Detail -------------------------------------------------------------------------------

  function select(entry) {
    if (state.selectedRow) {
      state.selectedRow.classList.remove('selected');
    }
    state.selected = entry;
    state.selectedRow = null;
    if (entry) {
      for (const row of $('feed').children) {
        if (rowEntries.get(row) === entry) {
          row.classList.add('selected');
          state.selectedRow = row;
        }
      }
    }
    renderDetail();
  }

  function renderDetail() {
    const entry = state.selected;
    const meta = $('detail-meta');
    const json = $('detail-json');
    $('detail-copy').disabled = !entry;
    $('detail-close').disabled = !entry;
    $('detail-empty').hidden = Boolean(entry);
    json.hidden = !entry;
    if (!entry) {
      setText($('detail-title'), 'Event detail');
      meta.replaceChildren();
      json.replaceChildren();
      return;
    }
    setText($('detail-title'), entry.type);
    const message = entry.message || {};
    const rows = [['Category', entry.category], ['Event', entry.kind === 'event' ? entry.type : null],
      ['Id', entry.id], ['Timestamp', message.timestamp], ['Client id', message.clientId]];
    meta.replaceChildren();
    for (const [label, value] of rows) {
      if (value !== null && value !== undefined && value !== '') {
        meta.append(el('dt', { text: label }), el('dd', { text: value }));
      }
    }
    json.replaceChildren(highlightJson(JSON.stringify(message, null, 2)));
  }

  /** The pretty-printed JSON as Text nodes in coloured spans. */
  function highlightJson(text) {
    const fragment = document.createDocumentFragment();
    const token = /("(?:\\u[a-fA-F0-9]{4}|\\[^u]|[^\\"])*")(\s*:)?|\b(true|false)\b|\bnull\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
    let last = 0;
    let match;
    while ((match = token.exec(text)) !== null) {
      if (match.index > last) {
        fragment.append(text.slice(last, match.index));
      }
      let cls = 'n';
      if (match[1] !== undefined) {
        cls = match[2] ? 'k' : 's';
      } else if (match[3] !== undefined) {
        cls = 'b';
      } else if (match[0] === 'null') {
        cls = 'z';
      }
      if (cls === 'k') {
        fragment.append(el('span', { class: 'k', text: match[1] }), match[2]);
      } else {
        fragment.append(el('span', { class: cls, text: match[0] }));
      }
      last = token.lastIndex;
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  function copyDetail() {
    const entry = state.selected;
    if (!entry) {
      return;
    }
    const text = JSON.stringify(entry.message, null, 2);
    const button = $('detail-copy');
    const done = () => {
      setText(button, 'copied');
      setTimeout(() => setText(button, 'copy'), 1200);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => selectJson());
    } else {
      selectJson();
    }
  }

  function selectJson() {
    const range = document.createRange();
    range.selectNodeContents($('detail-json'));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // --- Connections --------------------------------------------------------------------------

  async function loadConnections() {
    try {
      const body = await api('/api/admin/connections');
      clearBanner('connections');
      renderConnections(Array.isArray(body.connections) ? body.connections : []);
    } catch (e) {
      showBanner('connections', e.message);
    }
  }

  function renderConnections(connections) {
    const now = Date.now();
    const body = $('connections').tBodies[0];
    body.replaceChildren(...connections.map((c) => {
      const since = new Date(c.connectedSince);
      const sinceCell = el('td', { class: 'since', title: String(c.connectedSince) });
      if (Number.isNaN(since.getTime())) {
        sinceCell.append(String(c.connectedSince));
      } else {
        sinceCell.append(since.toLocaleString('en-GB'), el('small', { text: 'for ' + duration(now - since.getTime()) }));
      }
      const categories = el('td', { class: 'categories-cell' });
      for (const category of Array.isArray(c.categories) ? c.categories : []) {
        categories.append(el('span', { class: 'chip' }, swatch(String(category)), String(category)));
      }
      if (categories.childElementCount === 0) {
        categories.append(el('span', { class: 'muted', text: 'none' }));
      }
      const pong = Number(c.lastPongRoundTripMillis);
      const hasId = typeof c.clientId === 'string';
      const classes = [];
      if (hasId && c.clientId === state.clientId) {
        classes.push('self');
      }
      if (Number(c.dropped) > 0) {
        classes.push('warn');
      }
      return el('tr', { class: classes.join(' ') || null, 'data-client-id': hasId ? c.clientId : null },
        el('td', { class: 'client', text: hasId ? c.clientId : '(not tracked)' }),
        el('td', { class: 'transport', text: typeof c.transport === 'string' ? c.transport : '—' }),
        el('td', { class: 'address', text: c.remoteAddress === undefined ? '—' : c.remoteAddress }),
        categories,
        sinceCell,
        el('td', { class: 'num queued' + (Number(c.queued) >= 10 ? ' high' : ''), text: formatCount(c.queued) }),
        el('td', { class: 'num dropped', text: formatCount(c.dropped) }),
        el('td', {
          class: 'num pong',
          title: pong < 0 ? (c.transport === 'sse' ? 'SSE clients do not answer pings' : 'No ping answered yet')
            : 'Round trip of the last ping the client answered',
          text: pong < 0 ? '—' : pong + ' ms',
        }));
    }));
    $('connections-empty').hidden = connections.length > 0;
    setText($('connections-info'), plural(connections.length, 'connection') + ' · updated ' + clockTime(new Date()));
  }

  function showTab(tab) {
    state.tab = tab;
    const feed = tab === 'feed';
    $('view-feed').hidden = !feed;
    $('view-connections').hidden = feed;
    $('tab-feed').classList.toggle('active', feed);
    $('tab-connections').classList.toggle('active', !feed);
    $('tab-feed').setAttribute('aria-selected', String(feed));
    $('tab-connections').setAttribute('aria-selected', String(!feed));
    clearInterval(state.connectionsTimer);
    state.connectionsTimer = null;
    if (feed) {
      clearBanner('connections');
      drawChart();
    } else {
      // Asked for only while someone looks at it.
      loadConnections();
      state.connectionsTimer = setInterval(() => {
        if (document.visibilityState !== 'hidden') {
          loadConnections();
        }
      }, POLL_MS);
    }
  }

  // --- Wiring -------------------------------------------------------------------------------

  function start() {
    $('token').value = state.token;
    $('admin-token').value = state.adminToken;
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      state.token = $('token').value.trim();
      state.adminToken = $('admin-token').value.trim();
      if (state.adminToken) {
        sessionStorage.setItem(ADMIN_TOKEN_KEY, state.adminToken);
      } else {
        sessionStorage.removeItem(ADMIN_TOKEN_KEY);
      }
      if (state.token) {
        sessionStorage.setItem(TOKEN_KEY, state.token);
      } else {
        sessionStorage.removeItem(TOKEN_KEY);
      }
      state.banners.clear();
      renderBanner();
      state.forbidden.clear();
      renderCategoryAccess();
      connect(); // a new client with the new token, resuming where the last one was
      if (state.tab === 'connections') {
        loadConnections();
      }
    });
    $('conn-action').addEventListener('click', () => {
      if (stream.manual || !stream.client || stream.retryAt > 0) {
        connect(); // Connect, or Retry now
      } else {
        disconnect();
      }
    });
    $('filter-all').addEventListener('click', () => setAllFilters(true));
    $('filter-none').addEventListener('click', () => setAllFilters(false));
    let searchTimer = null;
    $('search').addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        state.search = $('search').value.trim().toLowerCase();
        applyFilter();
      }, 120);
    });
    $('pause').addEventListener('click', () => setPaused(!state.paused));
    $('clear').addEventListener('click', clearFeed);
    $('feed').addEventListener('click', (e) => {
      const row = e.target.closest('.row');
      const entry = row ? rowEntries.get(row) : null;
      if (entry && entry.kind !== 'system') {
        select(entry === state.selected ? null : entry);
      }
    });
    $('detail-close').addEventListener('click', () => select(null));
    $('detail-copy').addEventListener('click', copyDetail);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && state.selected) {
        select(null);
      }
    });
    $('tab-feed').addEventListener('click', () => showTab('feed'));
    $('tab-connections').addEventListener('click', () => showTab('connections'));
    if (window.ResizeObserver) {
      new ResizeObserver(drawChart).observe($('chart'));
    }
    setInterval(renderRetry, 1000); // the countdown to the next attempt
    setInterval(drawChart, POLL_MS); // keeps the time axis moving between samples
    updateFeedInfo();
    renderDetail();
    drawChart();
    poll();
    connect();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
