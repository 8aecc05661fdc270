import type { DeliveryFieldsFragment, DeliveryStatus } from '@hookgraph/client';
import pc from 'picocolors';

const COLOUR: Record<DeliveryStatus, (text: string) => string> = {
  PENDING: pc.gray,
  IN_FLIGHT: pc.cyan,
  RETRY_SCHEDULED: pc.yellow,
  SUCCEEDED: pc.green,
  FAILED: pc.red,
  CANCELLED: pc.magenta,
};

/** The widest status, so that the columns after it line up. */
const STATUS_WIDTH = 'RETRY_SCHEDULED'.length;

/**
 * One readable line for a delivery change: time, status, event type, destination, response
 * code and duration of the latest attempt, delivery id. Coloured only on a terminal
 * (picocolors leaves text plain for pipes and NO_COLOR).
 */
export function deliveryLine(d: DeliveryFieldsFragment, now: Date = new Date()): string {
  const time = now.toISOString().slice(11, 23);
  const attempt = d.latestAttempt;
  const code = attempt?.responseStatusCode ?? d.lastStatusCode;
  const parts = [
    pc.dim(time),
    COLOUR[d.status](d.status.padEnd(STATUS_WIDTH)),
    pc.bold(d.eventType),
    `→ ${d.destination?.name ?? d.destinationId}`,
    code == null ? '-' : String(code),
    attempt ? `${attempt.durationMs} ms` : '-',
    pc.dim(d.id),
  ];
  if (d.status !== 'SUCCEEDED' && d.lastError) parts.push(pc.red(d.lastError));
  return parts.join('  ');
}
