import assert from 'node:assert/strict';
import { eventually } from '../support/deferred';
import type { GraphQLClient } from '../support/publish';

/** Shared steps of the bulk job suites: start, read and await jobs through the API. */

export const JOB_FIELDS = 'id kind status total done error';

export interface JobView {
  id: string;
  kind: string;
  status: string;
  total: number;
  done: number;
  error: string | null;
}

export const RECOVER = `mutation($id: ID!, $since: DateTimeISO!, $until: DateTimeISO, $dryRun: Boolean!) {
  destinationRecover(id: $id, since: $since, until: $until, dryRun: $dryRun) { matched job { ${JOB_FIELDS} } userErrors { field code message } }
}`;
export const REPLAY = `mutation($id: ID!, $since: DateTimeISO!, $until: DateTimeISO, $dryRun: Boolean!) {
  webhookReplay(id: $id, since: $since, until: $until, dryRun: $dryRun) { matched job { ${JOB_FIELDS} } userErrors { field code message } }
}`;
export const CANCEL = `mutation($id: ID!) { bulkJobCancel(id: $id) { job { ${JOB_FIELDS} } userErrors { field code message } } }`;
export const JOB = `query($id: ID!) { bulkJob(id: $id) { ${JOB_FIELDS} } }`;
export const PROGRESS = `subscription($id: ID!) { bulkJobProgress(id: $id) { ${JOB_FIELDS} } }`;

/** Starts a job (not a dry run) and returns it; userErrors or top-level errors fail the test. */
export async function startJob(t: GraphQLClient, mutation: string, variables: Record<string, unknown>, key?: string): Promise<JobView & { matched: number }> {
  const res = await t.gql(mutation, { dryRun: false, ...variables }, key);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const payload = Object.values(res.data as Record<string, { matched: number; job: JobView; userErrors: unknown[] }>)[0]!;
  assert.deepEqual(payload.userErrors, []);
  return { ...payload.job, matched: payload.matched };
}

export async function readJob(t: GraphQLClient, id: string, key?: string): Promise<JobView | null> {
  const res = await t.gql(JOB, { id }, key);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return (res.data as { bulkJob: JobView | null }).bulkJob;
}

export function waitJob(t: GraphQLClient, id: string, until: (job: JobView) => boolean, timeoutMs = 20_000): Promise<JobView> {
  return eventually(
    async () => {
      const job = await readJob(t, id);
      return job && until(job) ? job : null;
    },
    timeoutMs,
    50,
  );
}
