// Destinations: status, circuit breaker, and a Re-enable button for one that holds its
// deliveries (PAUSED, DISABLED, or its breaker open or probing).
import { $, el, report, timeElement } from './dom.js';
import { offerDestinations } from './filters.js';

export const DESTINATION_FIELDS = 'id tenantId name url status statusReason statusChangedAt circuit { failureStreak failingSince openUntil }';
/** How long a burst of delivery changes waits before its destination is read again (its breaker may have moved). */
const REFRESH_DELAY_MS = 500;

const view = { session: null, tenantId: null, shown: new Map(), refreshing: new Map() };

/** Empties the list and binds it to `session` (null: nobody's). */
export function resetDestinations(session) {
  for (const timer of view.refreshing.values()) clearTimeout(timer);
  Object.assign(view, { session, tenantId: null, shown: new Map(), refreshing: new Map() });
  $('#destinations').replaceChildren();
  offerDestinations([]);
}

/** Shows exactly these, the destinations of one tenant (its id) or of every tenant (null). */
export function showDestinations(destinations, tenantId) {
  view.tenantId = tenantId;
  view.shown = new Map(destinations.map((d) => [d.id, d]));
  $('#destinations').replaceChildren(...destinations.map(renderDestination));
  offerDestinations(destinations);
}

/** A newer state of a destination; one of a tenant not on show is left out. */
export function updateDestination(d) {
  if (view.tenantId !== null && d.tenantId !== view.tenantId) return;
  const item = renderDestination(d);
  const existing = $('#destinations').querySelector(`li[data-destination-id="${CSS.escape(d.id)}"]`);
  if (existing) existing.replaceWith(item);
  else $('#destinations').append(item);
  if (!view.shown.has(d.id)) {
    view.shown.set(d.id, d);
    offerDestinations([...view.shown.values()]);
  }
}

/**
 * Reads a destination again shortly after its deliveries changed: the breaker moves with
 * each attempt and announces nothing of its own.
 */
export function refreshDestinationSoon(id) {
  if (!view.shown.has(id) || view.refreshing.has(id)) return;
  const session = view.session;
  const timer = setTimeout(async () => {
    try {
      const data = await session.gql(`query ($id: ID!) { node(id: $id) { ... on Destination { ${DESTINATION_FIELDS} } } }`, { id });
      if (data.node && session === view.session) updateDestination(data.node);
    } catch (error) {
      report(error);
    } finally {
      if (view.refreshing.get(id) === timer) view.refreshing.delete(id);
    }
  }, REFRESH_DELAY_MS);
  view.refreshing.set(id, timer);
}

function isHeld(d) {
  return d.status !== 'ACTIVE' || d.circuit.openUntil !== null;
}

function breaker(circuit) {
  if (circuit.openUntil) return el('div', { class: 'breaker', 'data-breaker': 'open' }, 'breaker open until ', timeElement(circuit.openUntil));
  if (circuit.failureStreak > 0) {
    return el('div', { class: 'breaker', 'data-breaker': 'failing' }, `${circuit.failureStreak} failed in a row since `, timeElement(circuit.failingSince));
  }
  return '';
}

function renderDestination(d) {
  const reenable =
    view.session?.canManage && isHeld(d)
      ? el('button', { type: 'button', 'data-action': 'reenable', onclick: (event) => reenableDestination(event, d.id) }, 'Re-enable')
      : '';
  return el(
    'li',
    { 'data-destination-id': d.id, 'data-status': d.status },
    el('strong', { class: 'name' }, d.name),
    ' ',
    el('span', { class: 'destination-status', 'data-status': d.status }, d.status),
    ' ',
    reenable,
    el('div', { class: 'muted url' }, d.url),
    breaker(d.circuit),
    d.statusReason ? el('div', { class: 'muted reason' }, d.statusReason, ' · ', timeElement(d.statusChangedAt)) : '',
  );
}

/** ACTIVE again: a paused or disabled destination resumes, an open breaker is reset. */
async function reenableDestination(event, id) {
  const button = event.target;
  button.disabled = true;
  const session = view.session;
  try {
    const data = await session.gql(
      `mutation ($id: ID!) { destinationUpdate(id: $id, input: { status: ACTIVE }) { destination { ${DESTINATION_FIELDS} } userErrors { message } } }`,
      { id },
    );
    const payload = data.destinationUpdate;
    if (payload.userErrors.length) throw new Error(payload.userErrors.map((e) => e.message).join('; '));
    if (session === view.session) updateDestination(payload.destination);
  } catch (error) {
    report(error);
    button.disabled = false;
  }
}
