import type { RateLimit } from '../domain/destination/destination.entity';
import { paceOf, takeTokens } from '../domain/destination/pace';
import { leaseStatement, toClaimed, type Claimed } from './claim-due';
import type { DeliveryRow } from './delivery-row';
import { inFlightStatement, joinLineStatement, lineStatement, linesWithWorkStatement, releaseLineStatement } from './destination-line';
import type { QueueTx, Statement } from './queue-transaction';

export interface LineClaimInput {
  workerId: string;
  destinationId: string;
  now: Date;
  leaseMs: number;
  /** At most this many (this process's free room). */
  limit: number;
}

export interface LineClaimResult {
  claimed: Claimed[];
  /**
   * When to claim from this line again: when the bucket has a token (its rate limit held
   * the line back), or null: when a request to it finishes or something new joins the line
   * (its max concurrency, or this process's room, held it back; or the line is empty).
   */
  nextAt: number | null;
  /** Deliveries were left waiting in the line. */
  waiting: boolean;
}

interface DestinationRow {
  status: string;
  rate_limit: string | null;
  pace_at: number | string | null;
  circuit_open_until: number | string | null;
  deleted_at: number | string | null;
}

/**
 * A destination's rate limit and max concurrency, kept across every worker of
 * every process: the deliveries of a destination with limits wait in its line (due_at =
 * IN_LINE, out of the ordinary claim's reach; ix_deliveries_line) and this claim takes as
 * many from it, oldest first, as the limits allow now. The destination's row is locked
 * for the transaction (MySQL: FOR UPDATE; SQLite has one writer), so claims of one line
 * never overlap: the count of requests in flight and the bucket (pace.ts, the row's
 * pace_at) are exact. Deliveries of the destination that became due (new, retries, leases
 * expired) join the line first. A destination that is not sending takes nothing; one
 * that lost its limits gets its line back as due, for the ordinary claim.
 */
export async function claimLine(tx: QueueTx, input: LineClaimInput): Promise<LineClaimResult> {
  const now = input.now.getTime();
  const id = input.destinationId;
  const [destinations, , inFlight] = await tx.send([
    { sql: `SELECT status, rate_limit, pace_at, circuit_open_until, deleted_at FROM destinations WHERE id = ?${tx.dialect.forUpdate}`, params: [id] },
    joinLineStatement(tx.dialect, id, now),
    inFlightStatement(tx.dialect, id, now, input.leaseMs),
  ]);
  // The bucket is read and billed at the time the destination's lock is held: claims of
  // one line (in any process) then bill in the order of their times.
  const at = Math.max(now, Date.now());
  const destination = (destinations as DestinationRow[])[0];
  const limits = destination?.deleted_at == null && destination?.rate_limit ? (JSON.parse(destination.rate_limit) as RateLimit) : null;
  if (!destination || !limits) {
    // Deleted (its waiting deliveries were cancelled) or no longer limited: the line goes back to the queue.
    await tx.send([releaseLineStatement(id, now)], { commit: true });
    return { claimed: [], nextAt: null, waiting: false };
  }
  const sending = destination.status === 'ACTIVE' && !(Number(destination.circuit_open_until ?? 0) > at);
  const busy = Number((inFlight as { n: number | string }[])[0]!.n);
  const free = Math.min(input.limit, limits.maxConcurrency == null ? Infinity : limits.maxConcurrency - busy);
  const pace = paceOf(limits);
  const paceAt = destination.pace_at == null ? null : Number(destination.pace_at);
  // What the bucket would let go, asked for no more than the concurrency leaves room for.
  const tokens = pace ? takeTokens(paceAt, pace, at, Math.max(0, free)) : null;
  const want = sending ? Math.max(0, Math.min(free, tokens ? tokens.granted : Infinity)) : 0;
  // One row more than taken tells whether the line goes on.
  const [read] = await tx.send([lineStatement(tx.dialect, id, want + 1)]);
  const rows = read as DeliveryRow[];
  const taken = rows.slice(0, want);
  const waiting = rows.length > taken.length;
  const leaseUntil = at + input.leaseMs;
  // The bucket billed for what was taken (no more than it granted).
  const billed = pace ? takeTokens(paceAt, pace, at, taken.length) : null;
  const writes: Statement[] = [];
  if (taken.length) {
    writes.push(leaseStatement(input.workerId, leaseUntil, at, taken));
    if (billed) writes.push({ sql: `UPDATE destinations SET pace_at = ? WHERE id = ?`, params: [billed.paceAt, id] });
  }
  await tx.send(writes, { commit: true });
  // Held back by the bucket: claim again when it has a token. Otherwise a finished request, or a newcomer, wakes the line.
  const bucketBound = sending && waiting && billed !== null && tokens !== null && taken.length === tokens.granted && tokens.granted < free;
  const nextAt = bucketBound ? billed.nextAt : null;
  return { claimed: taken.map((row) => toClaimed(row, input.workerId, leaseUntil, at)), nextAt, waiting };
}

/**
 * Of these limited destinations, those with deliveries due or waiting in their line: the
 * lines the poll claims (one statement, where claiming every line would take a lock each).
 */
export async function linesWithWork(tx: QueueTx, destinationIds: string[], now: number): Promise<string[]> {
  const { sql, params } = linesWithWorkStatement(tx.dialect, destinationIds, now);
  return (await tx.rows<{ id: string }>(sql, params)).map((row) => row.id);
}
