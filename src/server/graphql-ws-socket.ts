import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { PreSerialized } from '../graphql/realtime/shared-execution';

/**
 * Puts pre-serialized results into graphql-ws `next` messages without serializing them
 * again per subscriber. graphql-ws builds `{"id":…,"type":"next","payload":…}` with
 * JSON.stringify and hands the string straight to `socket.send` in the same tick; the
 * payload's `toJSON` leaves a marker there and remembers the JSON, which `send` splices in.
 */
const MARKER = '\u2063hookgraph:pre-serialized\u2063';
const TAIL = `${JSON.stringify(MARKER)}}`;
let pending: string | null = null;

Object.defineProperty(PreSerialized.prototype, 'toJSON', {
  value(this: PreSerialized) {
    pending = this.json;
    return MARKER;
  },
});

type SendCallback = (error?: Error) => void;

/**
 * graphql-ws waits for each message's send callback before it takes the subscription's
 * next one, i.e. for the write to complete: one message in flight per subscriber, an
 * event-loop turn each. While little is buffered in this process the callback fires at
 * once instead; past this many bytes it waits for the write again, so a client that
 * stops reading stalls its subscriptions and their backlog (the hub's bound) fills up.
 */
export const EAGER_ACK_BELOW_BYTES = 256 * 1024;
type SendOptions = { mask?: boolean; binary?: boolean; compress?: boolean; fin?: boolean };

export class SplicingWebSocket extends WebSocket {
  override send(data: unknown, optionsOrCb?: SendOptions | SendCallback, cb?: SendCallback): void {
    if (pending !== null && typeof data === 'string' && data.endsWith(TAIL)) {
      data = data.slice(0, -TAIL.length) + pending + '}';
    }
    pending = null;
    const options = typeof optionsOrCb === 'function' ? {} : (optionsOrCb ?? {});
    const callback = typeof optionsOrCb === 'function' ? (optionsOrCb as SendCallback) : cb;
    this.coalesce();
    if (callback && this.bufferedAmount < EAGER_ACK_BELOW_BYTES) {
      // A failed write closes the socket, and graphql-ws cleans up on close.
      super.send(data as string, options);
      queueMicrotask(() => callback());
      return;
    }
    super.send(data as string, options, callback);
  }

  private corked = false;

  /**
   * The messages one subscriber sends in a burst (its backlog draining) leave in one
   * write instead of one system call each: cork now, uncork once this tick's work is done.
   */
  private coalesce(): void {
    const socket = (this as unknown as { _socket?: Socket })._socket;
    if (this.corked || !socket || socket.destroyed) return;
    this.corked = true;
    socket.cork();
    process.nextTick(() => {
      this.corked = false;
      socket.uncork();
    });
  }
}
