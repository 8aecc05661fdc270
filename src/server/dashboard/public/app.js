// The hookgraph dashboard: deliveries arriving live over graphql-ws, filtered as the
// deliveries query filters them, their attempts, destination health, sync runs, bulk jobs
// with their progress, retry, cancel and re-enable for ADMIN keys. Plain DOM modules, no
// framework, nothing from the internet.
import { $, notify, report } from './dom.js';
import { Session } from './session.js';
import { ROW_FIELDS, clearRows, knowTenants, resetDeliveries, upsert } from './deliveries.js';
import { DESTINATION_FIELDS, resetDestinations, showDestinations, updateDestination } from './destinations.js';
import { clearFilters, readFilter, setTenantPicker, suggestTenants } from './filters.js';
import { watchJobs } from './jobs.js';
import { watchRuns } from './runs.js';

const KEY_STORAGE = 'hookgraph.key';
const TENANT_SUGGESTIONS = 20;
const DELIVERIES_SUBSCRIPTION = `subscription ($filter: DeliveryFilter) { deliveryUpdated(filter: $filter) { ${ROW_FIELDS} } }`;
// One tenant's destinations come through the tenant; every tenant's through `destinations`.
const VIEW_QUERY = `query ($filter: DeliveryFilter, $tenant: String!, $everyTenant: Boolean!) {
  deliveries(filter: $filter, first: 50) { nodes { ${ROW_FIELDS} } }
  destinations(first: 100) @include(if: $everyTenant) { nodes { ${DESTINATION_FIELDS} } }
  tenant(uid: $tenant) @skip(if: $everyTenant) { id destinations(first: 100) { nodes { ${DESTINATION_FIELDS} } } }
}`;

/** The key the page shows, with its live deliveries; null before a key is given. */
let session = null;
let stopDeliveries = null;
/** Counts filter changes: the answer to an older one is dropped. */
let viewVersion = 0;

function setConnection(stateName, text) {
  const node = $('#connection');
  node.dataset.state = stateName;
  node.textContent = text;
}

/** Lets the key go and clears everything it showed. */
function disconnect() {
  stopDeliveries?.();
  stopDeliveries = null;
  session?.close();
  session = null;
  viewVersion += 1;
  resetDeliveries(null);
  resetDestinations(null);
  watchRuns(null);
  watchJobs(null);
  suggestTenants([]);
  setTenantPicker(null);
  clearFilters();
  $('#viewer').hidden = true;
  $('#viewer').textContent = '';
  $('#disconnect').hidden = true;
  setConnection('idle', 'not connected');
}

async function connect(key) {
  disconnect();
  sessionStorage.setItem(KEY_STORAGE, key);
  const current = new Session(key, setConnection);
  session = current;
  resetDeliveries(current);
  resetDestinations(current);
  watchRuns(current);
  watchJobs(current);
  setConnection('connecting', 'connecting…');
  $('#disconnect').hidden = false;
  current.subscribe(
    `subscription { destinationStatusChanged { ${DESTINATION_FIELDS} } }`,
    {},
    (data) => updateDestination(data.destinationStatusChanged),
    report,
  );
  try {
    const data = await current.gql(`query ($first: Int!) { viewer { role tenantId } tenants(first: $first) { nodes { id uid name } } }`, {
      first: TENANT_SUGGESTIONS,
    });
    current.viewer = data.viewer;
    const own = data.viewer.tenantId === null ? null : data.tenants.nodes.find((t) => t.id === data.viewer.tenantId);
    knowTenants(data.tenants.nodes);
    suggestTenants(data.tenants.nodes);
    setTenantPicker(own ? own.uid : null);
    const viewer = $('#viewer');
    viewer.textContent = `${data.viewer.role} · ${own ? own.uid : 'all tenants'}`;
    viewer.dataset.role = data.viewer.role;
    viewer.hidden = false;
  } catch (error) {
    report(error);
    return;
  }
  await showView();
}

/**
 * Shows the deliveries the filter selects, and their changes from now on. The new
 * subscription starts before the list is read, so no change falls between the two; the
 * old view stays until the new one is ready, and stays for good if the filter is refused.
 */
async function showView() {
  const current = session;
  if (!current) return;
  let filter;
  try {
    filter = readFilter();
  } catch (error) {
    notify(error.message);
    return;
  }
  const version = ++viewVersion;
  const early = [];
  let ready = false;
  const stop = current.subscribe(
    DELIVERIES_SUBSCRIPTION,
    { filter },
    (data) => (ready ? upsert(data.deliveryUpdated, { live: true }) : early.push(data.deliveryUpdated)),
    report,
  );
  let data;
  try {
    data = await current.gql(VIEW_QUERY, { filter, tenant: filter.tenant ?? '', everyTenant: !filter.tenant });
    if (filter.tenant && !data.tenant) throw new Error(`no tenant "${filter.tenant}"`);
  } catch (error) {
    stop();
    report(error);
    return;
  }
  if (current !== session || version !== viewVersion) {
    stop();
    return;
  }
  stopDeliveries?.();
  stopDeliveries = stop;
  clearRows();
  // Lists come newest first; rows are prepended, so the oldest goes in first.
  for (const d of [...data.deliveries.nodes].reverse()) upsert(d, { live: false });
  for (const d of early) upsert(d, { live: true });
  ready = true;
  const destinations = filter.tenant ? data.tenant.destinations.nodes : data.destinations.nodes;
  showDestinations(destinations, filter.tenant ? data.tenant.id : null);
}

/** Suggests tenants whose uid starts with what was typed. */
async function suggestMatchingTenants() {
  const current = session;
  if (!current || current.viewer?.tenantId !== null) return;
  try {
    const data = await current.gql(
      `query ($prefix: String, $first: Int!) { tenants(first: $first, filter: { uidPrefix: $prefix }) { nodes { id uid name } } }`,
      {
        prefix: $('#filter-tenant').value.trim() || null,
        first: TENANT_SUGGESTIONS,
      },
    );
    knowTenants(data.tenants.nodes);
    suggestTenants(data.tenants.nodes);
  } catch (error) {
    report(error);
  }
}

$('#key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = $('#api-key').value.trim();
  if (key) connect(key);
});
$('#disconnect').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORAGE);
  $('#api-key').value = '';
  disconnect();
});
$('#filters').addEventListener('submit', (event) => {
  event.preventDefault();
  showView();
});
$('#filters').addEventListener('change', () => showView());
$('#filters').addEventListener('reset', (event) => {
  event.preventDefault();
  clearFilters();
  showView();
});
$('#filter-tenant').addEventListener('input', () => {
  clearTimeout(suggestMatchingTenants.timer);
  suggestMatchingTenants.timer = setTimeout(suggestMatchingTenants, 200);
});

const saved = sessionStorage.getItem(KEY_STORAGE);
if (saved) {
  $('#api-key').value = saved;
  connect(saved);
}
document.body.dataset.ready = 'true';
