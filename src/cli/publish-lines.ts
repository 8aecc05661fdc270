import { AUTH_CODES, HookgraphError, NetworkError, type EventPublishInput, type HookgraphClient, type UserErrorFieldsFragment } from '@hookgraph/client';
import type { NdjsonLine } from './ndjson';
import { formatUserError } from './output';

export interface PublishSummary {
  published: number;
  replayed: number;
  refused: number;
}

export interface PublishLinesOptions {
  /** Events a call (eventPublishBatch takes 1,000 at most). */
  batchSize: number;
  /** Told of each refused line, in order. */
  onRefused(line: number, reason: string): void;
  /** Told after each batch: the bytes read so far and the lines counted. */
  onProgress(bytes: number, lines: number): void;
}

type EventLine = Extract<NdjsonLine, { kind: 'event' }>;

/** An entry's error reads as the field within the line (`data.x`), not within the batch (`events.3.data.x`). */
const withinLine = (e: UserErrorFieldsFragment) => formatUserError({ ...e, field: e.field?.slice(2) ?? null });

/**
 * Publishes the lines in batches with eventPublishBatch's `events`, one batch at a time.
 * A line the server refuses, or a whole batch it refuses, is counted and reported and the
 * rest go on; a network failure (after the client's retries) or a refused key stops it.
 */
export async function publishLines(client: HookgraphClient, lines: AsyncIterable<NdjsonLine>, options: PublishLinesOptions): Promise<PublishSummary> {
  const summary: PublishSummary = { published: 0, replayed: 0, refused: 0 };
  const refuse = (line: number, reason: string) => {
    summary.refused += 1;
    options.onRefused(line, reason);
  };
  const batch: EventLine[] = [];
  let bytes = 0;
  let counted = 0;

  const send = async (sent: EventLine[]) => {
    const refuseAll = (reason: string) => sent.forEach((l) => refuse(l.line, reason));
    let payload: Awaited<ReturnType<HookgraphClient['publishBatch']>>;
    try {
      payload = await client.publishBatch({ events: sent.map((l): EventPublishInput => l.input) });
    } catch (error) {
      if (error instanceof NetworkError || !(error instanceof HookgraphError) || AUTH_CODES.has(error.code)) throw error;
      return refuseAll(`${error.message} (${error.code})`);
    }
    if (payload.userErrors.length) return refuseAll(payload.userErrors.map(formatUserError).join('; '));
    (payload.results ?? []).forEach((result, i) => {
      if (result.userErrors.length) refuse(sent[i]!.line, result.userErrors.map(withinLine).join('; '));
      else if (result.replayed) summary.replayed += 1;
      else summary.published += 1;
    });
  };

  for await (const line of lines) {
    bytes += line.bytes;
    counted += 1;
    if (line.kind === 'refused') refuse(line.line, line.reason);
    else batch.push(line);
    if (batch.length >= options.batchSize) {
      await send(batch.splice(0));
      options.onProgress(bytes, counted);
    }
  }
  if (batch.length) await send(batch);
  options.onProgress(bytes, counted);
  return summary;
}
