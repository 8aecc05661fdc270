import type { ServerResponse } from 'node:http';
import type { StoredAnswer } from '../../domain/listener/dedupe-store';
import { inboundRequest } from '../../domain/listener/inbound-request';
import { interpretRequest, type InboundEvent } from '../../domain/listener/interpret';
import { bodyKind } from '../../domain/listener/parse-body';
import type { ListenerEntity } from '../../domain/listener/listener.entity';
import { LeakyBuckets, type ListenerRateLimiter } from '../../domain/listener/rate-limiter';
import { renderTemplate } from '../../domain/listener/template';
import { UserError } from '../../domain/common/user-error';
import { readPath } from '../../domain/webhook/filter';
import type { Logger } from '../../logger';
import type { Services } from '../../services';
import type { RouteHandler } from '../http-server';
import { BodyTooLargeError, readBody } from '../read-body';
import { captureRecord } from './capture-record';

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
/** On every answer, refusals and 500s included: a listener's body is the sender's data, never something to sniff. */
const NO_SNIFF = ['x-content-type-options', 'nosniff'] as const;

interface Outcome {
  status: number;
  message?: string;
  /** Kept in the capture only: why verification failed. */
  detail?: string;
  headers?: Record<string, string>;
  body?: string;
  contentType?: string;
  verified: boolean;
  eventId?: string;
  eventIds?: string[];
  accepted?: unknown;
  /** A repeat of an earlier request (by its dedupe key), answered as that one was. */
  repeat?: boolean;
}

/**
 * `/in/<token>`: a third party's webhook arrives. In order: find the listener (404
 * that says nothing more), rate limit (429), content type (415), body limit (413, before
 * any verification), verify (401), parse (400), publish the event, answer as
 * configured. While capture is on, every answered request is kept and streamed.
 */
export function inboundRoute(services: Services, log: Logger, buckets: ListenerRateLimiter = new LeakyBuckets()): RouteHandler {
  return async (req, res, url) => {
    res.setHeader(...NO_SNIFF);
    const token = url.pathname.slice('/in/'.length);
    const listener = TOKEN.test(token) ? await services.listeners.byToken(token) : null;
    if (!listener) {
      req.resume();
      services.metrics.listenerRequests.inc({ status: '404' });
      log.debug({ status: 404 }, 'listener request: unknown token');
      return send(res, { status: 404, message: 'not found', verified: false });
    }
    const received: { raw: Buffer | null; secret: string | null; presented: unknown } = { raw: null, secret: null, presented: undefined };
    const outcome = await receive(listener);
    // Captured before answering, so whoever reads the capture after the answer finds it.
    if (services.listeners.isCapturing(listener)) {
      const record = captureRecord(listener, {
        method: req.method ?? '',
        headers: req.headers,
        raw: received.raw,
        hide: [received.secret, typeof received.presented === 'string' || typeof received.presented === 'number' ? String(received.presented) : null],
        verified: outcome.verified,
        status: outcome.status,
        error: outcome.status >= 300 ? (outcome.detail ?? outcome.message ?? null) : null,
        eventId: outcome.eventId ?? null,
      });
      await services.listeners
        .capture(listener, record, outcome.accepted)
        .catch((error: unknown) => log.error({ err: error, listenerId: listener.id }, 'could not capture an inbound request'));
    }
    services.metrics.listenerRequests.inc({ status: String(outcome.status) });
    // Never the token, the body or the headers: they are the sender's, and may hold secrets.
    log.info(
      {
        listenerId: listener.id,
        status: outcome.status,
        reason: outcome.status >= 300 ? (outcome.detail ?? outcome.message) : undefined,
        eventId: outcome.eventId,
        events: outcome.eventIds && outcome.eventIds.length > 1 ? outcome.eventIds.length : undefined,
        repeat: outcome.repeat,
      },
      outcome.status >= 300 ? 'listener request refused' : 'listener request accepted',
    );
    send(res, outcome);

    async function receive(l: ListenerEntity): Promise<Outcome> {
      if (req.method !== 'POST' && req.method !== 'PUT') {
        req.resume();
        return { status: 405, message: 'use POST or PUT', headers: { allow: 'POST, PUT' }, verified: false };
      }
      const rate = await buckets.take(l.id, l.rateLimit);
      if (!rate.allowed) {
        req.resume();
        return { status: 429, message: 'rate limit exceeded', headers: { 'retry-after': String(rate.retryAfterSeconds) }, verified: false };
      }
      const kind = bodyKind(req.headers['content-type']);
      if (!kind) {
        req.resume();
        return { status: 415, message: 'send application/json, application/xml, text/xml or application/x-www-form-urlencoded', verified: false };
      }
      try {
        received.raw = await readBody(req, services.config.listenerMaxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return { status: 413, message: error.message, headers: { connection: 'close' }, verified: false };
        throw error;
      }
      const body = received.raw;
      received.secret = services.listeners.secretOf(l);
      const request = inboundRequest(req.headers, body, kind, services.clock.now());
      if (l.verification.type === 'TOKEN' && l.verification.tokenPath) received.presented = presentedToken(request.data, l.verification.tokenPath);
      const meaning = interpretRequest(l, received.secret, request);
      if (!meaning.ok) return meaning;
      const key = meaning.dedupeKey;
      if (key) {
        const claim = await services.listeners.dedupe.claim(l.id, key, services.clock.now());
        if (claim.kind === 'in-progress') return { status: 409, message: 'a request with the same dedupe key is being handled', verified: true };
        if (claim.kind === 'repeat') return repeated(claim.answer);
      }
      let outcome: Outcome;
      try {
        outcome = await publish(l, meaning.events, meaning.accepted);
      } catch (error) {
        if (key) await services.listeners.dedupe.release(l.id, key);
        throw error;
      }
      if (key) {
        if (outcome.status < 300) await services.listeners.dedupe.complete(l.id, key, storedAnswer(outcome));
        else await services.listeners.dedupe.release(l.id, key);
      }
      return outcome;
    }

    async function publish(l: ListenerEntity, events: InboundEvent[], accepted: unknown): Promise<Outcome> {
      let published: { id: string; type: string }[];
      try {
        published = await services.events.publishMany(l.tenantId, events, 'LISTENER');
      } catch (error) {
        if (error instanceof UserError) return { status: error.code === 'TOO_LARGE' ? 413 : 400, message: error.message, verified: true };
        throw error;
      }
      const [first] = published;
      const { statusCode, mediaType, bodyTemplate } = l.response;
      const context = { data: accepted, event: { id: first!.id, type: first!.type }, listener: { id: l.id, name: l.name } };
      return {
        status: statusCode,
        verified: true,
        eventId: first!.id,
        eventIds: published.map((e) => e.id),
        accepted,
        body: bodyTemplate ? renderTemplate(bodyTemplate, context, mediaType) : undefined,
        contentType: mediaType ?? undefined,
      };
    }
  };
}

/** The token a request carried in its body, to keep it out of the capture; undefined when the body does not parse. */
function presentedToken(data: () => unknown, path: string): unknown {
  try {
    return readPath(data(), path);
  } catch {
    return undefined;
  }
}

/** A repeat is answered as the first request was; it makes no event. */
function repeated(answer: StoredAnswer): Outcome {
  return {
    status: answer.statusCode,
    verified: true,
    eventId: answer.eventIds[0],
    eventIds: answer.eventIds,
    body: answer.body ?? undefined,
    contentType: answer.contentType ?? undefined,
    repeat: true,
  };
}

function storedAnswer(outcome: Outcome): StoredAnswer {
  return { statusCode: outcome.status, contentType: outcome.contentType ?? null, body: outcome.body ?? null, eventIds: outcome.eventIds ?? [] };
}

function send(res: ServerResponse, outcome: Outcome): void {
  const headers: Record<string, string> = { ...outcome.headers };
  let body = outcome.body;
  if (outcome.status >= 300) {
    body = JSON.stringify({ error: outcome.message ?? 'refused' });
    headers['content-type'] = 'application/json; charset=utf-8';
  } else if (body !== undefined) {
    headers['content-type'] = outcome.contentType ?? 'text/plain; charset=utf-8';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(outcome.status, headers);
  res.end(body);
}
