// Sync runs: the latest runs of data streams, their rows and what their deliveries came to,
// read again every few seconds while a key is connected.
import { $, el, report, timeElement } from './dom.js';

export const RUN_FIELDS = 'id stream mode status rows deletes delivered failed outcome createdAt finishedAt';
const RUNS_QUERY = `query { syncRuns(first: 20) { nodes { ${RUN_FIELDS} } } }`;
/** Runs change with their deliveries, which announce nothing about runs: they are read again this often. */
const REFRESH_MS = 3000;

const view = { session: null, timer: null };

/** Binds the list to `session` (null: nobody's) and reads it now and every REFRESH_MS. */
export function watchRuns(session) {
  clearInterval(view.timer);
  Object.assign(view, { session, timer: null });
  $('#runs').replaceChildren();
  $('#runs-empty').hidden = false;
  if (!session) return;
  view.timer = setInterval(() => loadRuns(session), REFRESH_MS);
  loadRuns(session);
}

async function loadRuns(session) {
  try {
    const data = await session.gql(RUNS_QUERY);
    if (session !== view.session) return;
    $('#runs').replaceChildren(...data.syncRuns.nodes.map(renderRun));
    $('#runs-empty').hidden = data.syncRuns.nodes.length > 0;
  } catch (error) {
    report(error);
  }
}

function renderRun(run) {
  const counts = `${run.rows} rows${run.deletes ? ` (${run.deletes} deletes)` : ''} · ${run.delivered} delivered · ${run.failed} failed`;
  return el(
    'li',
    { 'data-run-id': run.id, 'data-status': run.status },
    el('strong', { class: 'name' }, run.stream),
    ' ',
    el('span', { class: 'muted' }, run.mode.toLowerCase()),
    ' ',
    el('span', { class: 'run-status', 'data-status': run.status }, run.status),
    run.outcome ? el('span', { class: 'run-outcome', 'data-outcome': run.outcome }, ` ${run.outcome}`) : '',
    el('div', { class: 'run-counts' }, counts),
    el(
      'div',
      { class: 'muted' },
      'started ',
      timeElement(run.createdAt),
      run.finishedAt ? ' · finished ' : '',
      run.finishedAt ? timeElement(run.finishedAt) : '',
    ),
  );
}
