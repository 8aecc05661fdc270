import type { DispatchConfig } from '../config';

/**
 * Batches claimed ahead of the request slots at most. With one batch, a claim could start
 * only once the previous one's batch had mostly gone out, and the slots waited for its
 * round trips; with two, the next claim runs while the last one's batch waits for slots.
 */
export const CLAIMS_AHEAD = 2;

/** A part of the dispatcher that holds deliveries in a request slot or on their way to one. */
export interface Holder {
  readonly holding: number;
}

/**
 * How much more a dispatcher may take on. What it holds: deliveries on the wire, waiting
 * for a slot, loading their context, asked for by the running claim, and taken by
 * publishes not yet committed. Claims may fill `concurrency` slots and CLAIMS_AHEAD
 * batches beyond them, so a freed slot is filled at once instead of after a claim's round
 * trips; a publish may hand off only to free slots with nothing waiting for them.
 */
export class Room {
  private holders: readonly Holder[] = [];

  constructor(private readonly config: Pick<DispatchConfig, 'concurrency' | 'claimBatch'>) {}

  /** The parts whose deliveries count; set once, when the dispatcher is put together. */
  countHolders(...holders: Holder[]): void {
    this.holders = holders;
  }

  get busy(): number {
    let busy = 0;
    for (const holder of this.holders) busy += holder.holding;
    return busy;
  }

  /** How many more deliveries claims may take. */
  get forClaims(): number {
    return this.config.concurrency + CLAIMS_AHEAD * this.config.claimBatch - this.busy;
  }

  /** Request slots free with nothing waiting for them: what a publish may hand off. */
  get freeSlots(): number {
    return this.config.concurrency - this.busy;
  }
}
