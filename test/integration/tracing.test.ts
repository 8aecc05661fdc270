import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { eventually } from '../support/deferred';
import { createDestination, createWebhook } from '../support/fixtures';
import { PUBLISH } from '../support/publish';
import { Receiver } from '../support/receiver';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** A local OTLP/HTTP collector: keeps every span posted to /v1/traces (JSON). */
async function otlpCollector(): Promise<{ url: string; spans: OtlpSpan[]; stop(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const doc = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const r of doc.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const INCOMING = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

async function publishTraced(t: TestApp, type: string, traceparent?: string): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${t.adminKey}` };
  if (traceparent) headers.traceparent = traceparent;
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: PUBLISH, variables: { input: { type } } }) });
  const body = (await res.json()) as { data: { eventPublish: { event: { id: string } } } };
  return body.data.eventPublish.event.id;
}

describe('sqlite: OpenTelemetry traces', () => {
  let collector: Awaited<ReturnType<typeof otlpCollector>>;
  let receiver: Receiver;
  let traced: TestApp;
  let plain: TestApp;

  before(async () => {
    collector = await otlpCollector();
    receiver = await Receiver.start();
    traced = await startTestApp('sqlite', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
    plain = await startTestApp('sqlite');
    for (const t of [traced, plain]) {
      const dest = await createDestination(t, { url: receiver.url });
      await createWebhook(t, dest.id, { eventTypes: ['traced.*'] });
    }
  });
  after(async () => {
    await traced?.stop();
    await plain?.stop();
    await receiver?.stop();
    await collector?.stop();
  });

  it('a publish with a traceparent yields spans of one trace, and the receiver gets a traceparent of it', async () => {
    receiver.reset();
    await publishTraced(traced, 'traced.created', INCOMING);
    const [request] = await receiver.waitFor(1);
    const sent = String(request!.headers.traceparent);
    const [, traceId, attemptSpan] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(sent) ?? [];
    assert.equal(traceId, TRACE_ID, 'the receiver continues the caller’s trace');
    const spans = await eventually(async () => {
      const mine = collector.spans.filter((s) => s.traceId === TRACE_ID);
      return mine.some((s) => s.name === 'deliver') && mine.some((s) => s.name.startsWith('publish')) ? mine : null;
    }, 10_000);
    const publishSpan = spans.find((s) => s.name === 'publish traced.created')!;
    const deliverSpan = spans.find((s) => s.name === 'deliver')!;
    assert.equal(publishSpan.parentSpanId, CALLER_SPAN, 'the publish continues the caller’s span');
    assert.equal(deliverSpan.parentSpanId, publishSpan.spanId, 'the attempt continues the publish');
    assert.equal(deliverSpan.spanId, attemptSpan, 'the receiver’s traceparent is the attempt’s span');
  });

  it('without an exporter nothing is recorded, and a caller’s trace is still passed on; without one, no header', async () => {
    receiver.reset();
    const eventId = await publishTraced(plain, 'traced.passed', INCOMING);
    const [passed] = await receiver.waitFor(1);
    assert.match(String(passed!.headers.traceparent), new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    assert.notEqual(String(passed!.headers.traceparent), INCOMING, 'a fresh parent id for the attempt');
    const stored = await plain.gql(`query($id: ID!) { node(id: $id) { ... on Event { traceParent } } }`, { id: eventId });
    assert.equal(stored.data.node.traceParent, INCOMING);
    await publishTraced(plain, 'traced.plain', 'not-a-traceparent');
    const [, untraced] = await receiver.waitFor(2);
    assert.equal(untraced!.headers.traceparent, undefined);
  });
});
