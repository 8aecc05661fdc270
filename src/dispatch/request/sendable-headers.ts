import type { Header } from '../../domain/destination/destination.entity';

/** A header name: an HTTP token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a header value may hold on the wire (as undici and node:http check): tab, visible ASCII, space, and bytes 0x80–0xFF. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Refuses a request whose headers HTTP cannot carry (a CR or LF in a value, a character
 * beyond Latin-1), before it goes anywhere: such a request fails as built, the fault of
 * its data and not of the endpoint, and retrying it could never help. The message names
 * the header, never its value (it may be a credential).
 */
export function assertSendableHeaders(headers: readonly Header[]): void {
  for (const { name, value } of headers) {
    if (!TOKEN.test(name)) throw new Error(`the header name ${JSON.stringify(name.slice(0, 64))} is not an HTTP token`);
    if (!FIELD_VALUE.test(value)) {
      throw new Error(`the value of header ${name} has a character HTTP headers cannot carry (a line break, another control character, or one beyond Latin-1)`);
    }
  }
}
