import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace, type Context, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { version } from '../../package.json';

/** A W3C traceparent: version 00, 16-byte trace id, 8-byte parent id, flags; ids not all zero. */
const TRACEPARENT = /^00-(?!0{32})([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-([0-9a-f]{2})$/;

/** A span in progress; `traceparent` is what its children (and receivers) continue. */
export interface TraceStep {
  traceparent: string | null;
  end(failure?: string): void;
}

const NOTHING: TraceStep = { traceparent: null, end: () => undefined };

/**
 * OpenTelemetry traces of a delivery's path. A publish carries the caller's W3C
 * `traceparent` (or starts a trace when tracing is on); the event keeps the publish
 * span's traceparent, and each attempt is a span continuing it whose own traceparent goes
 * to the receiver in the request's `traceparent` header.
 *
 * With OTEL_EXPORTER_OTLP_ENDPOINT set, spans are recorded and exported over OTLP/HTTP in
 * batches. Without it nothing is recorded: a traceparent the publish brought is only
 * passed on (a receiver still sees the caller's trace, with a fresh parent id per
 * attempt), and a publish without one costs a string check.
 */
export class Tracing {
  private readonly provider: BasicTracerProvider | null;
  private readonly tracer: Tracer | null;
  private readonly propagator = new W3CTraceContextPropagator();

  constructor(endpoint: string | undefined) {
    if (!endpoint) {
      this.provider = null;
      this.tracer = null;
      return;
    }
    const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` });
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'hookgraph', 'service.version': version }),
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
    });
    this.tracer = this.provider.getTracer('hookgraph', version);
  }

  get enabled(): boolean {
    return this.tracer !== null;
  }

  /** The publish of an event of `type`, continuing `incoming` (a header's value; ignored unless well-formed). */
  publish(type: string, incoming: string | null | undefined): TraceStep {
    const parent = incoming && TRACEPARENT.test(incoming) ? incoming : null;
    if (!this.tracer) return parent ? { traceparent: parent, end: () => undefined } : NOTHING;
    return this.start(`publish ${type}`, SpanKind.PRODUCER, parent, { 'messaging.operation': 'publish', 'hookgraph.event.type': type });
  }

  /** One attempt of a delivery, continuing the event's trace (none: no trace, when tracing is off). */
  attempt(eventTraceParent: string | null, attributes: Record<string, string | number>): TraceStep {
    if (!this.tracer) {
      const match = eventTraceParent ? TRACEPARENT.exec(eventTraceParent) : null;
      return match ? { traceparent: `00-${match[1]}-${randomBytes(8).toString('hex')}-${match[2]}`, end: () => undefined } : NOTHING;
    }
    return this.start('deliver', SpanKind.CLIENT, eventTraceParent, attributes);
  }

  /** Exports what is left (at stop). */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown();
  }

  private start(name: string, kind: SpanKind, parent: string | null, attributes: Record<string, string | number>): TraceStep {
    const parentContext: Context = parent ? this.propagator.extract(ROOT_CONTEXT, { traceparent: parent }, defaultTextMapGetter) : ROOT_CONTEXT;
    const span = this.tracer!.startSpan(name, { kind, attributes }, parentContext);
    const carrier: Record<string, string> = {};
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
    return {
      traceparent: carrier.traceparent ?? null,
      end: (failure) => {
        if (failure) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
        span.end();
      },
    };
  }
}
