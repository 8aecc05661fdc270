import type { DestinationEntity, Header } from '../../domain/destination/destination.entity';
import { openHeader } from '../../domain/destination/sealed-header';
import type { SecretBox } from '../../domain/secrets/secret-box';
import { signCustomHmac } from '../signing/custom-hmac';
import { signatureBaseString, webhookSignatureHeader } from '../signing/standard-webhooks';
import { bodyRecipeOf } from './body-recipe';
import { toFormUrlEncoded } from './flatten';
import type { DeliveryRequestInput, OutboundRequest } from './outbound-request';
import { formatPayload, type FormattedPayload } from './payload-formats';
import { USER_AGENT } from './user-agent';

/**
 * The exact request for one attempt. Pure apart from opening sealed secrets:
 * the same input gives the same request, which is what dry runs show and what is sent.
 *
 * What is signed: the body as sent (JSON text or form text). A GET has no body, so its
 * signed payload is the query string as sent, without the `?` (the flattened payload,
 * after any query the destination URL already had): receivers verify with
 * `wh.verify(rawQueryString, headers)` and a tampered parameter fails.
 */
export function buildRequest(input: DeliveryRequestInput, box: SecretBox): OutboundRequest {
  const { event, webhook, destination, deliveryId, attempt, now } = input;
  const payload = formatPayload(webhook.payloadFormat, { event, webhook, deliveryId, attempt });
  const rendered = render(destination, payload);

  const timestamp = Math.floor(now.getTime() / 1000);
  const base = signatureBaseString(event.id, timestamp, rendered.signedPayload);
  const secret = box.open(destination.signingSecretSealed);

  const headers: Header[] = [];
  if (rendered.contentType) headers.push({ name: 'content-type', value: rendered.contentType });
  headers.push(
    { name: 'webhook-id', value: event.id },
    { name: 'webhook-timestamp', value: String(timestamp) },
    { name: 'webhook-signature', value: webhookSignatureHeader(signingSecrets(destination, secret, box, now), base) },
    { name: 'X-Hookgraph-Event', value: event.type },
    { name: 'X-Hookgraph-Webhook-Id', value: webhook.id },
    { name: 'X-Hookgraph-Delivery-Id', value: deliveryId },
  );
  if (event.entityId !== null) headers.push({ name: 'X-Hookgraph-Entity-Id', value: event.entityId });
  if (event.entityUrl !== null) headers.push({ name: 'X-Hookgraph-Entity-Url', value: event.entityUrl });
  headers.push({ name: 'X-Hookgraph-Attempt', value: String(attempt) }, { name: 'User-Agent', value: USER_AGENT });
  if (input.traceparent) headers.push({ name: 'traceparent', value: input.traceparent });

  const auth = authorization(destination, box);
  if (auth) headers.push({ name: 'Authorization', value: auth });
  const hmac = destination.customHmac;
  const hmacKey = hmac?.secretSealed ? box.open(hmac.secretSealed) : secret;
  if (hmac) headers.push({ name: hmac.header, value: signCustomHmac(hmac, hmacKey, rendered.signedPayload) });
  headers.push(...payload.headers(rendered.signedPayload, hmacKey));
  headers.push(...destination.headers.map((h) => openHeader(h, box)));

  return {
    method: destination.method,
    url: rendered.url,
    headers,
    body: rendered.body,
    bodyRecipe: bodyRecipeOf(webhook, destination),
    signatureBaseString: base,
  };
}

interface Rendered {
  url: string;
  body: string | null;
  contentType: string | null;
  signedPayload: string;
}

function render(destination: DestinationEntity, { value, separator }: FormattedPayload): Rendered {
  if (destination.method === 'GET') {
    const url = new URL(destination.url);
    const flat = toFormUrlEncoded(value, separator);
    url.search = url.search ? `${url.search.slice(1)}&${flat}` : flat;
    return { url: url.toString(), body: null, contentType: null, signedPayload: url.search.slice(1) };
  }
  switch (destination.format) {
    case 'JSON': {
      const body = JSON.stringify(value);
      return { url: destination.url, body, contentType: 'application/json', signedPayload: body };
    }
    case 'FORM_URLENCODED': {
      const body = toFormUrlEncoded(value, separator);
      return { url: destination.url, body, contentType: 'application/x-www-form-urlencoded', signedPayload: body };
    }
  }
}

/** The current secret, then the previous one while its rotation overlap lasts. */
function signingSecrets(destination: DestinationEntity, current: string, box: SecretBox, now: Date): string[] {
  const { previousSecretSealed, previousSecretExpiresAt } = destination;
  if (previousSecretSealed && previousSecretExpiresAt && previousSecretExpiresAt.getTime() > now.getTime()) {
    return [current, box.open(previousSecretSealed)];
  }
  return [current];
}

function authorization(destination: DestinationEntity, box: SecretBox): string | null {
  switch (destination.authType) {
    case 'NONE':
      return null;
    case 'BASIC': {
      const password = destination.authSecretSealed ? box.open(destination.authSecretSealed) : '';
      return `Basic ${Buffer.from(`${destination.authUsername ?? ''}:${password}`, 'utf8').toString('base64')}`;
    }
    case 'BEARER':
      return destination.authSecretSealed ? `Bearer ${box.open(destination.authSecretSealed)}` : null;
  }
}
