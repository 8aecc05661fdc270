// Bulk jobs (deliveriesRetry, destinationRecover, webhookReplay): the latest ones with how far
// each got, live from bulkJobProgress while it runs, and Cancel for ADMIN keys.
import { $, el, notify, report, timeElement } from './dom.js';

const JOB_FIELDS = 'id kind status total done error createdAt';
const JOBS_QUERY = `query { bulkJobs(first: 10) { nodes { ${JOB_FIELDS} } } }`;
const PROGRESS = `subscription ($id: ID!) { bulkJobProgress(id: $id) { ${JOB_FIELDS} } }`;
/** New jobs (started anywhere) are found by reading the list again this often; a running job's progress comes live. */
const REFRESH_MS = 3000;
const ACTIVE = ['QUEUED', 'RUNNING'];

const view = { session: null, timer: null, jobs: new Map(), following: new Map() };

/** Binds the list to `session` (null: nobody's) and reads it now and every REFRESH_MS. */
export function watchJobs(session) {
  clearInterval(view.timer);
  for (const stop of view.following.values()) stop();
  Object.assign(view, { session, timer: null, jobs: new Map(), following: new Map() });
  $('#jobs').replaceChildren();
  $('#jobs-empty').hidden = false;
  if (!session) return;
  view.timer = setInterval(() => loadJobs(session), REFRESH_MS);
  loadJobs(session);
}

async function loadJobs(session) {
  try {
    const data = await session.gql(JOBS_QUERY);
    if (session !== view.session) return;
    const jobs = data.bulkJobs.nodes;
    // The list's answer may be older than a progress message already shown: keep the later.
    for (const job of jobs) if (!isBehind(job, view.jobs.get(job.id))) view.jobs.set(job.id, job);
    $('#jobs').replaceChildren(...jobs.map((job) => renderJob(view.jobs.get(job.id))));
    $('#jobs-empty').hidden = jobs.length > 0;
    for (const job of jobs) follow(session, view.jobs.get(job.id));
  } catch (error) {
    report(error);
  }
}

/** A running job's progress, live, until it ends. */
function follow(session, job) {
  if (!ACTIVE.includes(job.status) || view.following.has(job.id)) return;
  const stop = session.subscribe(
    PROGRESS,
    { id: job.id },
    (data) => show(data.bulkJobProgress),
    (error) => {
      view.following.delete(job.id);
      report(error);
    },
  );
  view.following.set(job.id, stop);
}

function show(job) {
  if (isBehind(job, view.jobs.get(job.id))) return;
  view.jobs.set(job.id, job);
  $(`#jobs li[data-job-id="${CSS.escape(job.id)}"]`)?.replaceWith(renderJob(job));
  if (!ACTIVE.includes(job.status)) {
    view.following.get(job.id)?.();
    view.following.delete(job.id);
  }
}

/** A job's state never goes back to an earlier one: no fewer done, and an ended job stays ended. */
function isBehind(job, known) {
  if (!known) return false;
  return job.done < known.done || (ACTIVE.includes(job.status) && !ACTIVE.includes(known.status));
}

function renderJob(job) {
  return el(
    'li',
    { 'data-job-id': job.id, 'data-status': job.status },
    el('strong', { class: 'name' }, job.kind.toLowerCase()),
    ' ',
    el('span', { class: 'job-status', 'data-status': job.status }, job.status),
    ' ',
    cancelButton(job),
    el('div', { class: 'job-progress' }, el('progress', { max: Math.max(job.total, 1), value: job.done }), ` ${job.done} / ${job.total}`),
    job.error ? el('div', { class: 'job-error' }, job.error) : '',
    el('div', { class: 'muted' }, el('code', { title: job.id }, job.id.slice(-8)), ' · started ', timeElement(job.createdAt)),
  );
}

/** Cancel, for a key that may (ADMIN) and a job that has not ended. */
function cancelButton(job) {
  if (!view.session?.canManage || !ACTIVE.includes(job.status)) return '';
  return el('button', { type: 'button', 'data-action': 'cancel-job', onclick: (e) => cancel(e, job.id) }, 'Cancel');
}

async function cancel(event, id) {
  event.target.disabled = true;
  try {
    const data = await view.session.gql(`mutation ($id: ID!) { bulkJobCancel(id: $id) { job { ${JOB_FIELDS} } userErrors { message } } }`, { id });
    const payload = data.bulkJobCancel;
    if (payload.userErrors.length) notify(payload.userErrors.map((e) => e.message).join('; '));
    else if (payload.job) show(payload.job);
  } catch (error) {
    report(error);
    event.target.disabled = false;
  }
}
