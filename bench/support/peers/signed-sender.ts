import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';

/** One webhook delivery as the peers carry it in their queues. */
export interface PeerJob {
  id: string;
  payload: string;
}

/** A receiver's answer other than 2xx: the job failed, and its queue decides about a retry. */
export class DeliveryRejected extends Error {
  constructor(readonly status: number) {
    super(`receiver answered ${status}`);
  }
}

/**
 * How every peer sends: signed with `standardwebhooks` (the headers hookgraph sends), POSTed
 * with undici over one keep-alive agent; resolves on a 2xx, throws DeliveryRejected otherwise.
 */
export class SignedSender {
  private readonly webhook: Webhook;
  private readonly agent = new Agent({ keepAliveTimeout: 30_000 });

  constructor(
    private readonly url: string,
    secret: string,
  ) {
    this.webhook = new Webhook(secret);
  }

  async send(job: PeerJob): Promise<void> {
    const sentAt = new Date();
    const res = await request(this.url, {
      dispatcher: this.agent,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': job.id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': this.webhook.sign(job.id, sentAt, job.payload),
      },
      body: job.payload,
    });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new DeliveryRejected(res.statusCode);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
