// The example page: search cities (ranked, a page at a time), open one (its mayor on a day,
// memberships, partnerships, peers with their reasons, what it may join), follow a
// partnership to its parties and sources. Every call goes through `request` with a document
// generated from schema.graphql, so each result below is typed by the schema.
import { ApiError, request } from './client';
import {
  CityDocument,
  PartnershipDocument,
  SearchCitiesDocument,
  type CityQuery,
  type PartnershipQuery,
  type SearchCitiesQueryVariables,
} from './generated/graphql';

/** The API's GraphQL endpoint: `?api=…` on the page's address, else the one `make run` serves. */
const endpoint =
  new URLSearchParams(window.location.search).get('api') ?? 'http://127.0.0.1:8080/graphql';
const PAGE_SIZE = 4;

type City = NonNullable<CityQuery['city']>;
type Partnership = NonNullable<PartnershipQuery['partnership']>;

/** The search being paged through, and where its next page starts. */
let search: SearchCitiesQueryVariables | null = null;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from index.html`);
  return found as T;
}

/** Builds an element with text or child nodes: no HTML is ever parsed from the API's data. */
function h(
  tag: string,
  attributes: Record<string, string> = {},
  ...children: Array<Node | string | null>
): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== null) node.append(child);
  return node;
}

function link(text: string, onClick: () => void, attributes: Record<string, string> = {}): HTMLElement {
  const button = h('button', { type: 'button', class: 'link', ...attributes }, text);
  button.addEventListener('click', onClick);
  return button;
}

/** `2024 – 2026`, `? – 2026`; null when the sources give neither end. */
function period(value: { start: { edtf: string } | null; end: { edtf: string } | null }): string | null {
  if (!value.start && !value.end) return null;
  return `${value.start?.edtf ?? '?'} – ${value.end?.edtf ?? '?'}`;
}

/** Shows what went wrong, with the code and request id an operator asks for; clears on success. */
function showErrors(error: unknown): void {
  const panel = element('errors');
  panel.replaceChildren();
  if (error === null) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  panel.append(h('h2', {}, 'The API refused the request'));
  if (!(error instanceof ApiError)) {
    panel.append(h('p', {}, String(error)));
    return;
  }
  const list = h('ul');
  for (const detail of error.details) {
    list.append(
      h(
        'li',
        { class: 'error', 'data-code': detail.code ?? '' },
        h('code', { class: 'error-code' }, detail.code ?? `HTTP ${error.status}`),
        ' ',
        h('span', { class: 'error-message' }, detail.message),
        detail.argument ? h('span', { class: 'error-argument' }, ` (argument ${detail.argument})`) : null,
        h('br'),
        'request id: ',
        h('code', { class: 'error-request-id' }, detail.requestId ?? 'none'),
      ),
    );
  }
  panel.append(list);
}

async function call<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    const result = await work();
    showErrors(null);
    return result;
  } catch (error) {
    showErrors(error);
    return undefined;
  }
}

async function runSearch(append: boolean): Promise<void> {
  if (!search) return;
  const variables = search;
  const data = await call(() => request(endpoint, SearchCitiesDocument, variables));
  if (!data) return;
  const list = element('result-list');
  if (!append) list.replaceChildren();
  for (const city of data.cities.nodes) {
    list.append(
      h(
        'li',
        { 'data-slug': city.slug },
        link(city.name, () => void openCity(city.slug), { class: 'link city-link' }),
        ` ${city.country} · ${city.subdivisions.join(', ')}`,
      ),
    );
  }
  element('results-count').textContent =
    `${list.children.length} of ${data.cities.totalCount} ${data.cities.totalCount === 1 ? 'city' : 'cities'}`;
  const more = element<HTMLButtonElement>('more');
  more.hidden = !data.cities.pageInfo.hasNextPage;
  search = { ...variables, after: data.cities.pageInfo.endCursor };
}

async function openCity(slug: string): Promise<void> {
  const mayorOn = element<HTMLInputElement>('mayor-on').value.trim() || null;
  const joinableOn = element<HTMLInputElement>('joinable-on').value.trim() || null;
  const data = await call(() => request(endpoint, CityDocument, { slug, mayorOn, joinableOn }));
  if (!data) return;
  if (!data.city) {
    showErrors(new Error(`no city has the slug ${slug}`));
    return;
  }
  renderCity(data.city);
}

function renderCity(city: City): void {
  const panel = element('city');
  panel.hidden = false;
  panel.dataset.slug = city.slug;
  element('city-name').textContent = city.name;
  element('city-facts').textContent = [
    city.country,
    city.subdivisions.join(', '),
    city.population === null ? null : `population ${city.population.toLocaleString('en')}`,
  ]
    .filter((part) => part)
    .join(' · ');

  const mayor = city.mayor;
  element('mayor').replaceChildren(
    mayor
      ? h(
          'span',
          {},
          h('strong', { id: 'mayor-name' }, mayor.person?.fullName ?? 'unnamed'),
          ` — ${mayor.title}`,
          period(mayor.period) ? `, ${period(mayor.period)}` : '',
          mayor.lastAttestedOn ? ` (last attested ${mayor.lastAttestedOn})` : '',
        )
      : 'No mayor known on that day.',
  );

  element('memberships').replaceChildren(
    ...(city.memberships.nodes.length
      ? city.memberships.nodes.map((membership) =>
          h('li', {}, `${membership.organisation?.name ?? '?'} (${membership.kind.toLowerCase()})`),
        )
      : [h('li', { class: 'none' }, 'No memberships recorded.')]),
  );

  element('partnerships').replaceChildren(
    ...(city.partnerships.nodes.length
      ? city.partnerships.nodes.map((partnership) =>
          h(
            'li',
            {},
            link(partnership.title, () => void openPartnership(partnership.slug), {
              class: 'link partnership-link',
            }),
            ` ${partnership.status.toLowerCase()}`,
          ),
        )
      : [h('li', { class: 'none' }, 'No partnerships recorded.')]),
  );

  element('peers').replaceChildren(
    ...city.peers.map((peer) =>
      h(
        'li',
        { class: 'peer', 'data-slug': peer.city?.slug ?? '' },
        peerLink(peer.city),
        ` score ${peer.score}`,
        h('ul', { class: 'reasons' }, ...peer.reasons.map((reason) => h('li', {}, reason))),
      ),
    ),
  );

  const on = element<HTMLInputElement>('joinable-on').value.trim() || 'today';
  element('joinable').replaceChildren(
    ...(city.joinable.length
      ? city.joinable.map((opening) => {
          const what =
            opening.groupPurchase?.title ?? opening.programme?.name ?? opening.partnership?.title ?? '?';
          return h(
            'li',
            { class: opening.canJoin ? 'can-join' : 'cannot-join' },
            `${opening.kind.toLowerCase().replace(/_/g, ' ')}: ${what} — `,
            opening.canJoin
              ? h('strong', {}, 'may join')
              : h('span', {}, `may not join: ${opening.reason ?? ''} (${opening.reasonCode ?? '?'})`),
          );
        })
      : [h('li', { class: 'none' }, `Nothing open to join on ${on}.`)]),
  );
}

function peerLink(city: { slug: string; name: string } | null): HTMLElement | string {
  return city ? link(city.name, () => void openCity(city.slug), { class: 'link peer-link' }) : '?';
}

async function openPartnership(slug: string): Promise<void> {
  const data = await call(() => request(endpoint, PartnershipDocument, { slug }));
  if (!data) return;
  if (!data.partnership) {
    showErrors(new Error(`no partnership has the slug ${slug}`));
    return;
  }
  renderPartnership(data.partnership);
}

function renderPartnership(partnership: Partnership): void {
  const panel = element('partnership');
  panel.hidden = false;
  panel.dataset.slug = partnership.slug;
  element('partnership-title').textContent = partnership.title;
  element('partnership-facts').textContent = [
    partnership.kind.toLowerCase().replace(/_/g, ' '),
    partnership.status.toLowerCase(),
    period(partnership.period),
    partnership.signedOn ? `signed ${partnership.signedOn.edtf}` : null,
  ]
    .filter((part) => part)
    .join(' · ');
  element('partnership-summary').textContent = partnership.summary ?? '';
  element('parties').replaceChildren(
    ...partnership.parties.nodes.map((party) => {
      const actor = party.actor;
      const name = actor && 'name' in actor ? actor.name : '?';
      const side = party.sideOf?.actor && 'name' in party.sideOf.actor ? party.sideOf.actor.name : null;
      return h(
        'li',
        { class: 'party' },
        actor?.__typename === 'City'
          ? link(name, () => void openCity(actor.slug), { class: 'link party-city-link' })
          : name,
        ` — ${party.role.toLowerCase()}`,
        side ? ` on ${side}'s side` : '',
      );
    }),
  );
  element('sources').replaceChildren(
    ...partnership.sources.map((source) =>
      h(
        'li',
        { class: 'source' },
        source.url ? h('a', { href: source.url, rel: 'noreferrer' }, source.title) : source.title,
        source.publishedOn ? ` (${source.publishedOn.edtf})` : '',
      ),
    ),
  );
}

function start(): void {
  element('endpoint').textContent = endpoint;
  element('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = element<HTMLInputElement>('search').value.trim();
    const memberOf = element<HTMLInputElement>('member-of').value.trim();
    search = { search: text || null, memberOf: memberOf || null, first: PAGE_SIZE, after: null };
    void runSearch(false);
  });
  element('more').addEventListener('click', () => void runSearch(true));
  element('city-dates').addEventListener('submit', (event) => {
    event.preventDefault();
    const slug = element('city').dataset.slug;
    if (slug) void openCity(slug);
  });
  document.body.dataset.ready = 'true';
}

start();
