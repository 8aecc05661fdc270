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
type SendOptions = { mask?: boolean; binary?: boolean; compress?: boolean; fin?: boolean };

export class SplicingWebSocket extends WebSocket {
  override send(data: unknown, optionsOrCb?: SendOptions | SendCallback, cb?: SendCallback): void {
    if (pending !== null && typeof data === 'string' && data.endsWith(TAIL)) {
      data = data.slice(0, -TAIL.length) + pending + '}';
    }
    pending = null;
    if (typeof optionsOrCb === 'function') super.send(data as string, optionsOrCb as SendCallback);
    else super.send(data as string, optionsOrCb ?? {}, cb);
  }
}
