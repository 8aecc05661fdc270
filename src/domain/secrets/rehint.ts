import type { SecretBox } from './secret-box';
import { secretHint } from './secret-box';

/**
 * A stored hint made again, by today's rule (secretHint), from the secret it hints at.
 * When the secret does not open (sealed under another master key) the stored hint stays:
 * the start goes on, and the secret fails where it is used, as it would have anyway.
 */
export function rehint(box: SecretBox, sealed: string, stored: string | null): string | null {
  try {
    return secretHint(box.open(sealed));
  } catch {
    return stored;
  }
}
