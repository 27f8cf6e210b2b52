// Runs every audit of the GraphQL-over-HTTP specification (graphql-http's serverAudits)
// against a running server and prints one line per audit: STATUS id name [reason].
// Exits 1 when a MUST fails, or when a SHOULD/MAY warns without being listed in
// accepted-warnings.txt (so a new warning shows up as a diff to review).
import { readFileSync } from 'node:fs';
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://127.0.0.1:PORT/graphql');
  process.exit(2);
}

const accepted = new Set(
  readFileSync(new URL('./accepted-warnings.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean),
);

let failed = 0;
let counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  counts[result.status] += 1;
  const line = `${result.status.toUpperCase().padEnd(6)} ${result.id} ${result.name}`;
  if (result.status === 'ok') {
    console.log(line);
    continue;
  }
  let body = '';
  try {
    body = await result.response.text();
  } catch {}
  const listed = accepted.has(result.id);
  console.log(`${line}\n       reason: ${result.reason}${listed ? ' (accepted, see accepted-warnings.txt)' : ''}`);
  if (body) console.log(`       body: ${body.slice(0, 300)}`);
  if (result.status === 'error' || (result.status === 'warn' && !listed)) failed += 1;
}
console.log(`\n${counts.ok} ok, ${counts.warn} warn, ${counts.notice} notice, ${counts.error} error`);
process.exit(failed === 0 ? 0 : 1);
