// The hookgraph portal: one tenant's endpoints and deliveries, opened with a portal token
// (`/portal#token=…`). Plain DOM, no framework, nothing from the internet.
import { claimsOf, createApi, Refused, takeToken } from './api.js';
import { createDeliveries } from './deliveries.js';
import { $, notify, when } from './dom.js';
import { createEndpoints } from './endpoints.js';

const DESTINATION_FIELDS = 'id name url status statusReason circuit { failureStreak openUntil } signing { secretHint }';
const STATS_REFRESH_MS = 60_000;

/** The live socket, closed when the token is refused. */
let client = null;

function setConnection(state, text) {
  const node = $('#connection');
  node.dataset.state = state;
  node.textContent = text;
}

/** The page for a token that does not (or no longer) work: nothing of the tenant stays on screen. */
function refuse(message) {
  if (document.body.dataset.state === 'refused') return;
  document.body.dataset.state = 'refused';
  client?.dispose();
  $('#portal').remove();
  $('#refused-reason').textContent = message;
  $('#refused').hidden = false;
  setConnection('refused', 'refused');
}

async function start() {
  const token = takeToken();
  const claims = token && claimsOf(token);
  if (!claims) return refuse('This page needs the link your provider gave you (it carries a portal token).');
  const admin = claims.role === 'ADMIN';
  document.body.dataset.role = claims.role;
  $('#role').textContent = admin ? 'admin' : 'read only';
  $('#expires').textContent = `link valid until ${when(claims.expiresAt)}`;

  const api = createApi(token, refuse);
  client = api.live(setConnection);
  const deliveries = createDeliveries({ api, admin, client });
  const endpoints = createEndpoints({ api, admin, client, onChange: () => deliveries.updateChoices(endpoints.list(), endpoints.knownTypes()) });

  // The server closes the socket at expiry too; this says so even while the page is idle.
  setTimeout(() => refuse('the portal token expired: ask for a new one'), Math.min(claims.expiresAt - Date.now(), 2 ** 31 - 1));

  try {
    const data = await api.gql('{ tenants(first: 1) { nodes { uid name } } }');
    const tenant = data.tenants.nodes[0];
    $('#tenant-name').textContent = tenant?.name ?? '';
    document.title = `${tenant?.name ?? 'hookgraph'} — webhooks`;
    client.subscribe(
      { query: `subscription { destinationStatusChanged { ${DESTINATION_FIELDS} } }` },
      { next: (result) => result.data && endpoints.statusChanged(result.data.destinationStatusChanged), error: () => undefined, complete: () => undefined },
    );
    await endpoints.load();
    await deliveries.apply({});
    setInterval(() => endpoints.refreshStats(), STATS_REFRESH_MS);
    document.body.dataset.state = 'ready';
  } catch (error) {
    if (!(error instanceof Refused)) notify(error.message);
  }
}

start();
