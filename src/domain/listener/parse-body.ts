import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MAX_BODY_DEPTH } from './listener.defaults';

export type BodyKind = 'json' | 'xml' | 'form';

export class BadBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadBodyError';
  }
}

/** Which accepted body kind a Content-Type names, or null (answered 415). */
export function bodyKind(contentType: string | undefined): BodyKind | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'xml';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return null;
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  parseTagValue: true,
  trimValues: true,
});

/**
 * The received body as JSON data. XML with a DOCTYPE or entity declarations is refused
 * outright (no expansion bombs, no external entities); keys that could reach an object
 * prototype are dropped; nesting is bounded.
 */
export function parseBody(kind: BodyKind, raw: string): unknown {
  switch (kind) {
    case 'json': {
      let data: unknown;
      try {
        data = JSON.parse(raw);
      } catch {
        throw new BadBodyError('the body is not valid JSON');
      }
      return sanitize(data);
    }
    case 'xml': {
      if (/<!DOCTYPE|<!ENTITY/i.test(raw)) throw new BadBodyError('XML with a DOCTYPE or entity declarations is refused');
      if (XMLValidator.validate(raw) !== true) throw new BadBodyError('the body is not well-formed XML');
      let data: unknown;
      try {
        data = xml.parse(raw);
      } catch (error) {
        // e.g. fast-xml-parser's own refusal of __proto__ element names
        throw new BadBodyError(`the XML was refused: ${error instanceof Error ? error.message : String(error)}`);
      }
      return sanitize(data);
    }
    case 'form': {
      const data: Record<string, unknown> = {};
      for (const [key, value] of new URLSearchParams(raw)) {
        if (UNSAFE_KEYS.has(key)) continue;
        const existing = data[key];
        data[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
      }
      return data;
    }
  }
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A copy with prototype-reaching keys removed; refuses nesting deeper than MAX_BODY_DEPTH. */
export function sanitize(value: unknown, depth = 0): unknown {
  if (depth > MAX_BODY_DEPTH) throw new BadBodyError(`the body is nested deeper than ${MAX_BODY_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const clean: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!UNSAFE_KEYS.has(key)) clean[key] = sanitize(child, depth + 1);
  }
  return clean;
}
