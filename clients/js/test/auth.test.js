// Token refresh against a server with JWT authentication: getToken() is asked for a fresh token
// whenever the server warns that the current one expires, and the connection outlives them all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStreamClient } from '../src/index.js';
import { event, Host } from './support/host.js';
import { signJwt } from './support/jwt.js';
import { record } from './support/record.js';
import { waitFor } from './support/wait.js';

const SECRET = 'a test secret of at least thirty-two bytes';
const LIFETIME_SECONDS = 4;

let host;

before(async () => {
  // The warning comes 2 s before expiry; no clock skew, so a token is over at its exp. The server
  // checks expiries every min(heartbeat-interval, connection-timeout / 4): 250 ms here.
  host = await Host.start(`heartbeat-interval = 500ms
  auth {
    enabled = true
    expiry-warning = 2s
    jwt { hmac-secret = "${SECRET}", clock-skew = 0s }
  }`);
});

after(async () => {
  await host?.close();
});

function token(expiresAt) {
  return signJwt({ sub: 'dashboard', categories: ['scheduler'], exp: expiresAt }, SECRET);
}

test('getToken() refreshes the token before each expiry: one connection outlives several tokens', async (t) => {
  const expiries = [];
  const getToken = async () => {
    const exp = Math.floor(Date.now() / 1000) + LIFETIME_SECONDS;
    expiries.push(exp);
    return token(exp);
  };
  const client = new EventStreamClient(host.url, { categories: ['scheduler'], heartbeatInterval: 500, getToken, backoff: { min: 50, max: 500 } });
  t.after(() => client.close());
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  await waitFor(() => expiries.length >= 4 && Date.now() > (expiries[1] + 1) * 1000, 30000,
    () => `tokens asked for: ${expiries.length}`);

  await host.publish(event('scheduler', 0));
  await waitFor(() => r.events.length === 1, 10000, 'no event on the refreshed connection');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.states, ['connecting', 'open'], 'the connection was never lost');
  assert.deepEqual(r.details, []);
});

test('without getToken the server closes the connection when its token expires (1008)', async (t) => {
  const exp = Math.floor(Date.now() / 1000) + 3;
  const client = new EventStreamClient(host.url, { categories: ['scheduler'], heartbeatInterval: 500, token: token(exp), backoff: { min: 200, max: 2000 } });
  t.after(() => client.close());
  const r = record(client);
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  await waitFor(() => r.details.length > 0, 10000, 'the connection outlived its token');
  assert.equal(r.details[0].code, 1008);
  assert.ok(r.errors.some((e) => e.code === 'token-expired'), JSON.stringify(r.errors));
});

test('a token the server refuses: the error reaches the listeners and the client retries later', async (t) => {
  let asked = 0;
  const getToken = () => {
    asked++;
    return signJwt({ sub: 'dashboard', categories: ['scheduler'], exp: Math.floor(Date.now() / 1000) + 60 }, 'another secret of thirty-two bytes or more');
  };
  const client = new EventStreamClient(host.url, { categories: ['scheduler'], heartbeatInterval: 500, getToken, backoff: { min: 50, max: 200 } });
  t.after(() => client.close());
  const r = record(client);
  await waitFor(() => r.errors.length >= 2, 10000, 'no retry after the refusal');
  assert.equal(r.errors[0].code, 'invalid-signature');
  assert.ok(asked >= 2, 'a new token is asked for each attempt');
  assert.equal(client.state, 'connecting');
});

test('a token that allows only some categories: the client gives up the others and stays on one connection', async (t) => {
  const exp = Math.floor(Date.now() / 1000) + 60;
  const client = new EventStreamClient(host.url, { categories: ['scheduler', 'dlq'], heartbeatInterval: 500, token: token(exp), backoff: { min: 50, max: 500 } });
  t.after(() => client.close());
  const r = record(client);
  const messages = [];
  client.on('message', (message) => messages.push(message.type));
  await waitFor(() => client.state === 'open', 10000, 'the client did not open');
  assert.deepEqual(r.errors.map((e) => [e.code, e.categories]), [['forbidden-category', ['dlq']]]);
  assert.deepEqual(client.categories, ['scheduler']);

  await host.publish(event('scheduler', 0));
  await waitFor(() => r.events.length === 1, 10000, 'no event of the allowed category');
  assert.deepEqual(r.states, ['connecting', 'open'], 'the connection was never dropped');
  assert.deepEqual(messages.slice(0, 3), ['error', 'subscription-ack', 'event'], 'the message listener sees every message');
});
