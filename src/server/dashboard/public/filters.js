// The filter bar: the deliveries query's DeliveryFilter (the same goes to the live
// subscription), and the tenant picker's suggestions.
import { $, el } from './dom.js';

/** The DeliveryFilter the form describes; throws a message the user can act on. */
export function readFilter() {
  const filter = {};
  const tenant = $('#filter-tenant');
  // A tenant's key sees only its own tenant: its picker is fixed and says nothing more.
  if (!tenant.disabled && tenant.value.trim()) filter.tenant = tenant.value.trim();
  const status = $('#filter-status').value;
  if (status) filter.status = [status];
  const types = $('#filter-event-type')
    .value.split(/[\s,]+/)
    .filter(Boolean);
  if (types.some((type) => type.includes('*'))) throw new Error('Event type: exact types only, such as order.created');
  if (types.length) filter.eventType = types;
  const destinationId = $('#filter-destination').value;
  if (destinationId) filter.destinationId = destinationId;
  const eventId = $('#filter-event-id').value.trim();
  if (eventId) filter.eventId = eventId;
  const from = moment('#filter-from', 'From');
  const to = moment('#filter-to', 'To');
  if (from && to && from >= to) throw new Error('The time range ends before it starts');
  if (from) filter.createdAfter = from;
  if (to) filter.createdBefore = to;
  return filter;
}

/** A `datetime-local` field (local time) as an ISO instant, or undefined when empty. */
function moment(selector, label) {
  const value = $(selector).value;
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`${label}: not a date and time`);
  return date.toISOString();
}

/** Back to every delivery the key may see (a tenant key's picker stays on its tenant). */
export function clearFilters() {
  for (const field of document.querySelectorAll('#filters input, #filters select')) if (!field.disabled) field.value = '';
}

/** The picker for a key of the whole installation (any tenant, or all), or fixed on a tenant key's own. */
export function setTenantPicker(ownUid) {
  const picker = $('#filter-tenant');
  picker.disabled = ownUid !== null;
  picker.value = ownUid ?? '';
  picker.placeholder = ownUid === null ? 'all tenants' : '';
}

/** Tenants the picker suggests (uid, with the name when it differs). */
export function suggestTenants(tenants) {
  $('#tenant-options').replaceChildren(...tenants.map((t) => el('option', { value: t.uid }, t.name === t.uid ? '' : t.name)));
}

/** The destination choices: those on show, and the one chosen (the filter in force names it) even if not. */
export function offerDestinations(destinations) {
  const select = $('#filter-destination');
  const chosen = select.value;
  const options = destinations.map((d) => el('option', { value: d.id }, d.name));
  if (chosen && !destinations.some((d) => d.id === chosen)) options.push(el('option', { value: chosen }, chosen));
  select.replaceChildren(el('option', { value: '' }, 'any'), ...options);
  select.value = chosen;
}
