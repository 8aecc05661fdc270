import type { SecretBox } from '../secrets/secret-box';
import { secretHint } from '../secrets/secret-box';
import type { Header, SealedHeader } from './destination.entity';

export function sealHeader({ name, value }: Header, box: SecretBox): SealedHeader {
  return { name, valueSealed: box.seal(value), valueHint: secretHint(value) };
}

/** The header as sent: for building a request, and for ADMIN keys only. */
export function openHeader({ name, valueSealed }: SealedHeader, box: SecretBox): Header {
  return { name, value: box.open(valueSealed) };
}
