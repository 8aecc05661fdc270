// The deliveries table (live rows, newest on top, retry and cancel for ADMIN keys) and the
// detail panel of the selected delivery with its attempts.
import { $, el, notify, report, timeElement } from './dom.js';
import { refreshDestinationSoon } from './destinations.js';

export const ROW_FIELDS = `
  id tenantId status eventType attemptCount lastStatusCode lastError createdAt updatedAt trigger version
  destination { id name }
  latestAttempt { responseStatusCode durationMs outcome }`;
const ATTEMPT_FIELDS = `id attemptNumber requestMethod requestUrl requestHeaders { name value } requestBody
  responseStatusCode responseHeaders { name value } responseBody responseTruncated durationMs outcome error createdAt`;
const MAX_ROWS = 200;
const RETRYABLE = ['FAILED', 'CANCELLED'];
const CANCELLABLE = ['PENDING', 'RETRY_SCHEDULED', 'IN_FLIGHT'];
/** States an attempt leaves behind: the destination's breaker may have moved with it. */
const AFTER_ATTEMPT = ['RETRY_SCHEDULED', 'FAILED', 'SUCCEEDED'];

const view = { session: null, rows: new Map(), selected: null, tenantUids: new Map() };

/** Empties the table and the detail panel and binds them to `session` (null: nobody's). */
export function resetDeliveries(session) {
  Object.assign(view, { session, selected: null, tenantUids: new Map() });
  clearRows();
  $('#detail').hidden = true;
  $('#detail-id').textContent = '';
  $('#detail-summary').replaceChildren();
  $('#attempts').replaceChildren();
}

/** Empties the table (a new filter fills it again); the detail panel stays. */
export function clearRows() {
  view.rows.clear();
  $('#deliveries tbody').replaceChildren();
  $('#empty').hidden = false;
}

/** Tenant uids by id, to name a delivery's tenant in its detail. */
export function knowTenants(tenants) {
  for (const t of tenants) view.tenantUids.set(t.id, t.uid);
}

function renderRow(d) {
  const attempt = d.latestAttempt;
  const row = el(
    'tr',
    { 'data-delivery-id': d.id, 'data-status': d.status, 'data-tenant-id': d.tenantId, onclick: () => select(d.id) },
    el('td', {}, el('code', { title: d.id }, d.id.slice(-8))),
    el('td', { class: 'event-type', title: d.eventType }, d.eventType),
    el('td', { class: 'destination', title: d.destination?.name ?? '' }, d.destination?.name ?? ''),
    el('td', {}, el('span', { class: 'status', 'data-status': d.status }, d.status)),
    el('td', { class: 'attempts' }, d.attemptCount),
    el('td', { class: 'response' }, d.lastStatusCode ?? attempt?.responseStatusCode ?? ''),
    el('td', { class: 'duration' }, attempt ? `${attempt.durationMs} ms` : ''),
    el('td', { class: 'updated' }, timeElement(d.updatedAt)),
    el('td', {}, action(d)),
  );
  if (view.selected === d.id) row.classList.add('selected');
  return row;
}

/** Retry or Cancel, for a key that may (ADMIN); nothing for the others. */
function action(d) {
  if (!view.session?.canManage) return '';
  if (RETRYABLE.includes(d.status)) return el('button', { type: 'button', 'data-action': 'retry', onclick: (e) => act(e, 'deliveryRetry', d.id) }, 'Retry');
  if (CANCELLABLE.includes(d.status))
    return el('button', { type: 'button', 'data-action': 'cancel', onclick: (e) => act(e, 'deliveryCancel', d.id) }, 'Cancel');
  return '';
}

export function upsert(d, { live }) {
  const known = view.rows.get(d.id);
  // Ignore an older state arriving after a newer one (the initial page can race the stream):
  // every change of a delivery raises its version.
  if (known && known.version > d.version) return;
  view.rows.set(d.id, d);
  const tbody = $('#deliveries tbody');
  const row = renderRow(d);
  const existing = tbody.querySelector(`tr[data-delivery-id="${CSS.escape(d.id)}"]`);
  if (existing) existing.replaceWith(row);
  else tbody.prepend(row);
  if (live) row.classList.add('flash');
  while (tbody.rows.length > MAX_ROWS) {
    const last = tbody.rows[tbody.rows.length - 1];
    view.rows.delete(last.dataset.deliveryId);
    last.remove();
  }
  $('#empty').hidden = tbody.rows.length > 0;
  if (live && d.destination && AFTER_ATTEMPT.includes(d.status)) refreshDestinationSoon(d.destination.id);
  if (live && view.selected === d.id) showDetail(d.id);
}

async function act(event, mutation, id) {
  event.stopPropagation();
  event.target.disabled = true;
  try {
    const data = await view.session.gql(`mutation ($id: ID!) { ${mutation}(id: $id) { delivery { ${ROW_FIELDS} } userErrors { message } } }`, { id });
    const payload = data[mutation];
    if (payload.userErrors.length) notify(payload.userErrors.map((e) => e.message).join('; '));
    // The subscription brings the change too; the mutation's answer just gets there first.
    else if (payload.delivery) upsert(payload.delivery, { live: true });
  } catch (error) {
    report(error);
    event.target.disabled = false;
  }
}

function select(id) {
  view.selected = id;
  for (const row of document.querySelectorAll('#deliveries tbody tr')) row.classList.toggle('selected', row.dataset.deliveryId === id);
  showDetail(id);
}

const headersText = (headers) => (headers ?? []).map((h) => `${h.name}: ${h.value}`).join('\n');

async function showDetail(id) {
  const session = view.session;
  let d;
  try {
    const data = await session.gql(
      `query ($id: ID!) { node(id: $id) { ... on Delivery { ${ROW_FIELDS} nextAttemptAt event { id type } webhook { id name }
         attempts(first: 20) { nodes { ${ATTEMPT_FIELDS} } } } } }`,
      { id },
    );
    d = data.node;
  } catch (error) {
    report(error);
    return;
  }
  if (!d || session !== view.session || view.selected !== id) return;
  $('#detail').hidden = false;
  $('#detail-id').textContent = d.id;
  const facts = [
    ['Status', el('span', { class: 'status', 'data-status': d.status }, d.status)],
    ['Event', `${d.event?.type ?? d.eventType} (${d.event?.id ?? ''})`],
    ['Tenant', view.tenantUids.get(d.tenantId) ?? d.tenantId],
    ['Webhook', d.webhook?.name ?? ''],
    ['Destination', d.destination?.name ?? ''],
    ['Trigger', d.trigger],
    ['Attempts', d.attemptCount],
    ['Created', timeElement(d.createdAt)],
    ['Updated', timeElement(d.updatedAt)],
    ['Next attempt', timeElement(d.nextAttemptAt)],
    ['Last error', d.status === 'SUCCEEDED' ? '' : (d.lastError ?? '')],
  ];
  $('#detail-summary').replaceChildren(...facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
  const list = $('#attempts');
  list.replaceChildren();
  if (!d.attempts.nodes.length) list.append(el('p', { class: 'muted' }, 'No attempts yet.'));
  for (const a of d.attempts.nodes) {
    list.append(
      el(
        'div',
        { class: 'attempt', 'data-attempt-id': a.id },
        el('strong', {}, `#${a.attemptNumber} ${a.outcome}`),
        ` · ${a.responseStatusCode ?? '—'} · ${a.durationMs} ms · `,
        timeElement(a.createdAt),
        a.error ? el('div', { class: 'muted' }, a.error) : '',
        el('div', { class: 'request-line' }, `${a.requestMethod} ${a.requestUrl}`),
        el('pre', { class: 'request' }, `${headersText(a.requestHeaders)}\n\n${a.requestBody ?? ''}`),
        el('div', {}, `Response${a.responseTruncated ? ' (truncated at 64 KiB)' : ''}`),
        el('pre', { class: 'response' }, `${headersText(a.responseHeaders)}\n\n${a.responseBody ?? ''}`),
      ),
    );
  }
}
