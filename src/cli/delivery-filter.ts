import type { DeliveryFilter, DeliveryStatus } from '@hookgraph/client';
import type { Command } from 'commander';
import { parseStatuses } from './output';

const STATUSES: readonly DeliveryStatus[] = ['PENDING', 'IN_FLIGHT', 'RETRY_SCHEDULED', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export interface FilterOptions {
  status?: DeliveryStatus[];
  eventType?: string[];
  destination?: string;
  webhook?: string;
}

const collectTypes = (text: string, earlier: string[] = []) => [...earlier, ...text.split(',').map((t) => t.trim())];

/** `--status`, `--event-type`, `--destination`, `--webhook`: the same selection for list, retry and tail. */
export function addFilterOptions(command: Command): Command {
  return command
    .option('--status <statuses>', `only these statuses (comma-separated: ${STATUSES.join(', ')})`, parseStatuses(STATUSES))
    .option('--event-type <types>', 'only these event types (comma-separated; repeatable)', collectTypes)
    .option('--destination <id>', 'only this destination')
    .option('--webhook <id>', 'only this webhook');
}

export function toFilter(opts: FilterOptions): DeliveryFilter {
  return { status: opts.status, eventType: opts.eventType, destinationId: opts.destination, webhookId: opts.webhook };
}

/** True when any selection option was given. */
export function hasFilter(opts: FilterOptions): boolean {
  return Object.values(toFilter(opts)).some((v) => v !== undefined);
}
