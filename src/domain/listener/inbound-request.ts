import { parseBody, type BodyKind } from './parse-body';

/** A request to a listener, as verification and interpretation read it. */
export interface InboundRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** The parsed body (throws BadBodyError), parsed once on first use. */
  data: () => unknown;
  /** Epoch milliseconds: signature timestamps are checked against it. */
  now: number;
}

/** A header's (first) value; names are matched lower-case, as node:http gives them. */
export function headerOf(req: Pick<InboundRequest, 'headers'>, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The request as read off the wire; its body is parsed on first use, once. */
export function inboundRequest(headers: InboundRequest['headers'], rawBody: Buffer, kind: BodyKind, now: number): InboundRequest {
  let parsed: { data: unknown } | undefined;
  return { headers, rawBody, now, data: () => (parsed ??= { data: parseBody(kind, rawBody.toString('utf8')) }).data };
}
