// Shows hookgraph's deliveries as they happen: a `deliveryUpdated` subscription over the
// graphql-transport-ws protocol, spoken directly on a WebSocket (a few messages; no library,
// nothing loaded from elsewhere).

const PROTOCOL = 'graphql-transport-ws';
const SUBSCRIPTION = `subscription {
  deliveryUpdated { id status attemptCount lastStatusCode updatedAt event { id type } }
}`;

const form = document.getElementById('connect');
const statusLine = document.getElementById('status');
const rows = document.querySelector('#deliveries tbody');
let socket = null;

// The URL may say where hookgraph is (`?api=`) and the key (`#key=`: a fragment never leaves the browser).
form.api.value = new URLSearchParams(location.search).get('api') ?? 'http://127.0.0.1:4000';
form.key.value = new URLSearchParams(location.hash.slice(1)).get('key') ?? '';

form.addEventListener('submit', (event) => {
  event.preventDefault();
  subscribe(form.api.value.trim(), form.key.value.trim());
});
if (form.key.value) subscribe(form.api.value, form.key.value);

function subscribe(api, key) {
  socket?.close(1000, 'reconnecting');
  const url = new URL('/graphql', api);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  show('connecting', `Connecting to ${url}…`);
  const ws = new WebSocket(url, PROTOCOL);
  socket = ws;
  const send = (message) => ws.send(JSON.stringify(message));
  ws.onopen = () => send({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } });
  ws.onmessage = ({ data }) => {
    const message = JSON.parse(data);
    switch (message.type) {
      case 'connection_ack':
        send({ id: 'deliveries', type: 'subscribe', payload: { query: SUBSCRIPTION } });
        show('live', 'Live: deliveries appear here as hookgraph sends them.');
        return;
      case 'ping':
        send({ type: 'pong' });
        return;
      case 'next':
        if (message.payload.errors) show('closed', message.payload.errors.map((e) => e.message).join('; '));
        else render(message.payload.data.deliveryUpdated);
        return;
      case 'error':
        show('closed', message.payload.map((e) => e.message).join('; '));
        return;
    }
  };
  ws.onclose = ({ code, reason }) => {
    if (socket === ws) show('closed', `Disconnected (${code}${reason ? `: ${reason}` : ''}).`);
  };
}

function show(state, text) {
  statusLine.dataset.state = state;
  statusLine.textContent = text;
}

/** One row per delivery, updated in place as its status changes; the newest on top. */
function render(delivery) {
  let row = rows.querySelector(`tr[data-delivery-id="${CSS.escape(delivery.id)}"]`);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.deliveryId = delivery.id;
    row.dataset.eventId = delivery.event.id;
    for (const name of ['updated', 'type', 'event', 'delivery', 'status', 'attempts', 'code']) {
      const cell = document.createElement('td');
      cell.className = name;
      row.append(cell);
    }
  }
  rows.prepend(row);
  const cells = {
    updated: new Date(delivery.updatedAt).toLocaleTimeString(),
    type: delivery.event.type,
    event: delivery.event.id,
    delivery: delivery.id,
    status: delivery.status,
    attempts: String(delivery.attemptCount),
    code: delivery.lastStatusCode === null ? '—' : String(delivery.lastStatusCode),
  };
  // textContent only: what a delivery carries is never markup.
  for (const [name, text] of Object.entries(cells)) row.querySelector(`.${name}`).textContent = text;
}
