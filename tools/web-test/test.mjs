// Drives the example front-end (examples/web) in Debian's headless Chromium: the page is served
// on its own origin and calls the API on another, through CORS. Every request to any other host
// is blocked. It pages through the cities, searches, opens a city and a partnership, asks for a
// mayor on a malformed day and for an unknown organisation, and checks the values the seed
// dataset holds — and that a page from an origin the API does not allow gets no answer.
// Saves a screenshot. Exits 1 on any failure.
//
// usage: node test.mjs APP_URL API_URL SCREENSHOT.png
//   APP_URL  the served example, e.g. http://127.0.0.1:5173 (its origin is in CORS_ALLOWED_ORIGINS)
//   API_URL  the directory, e.g. http://127.0.0.1:8080
import { chromium } from 'playwright-core';

const [app, api, screenshot] = process.argv.slice(2);
if (!app || !api || !screenshot) {
  console.error('usage: node test.mjs APP_URL API_URL SCREENSHOT');
  process.exit(2);
}
const endpoint = `${api}/graphql`;
// The same server under a name the API does not allow: another origin for the browser.
const otherOrigin = app.replace('127.0.0.1', 'localhost');
const allowedHosts = new Set([new URL(app).host, new URL(api).host, new URL(otherOrigin).host]);

function expectEqual(what, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
  console.log(`ok ${what}: ${a}`);
}
function expectMatch(what, actual, pattern) {
  if (!pattern.test(actual)) throw new Error(`${what}: expected ${pattern}, got ${JSON.stringify(actual)}`);
  console.log(`ok ${what}: ${JSON.stringify(actual)}`);
}

/** What the API itself answers, to compare the page with when the seed may change. */
async function ask(query, variables = {}) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`the API refused the test's own query: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic',
  ],
});
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (allowedHosts.has(url.host)) return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  // The request ids the API sent in its x-request-id header, readable across origins.
  const requestIds = [];
  const crossOrigin = [];
  page.on('response', (response) => {
    if (response.url() === endpoint && response.request().method() === 'POST') {
      requestIds.push(response.headers()['x-request-id']);
      crossOrigin.push(response.headers()['access-control-allow-origin']);
    }
  });
  const text = async (selector) => (await page.locator(selector).innerText()).trim();
  const texts = async (selector) => (await page.locator(selector).allInnerTexts()).map((t) => t.trim());
  const search = async (term, memberOf = '') => {
    await page.fill('#search', term);
    await page.fill('#member-of', memberOf);
    await page.click('#search-form button[type=submit]');
  };

  await page.goto(`${app}/?api=${encodeURIComponent(endpoint)}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 20000 });
  expectEqual('endpoint shown', await text('#endpoint'), endpoint);

  // Relay pagination: all the cities, four at a time, by name; `More` follows endCursor.
  await search('');
  await page.locator('#results-count').getByText('4 of 11 cities').waitFor({ timeout: 10000 });
  expectEqual('first page', await texts('#result-list .city-link'), [
    'Argenteuil', 'Athis-Mons', 'Aubervilliers', 'Drummondville',
  ]);
  await page.click('#more');
  await page.locator('#results-count').getByText('8 of 11 cities').waitFor({ timeout: 10000 });
  await page.click('#more');
  await page.locator('#results-count').getByText('11 of 11 cities').waitFor({ timeout: 10000 });
  const all = await texts('#result-list .city-link');
  expectEqual('three pages, no city twice', new Set(all).size, 11);
  expectEqual('last page', all.slice(8), ['Shawinigan', 'Sucy-en-Brie', 'Terrebonne']);
  expectEqual('no page after the last', await page.locator('#more').isHidden(), true);
  expectEqual('CORS: every answer allowed the app origin', [...new Set(crossOrigin)], [new URL(app).origin]);

  // Ranked search ignores case and accents.
  await search('MONTREAL');
  await page.locator('#results-count').getByText('1 of 1 city').waitFor({ timeout: 10000 });
  expectEqual('search "MONTREAL"', await texts('#result-list .city-link'), ['Montréal']);

  // A city: its mayor (last attested on the protocol's signing), partnerships, peers and why.
  await search('terre');
  await page.locator('#result-list .city-link', { hasText: 'Terrebonne' }).click();
  await page.locator('#city-name').getByText('Terrebonne').waitFor({ timeout: 10000 });
  expectEqual('mayor', await text('#mayor-name'), 'Mathieu Traversy');
  expectMatch('mayor line', await text('#mayor'), /^Mathieu Traversy — Maire de Terrebonne \(last attested 2023-11-28\)$/);
  expectEqual('city facts', await text('#city-facts'), 'CA · CA-QC');
  expectEqual('partnerships', await texts('#partnerships .partnership-link'), ['Protocole de coopération 2024-2026']);
  const peers = await texts('#peers .peer-link');
  expectEqual('best peer', peers[0], 'Namur');
  expectEqual('peers shown', peers.length, 3);
  const namurReasons = await texts('#peers > li:first-child .reasons li');
  if (!namurReasons.includes('Both work on University exchanges')) {
    throw new Error(`Namur's reasons lack the shared theme: ${JSON.stringify(namurReasons)}`);
  }
  expectMatch('best peer score', await text('#peers > li:first-child'), /^Namur score 24\b/);
  // What it may join: whatever the API answers for today, item for item.
  const joinable = (await ask('{ city(slug: "terrebonne") { joinable { canJoin } } }')).city.joinable;
  const shown = await texts('#joinable li');
  if (joinable.length === 0) expectEqual('joinable (none open today)', shown, ['Nothing open to join on today.']);
  else expectEqual('joinable openings', shown.length, joinable.length);

  // Follow the partnership to its parties and its source.
  await page.locator('#partnerships .partnership-link').click();
  await page.locator('#partnership-title').getByText('Protocole de coopération 2024-2026').waitFor({ timeout: 10000 });
  expectEqual('partnership facts', await text('#partnership-facts'),
    'cooperation protocol · active · 2024 – 2026 · signed 2023-11-28');
  expectEqual('parties', await texts('#parties li'), [
    'Terrebonne — party', 'Namur — party',
    "UNamur — partner on Namur's side", "BEP — partner on Namur's side",
    "UQTR — partner on Terrebonne's side", "CCIM — partner on Terrebonne's side",
  ]);
  expectEqual('sources', await texts('#sources li'), [
    'Protocole de coopération 2024-2026 entre la Ville de Terrebonne et la Ville de Namur (2023-11-28)',
  ]);
  // A party that is a city opens that city.
  await page.locator('#parties .party-city-link', { hasText: 'Namur' }).click();
  await page.locator('#city-name').getByText('Namur').waitFor({ timeout: 10000 });
  expectEqual("Namur's mayor", await text('#mayor-name'), 'Maxime Prévot');
  await page.locator('#peers .peer-link', { hasText: 'Terrebonne' }).first().click();
  await page.locator('#city-name').getByText('Terrebonne').waitFor({ timeout: 10000 });

  // A malformed day: the API's error is shown with its code and request id.
  await page.fill('#mayor-on', '2023-13-45');
  await page.click('#city-dates button[type=submit]');
  await page.locator('#errors').waitFor({ state: 'visible', timeout: 10000 });
  expectEqual('error code (bad day)', await texts('#errors .error-code'), ['BAD_USER_INPUT']);
  expectMatch('error message (bad day)', await text('#errors .error-message'), /"2023-13-45" is not a date written YYYY-MM-DD/);
  const shownId = await text('#errors .error-request-id');
  expectMatch('request id shown', shownId, /^[0-9a-f]+-[0-9]+$/);
  expectEqual('request id is the x-request-id header of that answer', shownId, requestIds.at(-1));
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);

  // The same city on a good day clears the error.
  await page.fill('#mayor-on', '2023-11-28');
  await page.click('#city-dates button[type=submit]');
  await page.locator('#errors').waitFor({ state: 'hidden', timeout: 10000 });
  expectEqual('mayor on 2023-11-28', await text('#mayor-name'), 'Mathieu Traversy');

  // A filter naming an organisation nothing has: BAD_USER_INPUT naming the argument.
  await search('', 'no-such-organisation');
  await page.locator('#errors').waitFor({ state: 'visible', timeout: 10000 });
  expectEqual('error code (unknown organisation)', await texts('#errors .error-code'), ['BAD_USER_INPUT']);
  expectEqual('error argument', await text('#errors .error-argument'), '(argument filter.memberOf)');
  // And an existing one filters: the Métropole du Grand Paris's member cities in the seed.
  await search('', 'metropole-du-grand-paris');
  await page.locator('#errors').waitFor({ state: 'hidden', timeout: 10000 });
  await page.locator('#results-count').getByText('4 of 6 cities').waitFor({ timeout: 10000 });
  expectEqual('members of the Métropole du Grand Paris, first page', await texts('#result-list .city-link'), [
    'Argenteuil', 'Athis-Mons', 'Aubervilliers', 'Fontenay-sous-Bois',
  ]);

  // CORS is what lets the page in: from an origin the API does not list, no answer reaches it.
  const stranger = await context.newPage();
  const strangerErrors = [];
  stranger.on('console', (message) => {
    if (message.type() === 'error') strangerErrors.push(message.text());
  });
  await stranger.goto(`${otherOrigin}/?api=${encodeURIComponent(endpoint)}`);
  await stranger.waitForSelector('body[data-ready=true]', { timeout: 20000 });
  await stranger.click('#search-form button[type=submit]');
  await stranger.locator('#errors').waitFor({ state: 'visible', timeout: 10000 });
  expectEqual('other origin: error code', await stranger.locator('#errors .error-code').innerText(), 'NETWORK');
  expectMatch('other origin: message', await stranger.locator('#errors .error-message').innerText(),
    new RegExp(`CORS_ALLOWED_ORIGINS include ${new URL(otherOrigin).origin.replace(/[.]/g, '\\.')}\\?`));
  if (!strangerErrors.some((e) => e.includes('CORS policy'))) {
    throw new Error(`the browser did not report a CORS refusal: ${strangerErrors.join(' | ')}`);
  }
  console.log('ok other origin: the browser refused the answer (CORS)');

  if (blocked.length) console.log(`blocked (other hosts, not needed): ${blocked.join(', ')}`);
  // The API's own error answers are 200s; the browser logs nothing for them.
  if (pageErrors.length) throw new Error(`errors on the page: ${pageErrors.join(' | ')}`);
  console.log('PASS the example front-end works across origins on its typed client');
} catch (error) {
  failed = true;
  console.error(`FAIL ${error.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
