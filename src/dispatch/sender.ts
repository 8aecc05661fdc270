import type { SecretBox } from '../domain/secrets/secret-box';
import type { Tracing } from '../observability/tracing';
import { runAttempt } from './attempt-runner';
import type { CompletionWriter } from './completion-writer';
import type { DestinationLines } from './destination-lines';
import { finishAttempt, finishUnbuildable } from './finish';
import type { HttpClient } from './http-client';
import type { LeaseRelease } from './lease-release';
import type { Ready, SlotSender } from './request-slots';

/** A request's timeout stays this far inside the lease, so a live worker never loses a lease it is using. */
const LEASE_MARGIN_MS = 500;
/** A delivery whose lease has less left than this (plus the margin) goes back to the queue unsent. */
const MIN_TIMEOUT_MS = 100;

export interface SenderDeps {
  http: HttpClient;
  box: SecretBox;
  tracing: Tracing;
  writer: CompletionWriter;
  leases: LeaseRelease;
  lines: DestinationLines;
  /** A retry this process scheduled comes due at `at`. */
  wakeAt(at: number): void;
}

/**
 * One delivery in its request slot: the request ends inside the lease (it may have waited
 * for a slot since the claim), and its result joins the completion writer's next batch.
 * Until that commits, the lease is held and the delivery counts as unrecorded (see
 * request-slots.ts). No transaction is open while the request is on the wire.
 */
export class Sender implements SlotSender {
  constructor(private readonly deps: SenderDeps) {}

  async send({ claimed, event, webhook, destination }: Ready, signal: AbortSignal): Promise<void> {
    const { http, box, writer, leases, lines } = this.deps;
    const d = claimed.delivery;
    const leaseLeft = (d.dueAt?.getTime() ?? 0) - Date.now() - LEASE_MARGIN_MS;
    if (leaseLeft < MIN_TIMEOUT_MS) {
      await leases.release([claimed], new Date());
      return;
    }
    const timeoutMs = Math.min(destination.timeoutMs, leaseLeft);
    const attemptNumber = d.attemptCount + 1;
    const span = this.deps.tracing.attempt(event.traceParent, {
      'hookgraph.delivery.id': d.id,
      'hookgraph.destination.id': destination.id,
      'hookgraph.attempt': attemptNumber,
    });
    const traceparent = span.traceparent;
    const result = await runAttempt(http, box, { event, webhook, destination, deliveryId: d.id, attemptNumber, timeoutMs, signal, traceparent });
    span.end(result.kind === 'SENT' ? (result.outcome.kind === 'SUCCESS' ? undefined : result.outcome.error) : result.error.message);
    if (signal.aborted && !(result.kind === 'SENT' && result.exchange.kind === 'RESPONSE')) {
      // Cut off by the end of a stop's grace: the lease goes back for another worker, and
      // the delivery is sent again (the receiver may have had this one: a duplicate, with
      // the same webhook-id). An answer that arrived in time is recorded like any other.
      await leases.release([claimed], new Date());
      return;
    }
    if (result.kind === 'UNBUILDABLE') {
      void writer.write(finishUnbuildable(d, result.error));
      return;
    }
    const finished = finishAttempt(claimed, result, destination, new Date());
    const dueAt = finished.completion.dueAt;
    void writer.write(finished).then(() => {
      if (!dueAt) return;
      if (destination.rateLimit) lines.touchAt(destination.id, dueAt.getTime());
      this.deps.wakeAt(dueAt.getTime());
    });
  }
}
