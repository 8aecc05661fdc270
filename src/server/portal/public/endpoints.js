// The tenant's endpoints: each destination with the event types its webhook sends it, its
// health and statistics; an ADMIN token creates, edits, pauses, re-enables, tests, rotates
// the secret of and deletes them, and recovers what failed to reach one or replays what it
// wants (bulk jobs whose progress shows live).
import { statsView } from './charts.js';
import { $, confirmButton, el, notify, when } from './dom.js';

const DESTINATION_FIELDS = 'id name url status statusReason circuit { failureStreak openUntil } signing { secretHint }';
const STATS_FIELDS = 'attempts successes failures successRate p50Ms p95Ms series { start attempts successes failures p50Ms p95Ms }';
const STATS_QUERY = `query ($id: ID!, $hour: DateTimeISO!, $day: DateTimeISO!, $now: DateTimeISO!) { node(id: $id) { ... on Destination {
  hour: stats(since: $hour, until: $now) { ${STATS_FIELDS} } day: stats(since: $day, until: $now) { ${STATS_FIELDS} } } } }`;
const HOUR_MS = 3600_000;
/** How far back a recovery or a replay reaches. */
const JOB_WINDOWS = [
  ['1', 'last hour'],
  ['24', 'last day'],
  ['168', 'last 7 days'],
];
const JOB_FIELDS = 'id kind status total done error';
/**
 * The two jobs an endpoint's card starts, over the chosen window: a recovery sends its
 * FAILED deliveries again; a replay sends every event its webhook wants again, as new
 * deliveries (a new endpoint that wants the history, one that lost what it received).
 */
const WINDOW_JOBS = {
  recover: {
    mutation: 'destinationRecover',
    target: (d) => d.id,
    nothing: (d) => `Nothing to recover: no failed deliveries to ${d.name} in that time.`,
    text: {
      QUEUED: 'Recovery queued',
      RUNNING: 'Recovering failed deliveries',
      SUCCEEDED: 'Recovered: sent again',
      FAILED: 'Recovery failed',
      CANCELLED: 'Recovery cancelled',
    },
  },
  replay: {
    mutation: 'webhookReplay',
    target: (d) => d.webhook.id,
    nothing: (d) => `Nothing to replay: no events for ${d.name} in that time.`,
    text: { QUEUED: 'Replay queued', RUNNING: 'Replaying events', SUCCEEDED: 'Replayed: sent again', FAILED: 'Replay failed', CANCELLED: 'Replay cancelled' },
  },
};
const JOB_ENDED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

const isHeld = (d) => d.status !== 'ACTIVE' || (d.circuit.openUntil && new Date(d.circuit.openUntil) > new Date());
/** Types typed by hand: `order.created`, `order.*` or `*`, separated by commas or spaces. */
const typedTypes = (text) => text.split(/[\s,]+/).filter(Boolean);

export function createEndpoints({ api, admin, client, onChange }) {
  /**
   * id → destination, with `webhook` (the one that picks its event types), `range` (the
   * chart shown) and `job` (the latest recovery or replay started here, as last heard).
   */
  const destinations = new Map();
  let knownTypes = [];
  let statsUnavailable = null;

  async function load() {
    const data = await api.gql(
      `{ destinations(first: 100) { nodes { ${DESTINATION_FIELDS} } } webhooks(first: 100) { nodes { id destinationId eventTypes enabled } } recentEventTypes }`,
    );
    knownTypes = data.recentEventTypes;
    destinations.clear();
    for (const d of data.destinations.nodes) destinations.set(d.id, { ...d, webhook: null, range: 'hour' });
    for (const w of data.webhooks.nodes) {
      const d = destinations.get(w.destinationId);
      if (d && !d.webhook) d.webhook = w;
    }
    $('#destinations').replaceChildren();
    for (const d of [...destinations.values()].reverse()) render(d);
    $('#no-destinations').hidden = destinations.size > 0;
    onChange();
    await Promise.all([...destinations.values()].map(loadStats));
  }

  function render(d) {
    const actions = admin
      ? el(
          'div',
          { class: 'actions' },
          el('button', { type: 'button', 'data-action': 'edit', onclick: () => openForm(d) }, 'Edit'),
          isHeld(d)
            ? el('button', { type: 'button', 'data-action': 'enable', onclick: () => setStatus(d, 'ACTIVE') }, 'Re-enable')
            : el('button', { type: 'button', 'data-action': 'pause', onclick: () => setStatus(d, 'PAUSED') }, 'Pause'),
          el('button', { type: 'button', 'data-action': 'test', onclick: (e) => testSend(d, e.target) }, 'Send test'),
          el(
            'select',
            { 'data-action': 'job-since', title: 'How far back to recover or replay', 'aria-label': 'Recover or replay the' },
            JOB_WINDOWS.map(([hours, label]) => el('option', { value: hours, selected: hours === '24' }, label)),
          ),
          confirmButton('Recover failed', 'Really send them again?', { 'data-action': 'recover' }, (button) => startWindowJob(d, button, 'recover')),
          d.webhook
            ? confirmButton('Replay all', 'Really send every event again?', { 'data-action': 'replay' }, (button) => startWindowJob(d, button, 'replay'))
            : null,
          confirmButton('Rotate secret', 'Really rotate?', { 'data-action': 'rotate' }, () => rotate(d)),
          confirmButton('Delete', 'Really delete?', { 'data-action': 'delete', class: 'danger' }, () => remove(d)),
        )
      : null;
    const item = el(
      'li',
      { 'data-destination-id': d.id, 'data-status': d.status },
      el('div', { class: 'endpoint-head' }, el('strong', { class: 'name' }, d.name), ' ', el('span', { class: 'status', 'data-status': d.status }, d.status)),
      el('div', { class: 'url' }, d.url),
      el(
        'div',
        { class: 'types' },
        'Event types: ',
        d.webhook?.eventTypes.length ? d.webhook.eventTypes.join(', ') : el('em', {}, 'none: it receives nothing'),
      ),
      d.statusReason ? el('div', { class: 'muted' }, d.statusReason) : null,
      d.circuit.openUntil && new Date(d.circuit.openUntil) > new Date()
        ? el('div', { class: 'muted' }, `held after failures until ${when(d.circuit.openUntil)}`)
        : null,
      el('div', { class: 'muted' }, `signing secret ${d.signing.secretHint}`),
      el(
        'div',
        { class: 'ranges', hidden: Boolean(statsUnavailable) },
        ['hour', 'day'].map((range) =>
          el(
            'button',
            { type: 'button', class: 'range', 'data-range': range, 'aria-pressed': String(d.range === range), onclick: () => showRange(d, range) },
            range === 'hour' ? 'Last hour' : 'Last day',
          ),
        ),
      ),
      el(
        'div',
        { class: 'stats-slot' },
        d.stats
          ? statsView(d.stats[d.range], d.range)
          : el(
              'span',
              { class: 'muted', title: statsUnavailable ?? undefined },
              statsUnavailable ? 'statistics unavailable on this server' : 'loading statistics…',
            ),
      ),
      el('div', { class: 'test-result muted' }),
      d.job ? jobView(d.job) : null,
      actions,
    );
    const existing = $(`#destinations li[data-destination-id="${CSS.escape(d.id)}"]`);
    if (existing) existing.replaceWith(item);
    else $('#destinations').prepend(item);
  }

  async function loadStats(d) {
    if (statsUnavailable) return render(d);
    const now = new Date();
    try {
      const data = await api.gql(STATS_QUERY, {
        id: d.id,
        now: now.toISOString(),
        hour: new Date(now.getTime() - HOUR_MS).toISOString(),
        day: new Date(now.getTime() - 24 * HOUR_MS).toISOString(),
      });
      if (data.node) d.stats = { hour: data.node.hour, day: data.node.day };
    } catch (error) {
      // A server without statistics answers that the field does not exist: the rest works.
      statsUnavailable = error.message;
    }
    if (destinations.get(d.id) === d) render(d);
  }

  function showRange(d, range) {
    d.range = range;
    render(d);
  }

  async function act(work, done) {
    try {
      const result = await work();
      if (done) notify(done);
      return result;
    } catch (error) {
      notify(error.message);
      return null;
    }
  }

  async function setStatus(d, status) {
    const payload = await act(() =>
      api.mutate(
        'destinationUpdate',
        `mutation ($id: ID!, $s: DestinationStatus!) { destinationUpdate(id: $id, input: { status: $s }) { destination { ${DESTINATION_FIELDS} } userErrors { message } } }`,
        {
          id: d.id,
          s: status,
        },
      ),
    );
    if (payload) statusChanged(payload.destination);
  }

  async function testSend(d, button) {
    button.disabled = true;
    const payload = await act(() =>
      api.mutate(
        'destinationTest',
        `mutation ($id: ID!) { destinationTest(id: $id) { attempt { outcome responseStatusCode durationMs error } userErrors { message } } }`,
        { id: d.id },
      ),
    );
    button.disabled = false;
    if (!payload) return;
    const a = payload.attempt;
    const slot = $(`#destinations li[data-destination-id="${CSS.escape(d.id)}"] .test-result`);
    slot.dataset.outcome = a.outcome;
    slot.textContent = `Test: ${a.outcome}${a.responseStatusCode ? ` ${a.responseStatusCode}` : ''} in ${a.durationMs} ms${a.error ? ` (${a.error})` : ''}`;
  }

  /**
   * A recovery or a replay of the endpoint over the chosen window, as a bulk job followed
   * live; counted first, so that nothing to do starts no job.
   */
  async function startWindowJob(d, button, which) {
    const kind = WINDOW_JOBS[which];
    const hours = Number(button.parentElement.querySelector('select[data-action=job-since]').value);
    const since = new Date(Date.now() - hours * HOUR_MS).toISOString();
    const start = (dryRun) =>
      api.mutate(
        kind.mutation,
        `mutation ($id: ID!, $since: DateTimeISO!, $dryRun: Boolean!) { ${kind.mutation}(id: $id, since: $since, dryRun: $dryRun) { matched job { ${JOB_FIELDS} } userErrors { message } } }`,
        { id: kind.target(d), since, dryRun },
      );
    const counted = await act(() => start(true));
    if (!counted) return;
    if (!counted.matched) return notify(kind.nothing(d));
    const payload = await act(() => start(false));
    if (!payload?.job) return;
    showJob(d.id, payload.job);
    const stop = client.subscribe(
      { query: `subscription ($id: ID!) { bulkJobProgress(id: $id) { ${JOB_FIELDS} } }`, variables: { id: payload.job.id } },
      {
        next: (result) => {
          const job = result.data?.bulkJobProgress;
          if (!job) return;
          showJob(d.id, job);
          if (JOB_ENDED.includes(job.status)) stop();
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }

  /** A job's latest state, on its endpoint's card; an older one (fewer done) arriving late is ignored. */
  function showJob(destinationId, job) {
    const d = destinations.get(destinationId);
    if (!d || (d.job?.id === job.id && (job.done < d.job.done || JOB_ENDED.includes(d.job.status)))) return;
    d.job = job;
    render(d);
  }

  function jobView(job) {
    const text = WINDOW_JOBS[job.kind === 'REPLAY' ? 'replay' : 'recover'].text[job.status];
    return el(
      'div',
      { class: 'endpoint-job', 'data-kind': job.kind, 'data-status': job.status },
      `${text}${job.error ? `: ${job.error}` : ''} `,
      el('progress', { max: Math.max(job.total, 1), value: job.done }),
      ` ${job.done} / ${job.total}`,
    );
  }

  async function rotate(d) {
    const payload = await act(() =>
      api.mutate(
        'destinationRotateSecret',
        `mutation ($id: ID!) { destinationRotateSecret(id: $id) { destination { ${DESTINATION_FIELDS} } signingSecret userErrors { message } } }`,
        {
          id: d.id,
        },
      ),
    );
    if (!payload) return;
    showSecret(d.id, payload.signingSecret, `New signing secret of ${d.name}; the previous one also signs for 24 h.`);
    statusChanged(payload.destination);
  }

  async function remove(d) {
    const payload = await act(
      () => api.mutate('destinationDelete', `mutation ($id: ID!) { destinationDelete(id: $id) { deletedId userErrors { message } } }`, { id: d.id }),
      `${d.name} deleted`,
    );
    if (!payload) return;
    destinations.delete(d.id);
    if ($('#secret').dataset.destinationId === d.id) hideSecret();
    $(`#destinations li[data-destination-id="${CSS.escape(d.id)}"]`)?.remove();
    $('#no-destinations').hidden = destinations.size > 0;
    onChange();
  }

  function showSecret(destinationId, secret, text) {
    $('#secret').dataset.destinationId = destinationId;
    $('#secret-text').textContent = text;
    $('#secret-value').textContent = secret;
    $('#secret').hidden = false;
  }

  function hideSecret() {
    $('#secret-value').textContent = '';
    $('#secret').hidden = true;
  }

  // ---- the create / edit form ---------------------------------------------------------

  function openForm(d = null) {
    const form = $('#endpoint-form');
    form.reset();
    form.dataset.editing = d?.id ?? '';
    $('#endpoint-form-title').textContent = d ? `Edit ${d.name}` : 'New endpoint';
    form.elements.name.value = d?.name ?? '';
    form.elements.url.value = d?.url ?? '';
    const current = d?.webhook?.eventTypes ?? [];
    const choices = [...new Set([...knownTypes, ...current])].sort();
    $('#type-choices').replaceChildren(
      ...choices.map((type) =>
        el('label', { class: 'type-choice' }, el('input', { type: 'checkbox', name: 'type', value: type, checked: current.includes(type) }), ` ${type}`),
      ),
    );
    $('#no-known-types').hidden = choices.length > 0;
    form.hidden = false;
    form.elements.name.focus();
  }

  async function submitForm(event) {
    event.preventDefault();
    const form = event.target;
    const d = destinations.get(form.dataset.editing) ?? null;
    const eventTypes = [
      ...new Set([...[...form.querySelectorAll('input[name=type]:checked')].map((c) => c.value), ...typedTypes(form.elements.otherTypes.value)]),
    ];
    if (!eventTypes.length) return notify('Choose at least one event type (or type *, for all of them).');
    const input = { name: form.elements.name.value.trim(), url: form.elements.url.value.trim() };
    const saved = await act(async () => {
      const destination = d
        ? (
            await api.mutate(
              'destinationUpdate',
              `mutation ($id: ID!, $input: DestinationUpdateInput!) { destinationUpdate(id: $id, input: $input) { destination { id } userErrors { message } } }`,
              { id: d.id, input },
            )
          ).destination
        : await create(input);
      await saveTypes(destination.id, d?.webhook ?? null, input.name, eventTypes);
      return destination;
    });
    if (!saved) return;
    form.hidden = true;
    notify(d ? `${input.name} saved` : `${input.name} created`);
    await load();
  }

  async function create(input) {
    const payload = await api.mutate(
      'destinationCreate',
      `mutation ($input: DestinationCreateInput!) { destinationCreate(input: $input) { destination { id } signingSecret userErrors { message } } }`,
      { input },
    );
    showSecret(payload.destination.id, payload.signingSecret, `Signing secret of ${input.name}: shown only now. Verify every request with it.`);
    return payload.destination;
  }

  function saveTypes(destinationId, webhook, name, eventTypes) {
    if (webhook) {
      return api.mutate(
        'webhookUpdate',
        `mutation ($id: ID!, $t: [String!]!) { webhookUpdate(id: $id, input: { eventTypes: $t }) { userErrors { message } } }`,
        {
          id: webhook.id,
          t: eventTypes,
        },
      );
    }
    return api.mutate('webhookCreate', `mutation ($input: WebhookCreateInput!) { webhookCreate(input: $input) { webhook { id } userErrors { message } } }`, {
      input: { name, destinationId, eventTypes },
    });
  }

  /** A destination's new state (from a mutation or the live stream). */
  function statusChanged(destination) {
    const d = destinations.get(destination.id);
    if (!d) return;
    Object.assign(d, destination);
    render(d);
  }

  if (admin) {
    $('#new-endpoint').hidden = false;
    $('#new-endpoint').addEventListener('click', () => openForm());
    $('#endpoint-form').addEventListener('submit', submitForm);
    $('#endpoint-form-cancel').addEventListener('click', () => ($('#endpoint-form').hidden = true));
  }
  $('#secret-close').addEventListener('click', hideSecret);

  return {
    load,
    statusChanged,
    refreshStats: () => Promise.all([...destinations.values()].map(loadStats)),
    list: () => [...destinations.values()],
    knownTypes: () => knownTypes,
  };
}
