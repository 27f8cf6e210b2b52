// The change feed's subscription driven by the reference client of the GraphQL over SSE
// protocol, graphql-sse, in distinct connections mode (`singleConnection: false`): subscribe,
// receive a write made through /graphql, disconnect, and resume with `Last-Event-ID`.
//
// Run by scripts/test-sse (`make test-sse`), which serves the directory and passes its address
// and an editor token: SSE_API=http://127.0.0.1:PORT SSE_TOKEN=… node --test test.mjs

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from 'graphql-sse';

const API = process.env.SSE_API;
const TOKEN = process.env.SSE_TOKEN;
assert.ok(API && TOKEN, 'SSE_API and SSE_TOKEN name the served directory and an editor token');

const FOLLOW = `subscription($filter: ChangeFilter) {
  changes(filter: $filter) { cursor node { kind recordId action actionName changedFields } }
}`;

/// A client of /graphql/stream that reports failures at once (no retries) and sends
/// `headers` with each connection.
function client(headers = {}) {
  return createClient({
    url: `${API}/graphql/stream`,
    singleConnection: false,
    retryAttempts: 0,
    headers,
  });
}

/// Subscribes; resolves once connected. `results` fills as events come; `waitFor(n)` resolves
/// once n results are in; `ended` resolves (with the error, if any) when the stream ends.
function follow(sseClient, variables) {
  const results = [];
  const waiters = [];
  let end;
  const ended = new Promise((resolve) => (end = resolve));
  let connected;
  const ready = new Promise((resolve) => (connected = resolve));
  const unsubscribe = sseClient.subscribe(
    { query: FOLLOW, variables },
    {
      next: (result) => {
        results.push(result);
        for (const waiter of [...waiters]) waiter();
      },
      error: (error) => end(error ?? new Error('stream failed')),
      complete: () => end(null),
    },
    { connected: () => connected() },
  );
  const waitFor = (count) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`waited for ${count} results, got ${JSON.stringify(results)}`)),
        15000,
      );
      const check = () => {
        if (results.length >= count) {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve(results.slice(0, count));
        }
      };
      waiters.push(check);
      check();
    });
  return { results, waitFor, ended, unsubscribe, ready: Promise.race([ready, ended]) };
}

/// Sets a city's population through /graphql with the editor token; returns the city's id.
async function setPopulation(slug, population) {
  const read = await graphql(`query($slug: String!) { city(slug: $slug) { id version } }`, { slug });
  const city = read.data.city;
  const written = await graphql(
    `mutation($input: UpdateCityInput!) { updateCity(input: $input) { city { id } userErrors { code message } } }`,
    { input: { id: city.id, version: city.version, population } },
  );
  assert.deepEqual(written.data.updateCity.userErrors, [], JSON.stringify(written));
  return city.id;
}

async function graphql(query, variables) {
  const response = await fetch(`${API}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  assert.equal(response.status, 200);
  return response.json();
}

const cities = { filter: { kinds: ['City'] } };

test('a write made through /graphql reaches the subscriber, and a reconnection with Last-Event-ID resumes right after it', async () => {
  // Subscribe, then write twice.
  const first = client();
  const live = follow(first, cities);
  await live.ready;
  const namur = await setPopulation('namur', 115000);
  const terrebonne = await setPopulation('terrebonne', 120000);
  const received = await live.waitFor(2);
  for (const result of received) assert.equal(result.errors, undefined, JSON.stringify(result));
  const changes = received.map((result) => result.data.changes);
  assert.deepEqual(changes[0].node, {
    kind: 'City',
    recordId: namur,
    action: 'UPDATED',
    actionName: 'update_city',
    changedFields: ['population'],
  });
  assert.equal(changes[1].node.recordId, terrebonne);

  // Disconnect; two more writes meanwhile.
  live.unsubscribe();
  first.dispose();
  const argenteuil = await setPopulation('argenteuil', 111000);
  await setPopulation('namur', 116000);

  // Resume after the first change: the second again, then the two made while away.
  const second = client({ 'Last-Event-ID': changes[0].cursor });
  const resumed = follow(second, cities);
  const again = (await resumed.waitFor(3)).map((result) => result.data.changes);
  assert.deepEqual(again[0], changes[1]);
  assert.equal(again[1].node.recordId, argenteuil);
  assert.equal(again[2].node.recordId, namur);
  const cursors = [changes[0], ...again].map((change) => change.cursor);
  assert.equal(new Set(cursors).size, cursors.length, 'no change twice');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(resumed.results.length, 3, 'nothing else');
  resumed.unsubscribe();
  second.dispose();
});

test('a subscription that cannot start reports its errors, then completes', async () => {
  const sseClient = client();
  const live = follow(sseClient, { filter: { themes: ['no-such-theme'] } });
  const [result] = await live.waitFor(1);
  assert.equal(result.errors[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(result.errors[0].extensions.argument, 'filter.themes');
  assert.equal(await live.ended, null, 'completed, not failed');
  sseClient.dispose();
});
