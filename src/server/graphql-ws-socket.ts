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
 * messages (one per payload), sends a step's messages in one write, and acknowledges
 * sends early while little is buffered.
 */
export class SplicingWebSocket extends WebSocket {
  override send(data: unknown, optionsOrCb?: SendOptions | SendCallback, cb?: SendCallback): void {
    const options = typeof optionsOrCb === 'function' ? {} : (optionsOrCb ?? {});
    const callback = typeof optionsOrCb === 'function' ? (optionsOrCb as SendCallback) : cb;
    const messages = typeof data === 'string' ? PreSerialized.splice(data) : [data as string];
    const last = messages.length - 1;
    // A backlog's messages leave in one system call, and at once: a write held back for
    // later would wait for every other subscriber's step of the same event.
    const socket = last > 0 ? this.openSocket() : null;
    socket?.cork();
    for (let i = 0; i < last; i += 1) super.send(messages[i]!, options);
    if (callback && this.bufferedAmount < EAGER_ACK_BELOW_BYTES) {
      // A failed write closes the socket, and graphql-ws cleans up on close.
      super.send(messages[last]!, options);
      queueMicrotask(() => callback());
    } else {
      super.send(messages[last]!, options, callback);
    }
    socket?.uncork();
  }

  private openSocket(): Socket | null {
    const socket = (this as unknown as { _socket?: Socket })._socket;
    return socket && !socket.destroyed ? socket : null;
  }
}
