// The portal's access to hookgraph: its token, GraphQL over HTTP, and the live socket.
import { createClient } from '/portal/vendor/graphql-ws/client.js';

const STORAGE_KEY = 'hookgraph.portal.token';
const FORBIDDEN = 4403;

const tokenInFragment = () => new URLSearchParams(location.hash.slice(1)).get('token');

/**
 * The portal token: from the URL's fragment (then taken out of the address bar, so it is
 * neither bookmarked nor shown), else the one this tab kept. A new token arriving in the
 * fragment later (an embedding page that refreshed its iframe's `src`: no reload, only a
 * changed fragment) starts the page afresh with it.
 */
export function takeToken() {
  window.addEventListener('hashchange', () => {
    if (tokenInFragment()) location.reload();
  });
  const fromUrl = tokenInFragment();
  if (fromUrl) {
    sessionStorage.setItem(STORAGE_KEY, fromUrl);
    history.replaceState(null, '', location.pathname + location.search);
    return fromUrl;
  }
  return sessionStorage.getItem(STORAGE_KEY);
}

/** What the token says about itself. The server decides; the page only adapts (buttons, expiry). */
export function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const payload = JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '=')));
    if (typeof payload.exp !== 'number' || !['ADMIN', 'VIEWER'].includes(payload.role)) return null;
    return { role: payload.role, expiresAt: new Date(payload.exp * 1000) };
  } catch {
    return null;
  }
}

/** The server refused the token (expired, revoked, not valid). */
export class Refused extends Error {}

/** GraphQL calls with the token; `onRefused(message)` hears once the server refuses it. */
export function createApi(token, onRefused) {
  async function gql(query, variables = {}) {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json().catch(() => ({}));
    if (res.status === 401) {
      const message = body.errors?.[0]?.message ?? 'the portal token was refused';
      onRefused(message);
      throw new Refused(message);
    }
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data;
  }

  /** A mutation's payload; its userErrors become an error with their messages. */
  async function mutate(name, query, variables) {
    const payload = (await gql(query, variables))[name];
    if (payload.userErrors?.length) throw new Error(payload.userErrors.map((e) => e.message).join('; '));
    return payload;
  }

  /** The live socket; a 4403 close (expired or revoked) asks HTTP why, which reports the refusal. */
  function live(onState) {
    return createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: () => ({ authorization: `Bearer ${token}` }),
      retryAttempts: 5,
      shouldRetry: (event) => event?.code !== FORBIDDEN,
      on: {
        connected: () => onState('live', 'live'),
        closed: (event) => {
          if (event?.code !== FORBIDDEN) return onState('closed', `disconnected${event?.code ? ` (${event.code})` : ''}`);
          onState('refused', 'refused');
          gql('{ __typename }').catch(() => undefined);
        },
      },
    });
  }

  return { gql, mutate, live };
}
