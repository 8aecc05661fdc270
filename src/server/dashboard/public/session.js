// One key's connection to the API: GraphQL over HTTP and over graphql-ws. When the page
// lets the key go (another key, Disconnect), answers still on their way are dropped, so
// nothing of the old key is shown to the new one.
import { createClient } from '/dashboard/vendor/graphql-ws/client.js';

/** graphql-ws close codes after which retrying cannot help. */
const CloseCode = { BadRequest: 4400, Forbidden: 4403 };

export class Session {
  /** @param onConnection (state, text) when the socket's state changes. */
  constructor(key, onConnection) {
    this.key = key;
    this.open = true;
    /** `viewer { role tenantId }`, once asked. */
    this.viewer = null;
    this.client = createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: () => ({ authorization: `Bearer ${key}` }),
      retryAttempts: 5,
      shouldRetry: (event) => !(event && [CloseCode.Forbidden, CloseCode.BadRequest].includes(event.code)),
      on: {
        connected: () => this.open && onConnection('live', 'live'),
        closed: (event) => {
          if (!this.open) return;
          if (event?.code === CloseCode.Forbidden) onConnection('refused', `key refused (${CloseCode.Forbidden})`);
          else onConnection('closed', `disconnected${event?.code ? ` (${event.code})` : ''}`);
        },
      },
    });
  }

  /** Only an ADMIN key may retry, cancel and re-enable. */
  get canManage() {
    return this.viewer?.role === 'ADMIN';
  }

  async gql(query, variables = {}) {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    this.assertOpen();
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data;
  }

  /** Calls `onData` with each result's data; errors are passed to `onError`. Returns the stop function. */
  subscribe(query, variables, onData, onError) {
    return this.client.subscribe(
      { query, variables },
      {
        next: (result) => {
          if (!this.open) return;
          if (result.errors?.length) onError(new Error(result.errors.map((e) => e.message).join('; ')));
          else onData(result.data);
        },
        error: (error) => this.open && onError(new Error(error?.message ?? (error?.reason || `connection closed (${error?.code ?? 'error'})`))),
        complete: () => undefined,
      },
    );
  }

  /** Throws a stale error (which `report` ignores) once the page has let this key go. */
  assertOpen() {
    if (!this.open) throw Object.assign(new Error('this key was let go'), { stale: true });
  }

  close() {
    this.open = false;
    this.client.dispose();
  }
}
