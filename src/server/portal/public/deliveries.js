// The tenant's deliveries: filtered, live (deliveryUpdated with the same filter), each
// one's attempts with request and response; an ADMIN token retries and cancels.
import { $, el, ms, notify, when } from './dom.js';

const ROW_FIELDS = `id status eventType eventId attemptCount lastStatusCode lastError createdAt updatedAt trigger version
  destination { id name } latestAttempt { responseStatusCode durationMs outcome }`;
const ATTEMPT_FIELDS = `id attemptNumber requestMethod requestUrl requestHeaders { name value } requestBody
  responseStatusCode responseHeaders { name value } responseBody responseTruncated durationMs outcome error createdAt`;
const MAX_ROWS = 200;
const RETRYABLE = ['FAILED', 'CANCELLED'];
const CANCELLABLE = ['PENDING', 'RETRY_SCHEDULED', 'IN_FLIGHT'];

/** The filter form as a DeliveryFilter (only what is set). */
function readFilter(form) {
  const filter = {};
  const statuses = [...form.elements.status.selectedOptions].map((o) => o.value);
  if (statuses.length) filter.status = statuses;
  if (form.elements.eventType.value) filter.eventType = [form.elements.eventType.value];
  if (form.elements.destinationId.value) filter.destinationId = form.elements.destinationId.value;
  if (form.elements.eventId.value.trim()) filter.eventId = form.elements.eventId.value.trim();
  // datetime-local is the reader's local time; the API takes an instant.
  if (form.elements.createdAfter.value) filter.createdAfter = new Date(form.elements.createdAfter.value).toISOString();
  if (form.elements.createdBefore.value) filter.createdBefore = new Date(form.elements.createdBefore.value).toISOString();
  return filter;
}

const headersText = (headers) => (headers ?? []).map((h) => `${h.name}: ${h.value}`).join('\n');

export function createDeliveries({ api, admin, client }) {
  const rows = new Map();
  let filter = {};
  let stopLive = null;
  let selected = null;

  function renderRow(d) {
    const attempt = d.latestAttempt;
    const action = !admin
      ? ''
      : RETRYABLE.includes(d.status)
        ? el('button', { type: 'button', 'data-action': 'retry', onclick: (e) => act(e, 'deliveryRetry', d.id) }, 'Retry')
        : CANCELLABLE.includes(d.status)
          ? el('button', { type: 'button', 'data-action': 'cancel', onclick: (e) => act(e, 'deliveryCancel', d.id) }, 'Cancel')
          : '';
    return el(
      'tr',
      { 'data-delivery-id': d.id, 'data-status': d.status, class: selected === d.id ? 'selected' : undefined, onclick: () => select(d.id) },
      el('td', { class: 'event-type' }, d.eventType),
      el('td', { class: 'destination' }, d.destination?.name ?? ''),
      el('td', {}, el('span', { class: 'status', 'data-status': d.status }, d.status)),
      el('td', { class: 'attempts' }, d.attemptCount),
      el('td', { class: 'response' }, d.lastStatusCode ?? attempt?.responseStatusCode ?? ''),
      el('td', { class: 'duration' }, attempt ? ms(attempt.durationMs) : ''),
      el('td', { class: 'created' }, when(d.createdAt)),
      el('td', {}, action),
    );
  }

  function upsert(d, live) {
    const known = rows.get(d.id);
    // An older state arriving after a newer one (the first page can race the stream) is
    // dropped: every change of a delivery raises its version.
    if (known && known.version > d.version) return;
    rows.set(d.id, d);
    const tbody = $('#deliveries tbody');
    const row = renderRow(d);
    const existing = tbody.querySelector(`tr[data-delivery-id="${CSS.escape(d.id)}"]`);
    if (existing) existing.replaceWith(row);
    else tbody.prepend(row);
    if (live) row.classList.add('flash');
    while (tbody.rows.length > MAX_ROWS) {
      const last = tbody.rows[tbody.rows.length - 1];
      rows.delete(last.dataset.deliveryId);
      last.remove();
    }
    $('#no-deliveries').hidden = tbody.rows.length > 0;
    if (live && selected === d.id) showDetail(d.id);
  }

  async function act(event, mutation, id) {
    event.stopPropagation();
    event.target.disabled = true;
    try {
      const payload = await api.mutate(mutation, `mutation ($id: ID!) { ${mutation}(id: $id) { delivery { ${ROW_FIELDS} } userErrors { message } } }`, { id });
      upsert(payload.delivery, true);
    } catch (error) {
      notify(error.message);
      event.target.disabled = false;
    }
  }

  function select(id) {
    selected = id;
    for (const row of document.querySelectorAll('#deliveries tbody tr')) row.classList.toggle('selected', row.dataset.deliveryId === id);
    showDetail(id);
  }

  async function showDetail(id) {
    const data = await api
      .gql(`query ($id: ID!) { node(id: $id) { ... on Delivery { ${ROW_FIELDS} attempts(first: 20) { nodes { ${ATTEMPT_FIELDS} } } } } }`, { id })
      .catch((error) => notify(error.message));
    const d = data?.node;
    if (!d || selected !== id) return;
    $('#detail').hidden = false;
    $('#detail-id').textContent = d.id;
    $('#detail-summary').replaceChildren(
      ...[
        ['Status', el('span', { class: 'status', 'data-status': d.status }, d.status)],
        ['Event', `${d.eventType} (${d.eventId})`],
        ['Destination', d.destination?.name ?? ''],
        ['Created', when(d.createdAt)],
        ['Attempts', d.attemptCount],
        ['Last error', d.status === 'SUCCEEDED' ? '' : (d.lastError ?? '')],
      ].flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
    );
    const list = $('#attempts');
    list.replaceChildren();
    if (!d.attempts.nodes.length) list.append(el('p', { class: 'muted' }, 'No attempts yet.'));
    for (const a of d.attempts.nodes) {
      list.append(
        el(
          'div',
          { class: 'attempt', 'data-attempt-id': a.id },
          el('strong', {}, `#${a.attemptNumber} ${a.outcome}`),
          ` · ${a.responseStatusCode ?? '—'} · ${ms(a.durationMs)} · ${when(a.createdAt)}`,
          a.error ? el('div', { class: 'muted' }, a.error) : '',
          el('div', { class: 'label' }, `Request: ${a.requestMethod} ${a.requestUrl}`),
          el('pre', { class: 'request' }, `${headersText(a.requestHeaders)}\n\n${a.requestBody ?? ''}`),
          el('div', { class: 'label' }, `Response${a.responseTruncated ? ' (cut at 64 KiB)' : ''}`),
          el('pre', { class: 'response' }, `${headersText(a.responseHeaders)}\n\n${a.responseBody ?? ''}`),
        ),
      );
    }
  }

  /** Subscribes with the filter first, then loads the page, so nothing between the two is missed. */
  async function apply(nextFilter) {
    filter = nextFilter;
    stopLive?.();
    rows.clear();
    $('#deliveries tbody').replaceChildren();
    stopLive = client.subscribe(
      { query: `subscription ($filter: DeliveryFilter) { deliveryUpdated(filter: $filter) { ${ROW_FIELDS} } }`, variables: { filter } },
      {
        next: (result) => (result.errors?.length ? notify(result.errors.map((e) => e.message).join('; ')) : upsert(result.data.deliveryUpdated, true)),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      const data = await api.gql(`query ($filter: DeliveryFilter) { deliveries(first: 50, filter: $filter) { nodes { ${ROW_FIELDS} } } }`, { filter });
      // Newest first in the answer; rows are prepended, so the oldest goes in first.
      for (const d of [...data.deliveries.nodes].reverse()) upsert(d, false);
    } catch (error) {
      notify(error.message);
    }
    $('#no-deliveries').hidden = $('#deliveries tbody').rows.length > 0;
    $('#deliveries').dataset.filter = JSON.stringify(filter);
  }

  /** The filter's choices of event type and destination, from what the tenant has. */
  function updateChoices(destinations, eventTypes) {
    const form = $('#filters');
    const keep = (select, options) => {
      const value = select.value;
      select.replaceChildren(el('option', { value: '' }, 'any'), ...options.map(([v, label]) => el('option', { value: v }, label)));
      select.value = options.some(([v]) => v === value) ? value : '';
    };
    keep(
      form.elements.eventType,
      eventTypes.map((t) => [t, t]),
    );
    keep(
      form.elements.destinationId,
      destinations.map((d) => [d.id, d.name]),
    );
  }

  $('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    apply(readFilter(event.target));
  });
  $('#filters').addEventListener('reset', () => setTimeout(() => apply({})));

  return { apply, updateChoices, current: () => filter };
}
