/* global React, ReactDOM, GraphiQL, graphqlWs */
// The playground: GraphiQL, served by hookgraph itself (no CDN). The API key entered
// above it is kept in this tab's session storage and sent as `Authorization: Bearer …`
// with queries and mutations, and in `connection_init` for subscriptions (graphql-ws).
'use strict';

const STORAGE_KEY = 'hookgraph.playground.key';
const DEFAULT_QUERY = `# Enter an API key above, then run this (Ctrl-Enter).
# Subscriptions work too: subscription { deliveryUpdated { id status event { type } } }
{
  deliveries(first: 10) {
    nodes { id status attemptCount event { type } destination { id } }
  }
}
`;

const httpUrl = new URL('/graphql', window.location.href).toString();
const wsUrl = httpUrl.replace(/^http/, 'ws');
const root = ReactDOM.createRoot(document.getElementById('graphiql'));
const input = document.getElementById('api-key');
const state = document.getElementById('key-state');
let wsClient = null;

/**
 * Whether the operation to run is a subscription: those go over graphql-ws, the rest over
 * HTTP. Read from the text itself (comments and strings left out), which is current when
 * the run button is pressed.
 */
function isSubscription(query, operationName) {
  const code = query.replace(/#[^\n]*/g, '').replace(/"""[\s\S]*?"""|"(?:\\.|[^"\\])*"/g, '""');
  if (operationName) return new RegExp(`\\bsubscription\\s+${operationName}\\b`).test(code);
  return /^\s*subscription\b/.test(code);
}

function render(key) {
  if (wsClient) wsClient.dispose();
  const auth = key ? `Bearer ${key}` : undefined;
  const client = graphqlWs.createClient({ url: wsUrl, lazy: true, retryAttempts: 0, connectionParams: auth ? { authorization: auth } : {} });
  wsClient = client;
  const overHttp = GraphiQL.createFetcher({ url: httpUrl, headers: auth ? { Authorization: auth } : {} });
  const fetcher = (params, options) => {
    if (!isSubscription(params.query, params.operationName)) return overHttp(params, options);
    // An observable: GraphiQL shows each result as it comes, and unsubscribing ends the operation.
    return { subscribe: (observer) => ({ unsubscribe: client.subscribe(params, observer) }) };
  };
  state.textContent = key ? `key …${key.slice(-4)} in use` : 'no key: queries are refused (401) until you enter one';
  state.dataset.state = key ? 'set' : 'unset';
  // A new key is a new session: GraphiQL fetches the schema again with it.
  root.render(React.createElement(GraphiQL, { key: key || 'none', fetcher, defaultQuery: DEFAULT_QUERY, defaultEditorToolsVisibility: false }));
}

document.getElementById('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = input.value.trim();
  if (key) sessionStorage.setItem(STORAGE_KEY, key);
  else sessionStorage.removeItem(STORAGE_KEY);
  input.value = '';
  render(key);
});

document.getElementById('forget-key').addEventListener('click', () => {
  sessionStorage.removeItem(STORAGE_KEY);
  render('');
});

render(sessionStorage.getItem(STORAGE_KEY) ?? '');
