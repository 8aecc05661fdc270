/**
 * The SSRF guard refused a destination address. Thrown before any socket
 * opens; the attempt is recorded as BLOCKED_ADDRESS and is not retried.
 */
export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';

  constructor(
    message: string,
    /** The refused address (or host), when known. */
    readonly address: string | null = null,
  ) {
    super(message);
  }
}
