import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { PreSerialized } from '../graphql/realtime/shared-execution';

type SendCallback = (error?: Error) => void;
type SendOptions = { mask?: boolean; binary?: boolean; compress?: boolean; fin?: boolean };

/**
 * graphql-ws waits for each message's send callback before it takes the subscription's
 * next one, i.e. for the write to complete: one message in flight per subscriber, an
 * event-loop turn each. While little is buffered in this process the callback fires at
 * once instead; past this many bytes it waits for the write again, so a client that
 * stops reading stalls its subscriptions and their backlog (the hub's bound) fills up.
 */
export const EAGER_ACK_BELOW_BYTES = 256 * 1024;

/**
 * The socket class of the graphql-ws server: puts pre-serialized results into `next`
 * messages (one per payload), acknowledges sends early while little is buffered, and coalesces a
 * subscriber's burst into one write.
 */
export class SplicingWebSocket extends WebSocket {
  private corked = false;

  override send(data: unknown, optionsOrCb?: SendOptions | SendCallback, cb?: SendCallback): void {
    const options = typeof optionsOrCb === 'function' ? {} : (optionsOrCb ?? {});
    const callback = typeof optionsOrCb === 'function' ? (optionsOrCb as SendCallback) : cb;
    this.coalesce();
    if (typeof data === 'string') {
      // Several messages from one step (a backlog): all but the last need no callback.
      const messages = PreSerialized.splice(data);
      for (let i = 0; i < messages.length - 1; i += 1) super.send(messages[i]!, options);
      data = messages[messages.length - 1]!;
    }
    if (callback && this.bufferedAmount < EAGER_ACK_BELOW_BYTES) {
      // A failed write closes the socket, and graphql-ws cleans up on close.
      super.send(data as string, options);
      queueMicrotask(() => callback());
      return;
    }
    super.send(data as string, options, callback);
  }

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
