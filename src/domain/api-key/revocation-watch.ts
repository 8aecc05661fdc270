import type { Signals } from '../common/signals';
import { SECOND } from '../common/time';
import type { ApiKeyService } from './api-key.service';

/** How often the database is asked for revocations made elsewhere. */
const WATCH_EVERY_MS = 1 * SECOND;
/** Each look reaches back this far past the last one: another process's clock may run behind. */
const CLOCK_MARGIN_MS = 1 * SECOND;

/**
 * For processes that share a database but no pub/sub (no REDIS_URL): looks for keys
 * revoked by another process and announces them here as if revoked here (the look-up
 * cache forgets them, their sockets close), within WATCH_EVERY_MS. With Redis the
 * revoking process's announcement reaches every process at once and this is not needed.
 */
export class RevocationWatch {
  private timer: NodeJS.Timeout | null = null;
  private since = Date.now();
  private readonly announced = new Set<string>();
  private looking: Promise<void> | null = null;

  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly signals: Signals,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.looking ??= this.look().finally(() => (this.looking = null));
    }, WATCH_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.looking;
  }

  private async look(): Promise<void> {
    const now = Date.now();
    try {
      const revoked = await this.apiKeys.revokedSince(new Date(this.since - CLOCK_MARGIN_MS));
      this.since = now;
      for (const id of revoked) {
        if (this.announced.has(id)) continue;
        this.announced.add(id);
        this.apiKeys.forget(id);
        this.signals.emit('apiKeyRevoked', id);
      }
    } catch (error) {
      this.onError(error);
    }
  }
}
