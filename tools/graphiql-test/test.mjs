// Opens /graphiql in Debian's headless Chromium with every request to another host blocked,
// pastes a bad token and then an API token (the field says why the first is refused and whose
// the second is), runs a query that needs it (a press officer's phone number), reads the
// result from the page, and saves a screenshot. Exits 1 on any failure.
//
// usage: node test.mjs http://127.0.0.1:PORT TOKEN SCREENSHOT.png
import { chromium } from 'playwright-core';

const [base, token, screenshot] = process.argv.slice(2);
if (!base || !token || !screenshot) {
  console.error('usage: node test.mjs BASE_URL TOKEN SCREENSHOT');
  process.exit(2);
}
const serverHost = new URL(base).host;
const QUERY = '{ organisation(slug: "umq") { name contactPoints { nodes { role phone } } } }';

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
  const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host === serverHost) return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });

  await page.goto(`${base}/graphiql`);
  await page.waitForSelector('.graphiql-container', { timeout: 20000 });
  console.log('GraphiQL loaded from the server alone');

  // The token field says who a token is, or why it is refused, through the `viewer` query.
  const tokenState = page.locator('#token-state');
  await page.fill('#token', 'garbage');
  await tokenState.getByText('refused').waitFor({ timeout: 20000 });
  console.log(`token field, garbage: ${await tokenState.innerText()}`);
  await page.fill('#token', token);
  await tokenState.getByText('graphiql browser test').waitFor({ timeout: 20000 });
  const said = await tokenState.innerText();
  console.log(`token field, the editor token: ${said}`);
  if (!said.startsWith('editor')) throw new Error(`the token's role is not shown: ${said}`);
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(QUERY);
  await page.keyboard.press('Shift+Control+P'); // prettify, for a readable screenshot
  await page.click('.graphiql-execute-button');

  const result = page.locator('.result-window');
  await result.getByText('438 827-4560').waitFor({ timeout: 20000 });
  const text = await result.innerText();
  console.log('result read from the page:\n' + text.trim().split('\n').slice(0, 12).join('\n'));
  if (!text.includes('Union des municipalités du Québec')) throw new Error('the organisation is missing');
  if (text.includes('UNAUTHENTICATED')) throw new Error('the token was not sent');

  await page.screenshot({ path: screenshot, fullPage: false });
  console.log(`screenshot: ${screenshot}`);
  if (blocked.length) console.log(`blocked (other hosts, not needed): ${blocked.join(', ')}`);
  // The browser logs the 401 that refused the garbage token: that one was asked for.
  const unexpected = pageErrors.filter(
    (e) => !e.includes('ERR_BLOCKED_BY_CLIENT') && !e.includes('status of 401 (Unauthorized)'),
  );
  if (unexpected.length) throw new Error(`errors on the page: ${unexpected.join(' | ')}`);
  console.log('PASS GraphiQL works offline with a pasted token');
} catch (error) {
  failed = true;
  console.error(`FAIL ${error.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
