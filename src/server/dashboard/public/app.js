// The hookgraph dashboard: deliveries arriving live over graphql-ws, their attempts,
// destination health, retry and cancel. Plain DOM, no framework, nothing from the internet.
import { createClient } from '/dashboard/vendor/graphql-ws/client.js';

const ROW_FIELDS = `
  id status eventType attemptCount lastStatusCode lastError updatedAt trigger
  destination { id name }
  latestAttempt { responseStatusCode durationMs outcome }`;
const DESTINATION_FIELDS = 'id name url status statusReason statusChangedAt';
const ATTEMPT_FIELDS = `id attemptNumber requestMethod requestUrl requestHeaders { name value } requestBody
  responseStatusCode responseHeaders { name value } responseBody responseTruncated durationMs outcome error createdAt`;
const MAX_ROWS = 200;
const RETRYABLE = ['FAILED', 'CANCELLED'];
const CANCELLABLE = ['PENDING', 'RETRY_SCHEDULED', 'IN_FLIGHT'];

const $ = (selector) => document.querySelector(selector);
const state = { key: null, client: null, unsubscribe: [], rows: new Map(), selected: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

function notify(text) {
  const box = $('#message');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => (box.hidden = true), 4000);
}

function setConnection(stateName, text) {
  const node = $('#connection');
  node.dataset.state = stateName;
  node.textContent = text;
}

async function gql(query, variables = {}) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${state.key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');

// ---- deliveries table -------------------------------------------------------------

function renderRow(d) {
  const attempt = d.latestAttempt;
  const action = RETRYABLE.includes(d.status)
    ? el('button', { type: 'button', 'data-action': 'retry', onclick: (e) => act(e, 'deliveryRetry', d.id) }, 'Retry')
    : CANCELLABLE.includes(d.status)
      ? el('button', { type: 'button', 'data-action': 'cancel', onclick: (e) => act(e, 'deliveryCancel', d.id) }, 'Cancel')
      : '';
  const row = el(
    'tr',
    { 'data-delivery-id': d.id, 'data-status': d.status, onclick: () => select(d.id) },
    el('td', {}, el('code', { title: d.id }, d.id.slice(-8))),
    el('td', { class: 'event-type' }, d.eventType),
    el('td', { class: 'destination' }, d.destination?.name ?? ''),
    el('td', {}, el('span', { class: 'status', 'data-status': d.status }, d.status)),
    el('td', { class: 'attempts' }, d.attemptCount),
    el('td', { class: 'response' }, d.lastStatusCode ?? attempt?.responseStatusCode ?? ''),
    el('td', { class: 'duration' }, attempt ? `${attempt.durationMs} ms` : ''),
    el('td', { class: 'updated' }, time(d.updatedAt)),
    el('td', {}, action),
  );
  if (state.selected === d.id) row.classList.add('selected');
  return row;
}

function upsert(d, { live }) {
  const known = state.rows.get(d.id);
  // Ignore an older state arriving after a newer one (the initial page can race the stream).
  if (known && new Date(known.updatedAt) > new Date(d.updatedAt)) return;
  state.rows.set(d.id, d);
  const tbody = $('#deliveries tbody');
  const row = renderRow(d);
  const existing = tbody.querySelector(`tr[data-delivery-id="${CSS.escape(d.id)}"]`);
  if (existing) existing.replaceWith(row);
  else tbody.prepend(row);
  if (live) row.classList.add('flash');
  while (tbody.rows.length > MAX_ROWS) {
    const last = tbody.rows[tbody.rows.length - 1];
    state.rows.delete(last.dataset.deliveryId);
    last.remove();
  }
  $('#empty').hidden = tbody.rows.length > 0;
  if (live && state.selected === d.id) showDetail(d.id);
}

async function act(event, mutation, id) {
  event.stopPropagation();
  event.target.disabled = true;
  try {
    const data = await gql(`mutation ($id: ID!) { ${mutation}(id: $id) { delivery { ${ROW_FIELDS} } userErrors { message } } }`, { id });
    const payload = data[mutation];
    if (payload.userErrors.length) notify(payload.userErrors.map((e) => e.message).join('; '));
    // The subscription brings the change too; the mutation's answer just gets there first.
    else if (payload.delivery) upsert(payload.delivery, { live: true });
  } catch (error) {
    notify(error.message);
    event.target.disabled = false;
  }
}

// ---- detail panel -----------------------------------------------------------------

function select(id) {
  state.selected = id;
  for (const row of document.querySelectorAll('#deliveries tbody tr')) row.classList.toggle('selected', row.dataset.deliveryId === id);
  showDetail(id);
}

const headersText = (headers) => (headers ?? []).map((h) => `${h.name}: ${h.value}`).join('\n');

async function showDetail(id) {
  const data = await gql(
    `query ($id: ID!) { node(id: $id) { ... on Delivery { ${ROW_FIELDS} event { id type data } webhook { id name }
       attempts(first: 20) { nodes { ${ATTEMPT_FIELDS} } } } } }`,
    { id },
  ).catch((error) => notify(error.message));
  const d = data?.node;
  if (!d || state.selected !== id) return;
  $('#detail').hidden = false;
  $('#detail-id').textContent = d.id;
  const summary = $('#detail-summary');
  summary.replaceChildren();
  const facts = [
    ['Status', el('span', { class: 'status', 'data-status': d.status }, d.status)],
    ['Event', `${d.event?.type ?? d.eventType} (${d.event?.id ?? ''})`],
    ['Webhook', d.webhook?.name ?? ''],
    ['Destination', d.destination?.name ?? ''],
    ['Trigger', d.trigger],
    ['Attempts', d.attemptCount],
    ['Last error', d.status === 'SUCCEEDED' ? '' : (d.lastError ?? '')],
  ];
  for (const [term, value] of facts) summary.append(el('dt', {}, term), el('dd', {}, value));
  const list = $('#attempts');
  list.replaceChildren();
  if (!d.attempts.nodes.length) list.append(el('p', { class: 'muted' }, 'No attempts yet.'));
  for (const a of d.attempts.nodes) {
    list.append(
      el(
        'div',
        { class: 'attempt', 'data-attempt-id': a.id },
        el('strong', {}, `#${a.attemptNumber} ${a.outcome}`),
        ` · ${a.responseStatusCode ?? '—'} · ${a.durationMs} ms · ${time(a.createdAt)}`,
        a.error ? el('div', { class: 'muted' }, a.error) : '',
        el('div', {}, `${a.requestMethod} ${a.requestUrl}`),
        el('pre', { class: 'request' }, `${headersText(a.requestHeaders)}\n\n${a.requestBody ?? ''}`),
        el('div', {}, `Response${a.responseTruncated ? ' (truncated at 64 KiB)' : ''}`),
        el('pre', { class: 'response' }, `${headersText(a.responseHeaders)}\n\n${a.responseBody ?? ''}`),
      ),
    );
  }
}

// ---- destinations -----------------------------------------------------------------

function renderDestination(d) {
  const item = el(
    'li',
    { 'data-destination-id': d.id },
    el('strong', {}, d.name),
    ' ',
    el('span', { class: 'destination-status', 'data-status': d.status }, d.status),
    el('div', { class: 'muted' }, d.url),
    d.statusReason ? el('div', { class: 'muted' }, d.statusReason) : '',
  );
  const existing = document.querySelector(`#destinations li[data-destination-id="${CSS.escape(d.id)}"]`);
  if (existing) existing.replaceWith(item);
  else $('#destinations').append(item);
}

// ---- connection -------------------------------------------------------------------

function subscribe(query, onData) {
  return state.client.subscribe(
    { query },
    {
      next: (result) => {
        if (result.errors?.length) notify(result.errors.map((e) => e.message).join('; '));
        else onData(result.data);
      },
      error: (error) => notify(error?.message ?? (error?.reason || `connection closed (${error?.code ?? 'error'})`)),
      complete: () => undefined,
    },
  );
}

function disconnect() {
  for (const stop of state.unsubscribe) stop();
  state.unsubscribe = [];
  state.client?.dispose();
  state.client = null;
  $('#disconnect').hidden = true;
  setConnection('idle', 'not connected');
}

async function connect(key) {
  disconnect();
  state.key = key;
  sessionStorage.setItem('hookgraph.key', key);
  setConnection('connecting', 'connecting…');
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  state.client = createClient({
    url: wsUrl,
    connectionParams: () => ({ authorization: `Bearer ${state.key}` }),
    retryAttempts: 5,
    shouldRetry: (event) => !(event && [4403, 4400].includes(event.code)),
    on: {
      connected: () => setConnection('live', 'live'),
      closed: (event) => {
        if (event?.code === 4403) setConnection('refused', 'key refused (4403)');
        else setConnection('closed', `disconnected${event?.code ? ` (${event.code})` : ''}`);
      },
    },
  });
  state.unsubscribe.push(
    subscribe(`subscription { deliveryUpdated { ${ROW_FIELDS} } }`, (data) => upsert(data.deliveryUpdated, { live: true })),
    subscribe(`subscription { destinationStatusChanged { ${DESTINATION_FIELDS} } }`, (data) => renderDestination(data.destinationStatusChanged)),
  );
  $('#disconnect').hidden = false;
  try {
    // Lists come newest first; rows are prepended, so the oldest goes in first.
    const data = await gql(`{ deliveries(first: 50) { nodes { ${ROW_FIELDS} } } destinations(first: 100) { nodes { ${DESTINATION_FIELDS} } } }`);
    for (const d of [...data.deliveries.nodes].reverse()) upsert(d, { live: false });
    for (const d of data.destinations.nodes) renderDestination(d);
  } catch (error) {
    notify(error.message);
  }
}

$('#key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = $('#api-key').value.trim();
  if (key) connect(key);
});
$('#disconnect').addEventListener('click', disconnect);
const saved = sessionStorage.getItem('hookgraph.key');
if (saved) {
  $('#api-key').value = saved;
  connect(saved);
}
document.body.dataset.ready = 'true';
