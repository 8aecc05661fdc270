import { createHmac } from 'node:crypto';
import type { Encoding, HmacAlgorithm } from '../../domain/destination/destination.entity';

const NODE_ALGORITHM: Record<HmacAlgorithm, string> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
};

export interface CustomHmacSpec {
  algorithm: HmacAlgorithm;
  encoding: Encoding;
  prefix: string;
}

/**
 * A signature in another service's convention (GitHub's `X-Hub-Signature-256:
 * sha256=<hex>`, Etlworks' HMAC-SHA1): HMAC over the raw body, keyed with the secret
 * string's UTF-8 bytes (as GitHub does; no base64 decoding), then `prefix + digest`.
 */
export function signCustomHmac(spec: CustomHmacSpec, secret: string, body: string): string {
  const digest = createHmac(NODE_ALGORITHM[spec.algorithm], Buffer.from(secret, 'utf8')).update(body, 'utf8');
  switch (spec.encoding) {
    case 'HEX':
      return `${spec.prefix}${digest.digest('hex')}`;
    case 'BASE64':
      return `${spec.prefix}${digest.digest('base64')}`;
  }
}
