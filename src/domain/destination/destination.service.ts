import { IsNull, In } from 'typeorm';
import type { Database } from '../../database/database';
import { closeCircuit } from '../../sql/destination-health';
import { releaseLine } from '../../sql/destination-line';
import { cancelWaiting, resumeWaiting } from '../delivery/waiting';
import { newSigningSecret, secretHint, type SecretBox } from '../secrets/secret-box';
import { newId } from '../common/ids';
import { paginate, type PageArgs } from '../common/pagination';
import type { Signals } from '../common/signals';
import { UserError } from '../common/user-error';
import { visible, type Scope } from '../tenant/scope';
import { WebhookEntity } from '../webhook/webhook.entity';
import { DestinationEntity, type CustomHmac, type DestinationStatus } from './destination.entity';
import { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS, ROTATION_OVERLAP_MS } from './destination.defaults';
import { sealHeader } from './sealed-header';
import {
  validateAuth,
  validateCustomHmacHeader,
  validateHeaderNames,
  validateHeaders,
  validateName,
  validateRateLimit,
  validateRetryPolicy,
  validateTimeout,
  validateUrl,
  type CustomHmacInput,
  type DestinationInput,
} from './destination.validation';

export class DestinationService {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly signals: Signals,
  ) {}

  /** Creates a destination; the signing secret is returned here and never again. */
  async create(input: DestinationInput, tenantId: string): Promise<{ destination: DestinationEntity; signingSecret: string }> {
    const name = validateName(input.name);
    await this.assertNameFree(name, tenantId);
    const signingSecret = newSigningSecret();
    const now = new Date();
    const destination = this.db.manager.create(DestinationEntity, {
      id: newId('destination'),
      tenantId,
      name,
      url: validateUrl(input.url),
      method: input.method ?? 'POST',
      format: input.format ?? 'JSON',
      timeoutMs: validateTimeout(input.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      headers: [],
      authType: 'NONE',
      authUsername: null,
      authSecretSealed: null,
      authSecretHint: null,
      signingSecretSealed: this.box.seal(signingSecret),
      signingSecretHint: secretHint(signingSecret),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      customHmac: null,
      retryPolicy: input.retryPolicy ? validateRetryPolicy(input.retryPolicy) : DEFAULT_RETRY_POLICY,
      rateLimit: input.rateLimit ? validateRateLimit(input.rateLimit) : null,
      status: 'ACTIVE',
      statusReason: null,
      statusChangedAt: now,
      failureStreak: 0,
      failingSince: null,
      circuitOpenUntil: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    this.applyAuthAndSigning(destination, input);
    await this.db.manager.insert(DestinationEntity, destination);
    if (destination.rateLimit) this.signals.emit('destinationLimitsChanged', destination);
    return { destination, signingSecret };
  }

  async update(id: string, input: DestinationInput & { status?: DestinationStatus | null }, scope: Scope): Promise<DestinationEntity> {
    const destination = await this.require(id, scope);
    if (input.name != null) {
      const name = validateName(input.name);
      if (name !== destination.name) await this.assertNameFree(name, destination.tenantId);
      destination.name = name;
    }
    if (input.url != null) destination.url = validateUrl(input.url);
    if (input.method != null) destination.method = input.method;
    if (input.format != null) destination.format = input.format;
    if (input.timeoutMs != null) destination.timeoutMs = validateTimeout(input.timeoutMs);
    if (input.retryPolicy != null) destination.retryPolicy = validateRetryPolicy({ ...destination.retryPolicy, ...stripNulls(input.retryPolicy) });
    const limitsBefore = JSON.stringify(destination.rateLimit);
    if (input.rateLimit !== undefined) destination.rateLimit = input.rateLimit ? validateRateLimit(input.rateLimit) : null;
    this.applyAuthAndSigning(destination, input);
    const statusChanged = input.status != null && input.status !== destination.status;
    // ACTIVE again, or ACTIVE while its breaker holds or counts: an operator says it works now.
    const resumed = input.status === 'ACTIVE' && (statusChanged || destination.failureStreak > 0 || destination.circuitOpenUntil !== null);
    if (statusChanged) {
      destination.status = input.status!;
      destination.statusReason = `set to ${input.status} by an operator`;
      destination.statusChangedAt = new Date();
    }
    destination.updatedAt = new Date();
    const limitsChanged = JSON.stringify(destination.rateLimit) !== limitsBefore;
    await this.db.transaction(async (tx) => {
      await tx.save(DestinationEntity, destination);
      // Its limits gone, what waited in its line goes to the ordinary queue (sql/claim-line.ts).
      if (limitsChanged && destination.rateLimit === null) await releaseLine(tx, id, destination.updatedAt);
      // Deliveries held while it was paused, disabled or its breaker open go out now, with the breaker closed.
      if (resumed) {
        await closeCircuit(tx, id);
        await resumeWaiting(tx, id, destination.updatedAt);
      }
    });
    if (resumed) Object.assign(destination, { failureStreak: 0, failingSince: null, circuitOpenUntil: null });
    this.signals.emit('routeChanged', 'destination', id);
    if (statusChanged) this.signals.emit('destinationStatusChanged', destination);
    if (limitsChanged) this.signals.emit('destinationLimitsChanged', destination);
    return destination;
  }

  /** Soft-deletes the destination and its webhooks; deliveries still waiting are cancelled. */
  async delete(id: string, scope: Scope): Promise<DestinationEntity> {
    const destination = await this.require(id, scope);
    const now = new Date();
    await this.db.transaction(async (tx) => {
      await tx.update(DestinationEntity, { id }, { deletedAt: now, updatedAt: now });
      await tx.update(WebhookEntity, { destinationId: id, deletedAt: IsNull() }, { deletedAt: now, updatedAt: now, enabled: false });
      await cancelWaiting(tx, { destinationId: id }, now, 'destination deleted');
    });
    destination.deletedAt = now;
    this.signals.emit('routeChanged', 'destination', id);
    return destination;
  }

  /** New signing secret; the previous one keeps signing alongside it for the overlap window. */
  async rotateSecret(id: string, scope: Scope): Promise<{ destination: DestinationEntity; signingSecret: string }> {
    const destination = await this.require(id, scope);
    const signingSecret = newSigningSecret();
    destination.previousSecretSealed = destination.signingSecretSealed;
    destination.previousSecretExpiresAt = new Date(Date.now() + ROTATION_OVERLAP_MS);
    destination.signingSecretSealed = this.box.seal(signingSecret);
    destination.signingSecretHint = secretHint(signingSecret);
    destination.updatedAt = new Date();
    await this.db.manager.save(DestinationEntity, destination);
    this.signals.emit('routeChanged', 'destination', id);
    return { destination, signingSecret };
  }

  get(id: string): Promise<DestinationEntity | null> {
    return this.db.manager.findOneBy(DestinationEntity, { id, deletedAt: IsNull() });
  }

  getMany(ids: readonly string[]): Promise<DestinationEntity[]> {
    return this.db.manager.findBy(DestinationEntity, { id: In([...ids]) });
  }

  list(args: PageArgs, scope: Scope) {
    const query = this.db.manager.createQueryBuilder(DestinationEntity, 'd').where('d.deleted_at IS NULL');
    if (scope.tenantId) query.andWhere('d.tenant_id = :tenantId', { tenantId: scope.tenantId });
    return paginate(query, args);
  }

  /** The destination, if it exists and the scope may see it. */
  async require(id: string, scope: Scope, field = 'id'): Promise<DestinationEntity> {
    return visible(scope, await this.get(id), field, 'destination', id);
  }

  /** Names are unique within a tenant: two customers may both have an "orders" endpoint. */
  private async assertNameFree(name: string, tenantId: string): Promise<void> {
    const taken = await this.db.manager.existsBy(DestinationEntity, { name, tenantId, deletedAt: IsNull() });
    if (taken) throw new UserError(['name'], `a destination named "${name}" already exists`, 'DUPLICATE_NAME');
  }

  private applyAuthAndSigning(destination: DestinationEntity, input: DestinationInput): void {
    const customHmacHeader = input.signing?.customHmac?.header ?? destination.customHmac?.header;
    if (input.headers != null) {
      destination.headers = validateHeaders(input.headers, customHmacHeader ? [customHmacHeader] : []).map((h) => sealHeader(h, this.box));
    }
    if (input.auth != null) {
      const auth = validateAuth(input.auth);
      destination.authType = auth.type;
      destination.authUsername = auth.username;
      destination.authSecretSealed = auth.secret ? this.box.seal(auth.secret) : null;
      destination.authSecretHint = auth.secret ? secretHint(auth.secret) : null;
    }
    if (input.signing !== undefined && input.signing !== null) {
      destination.customHmac = input.signing.customHmac ? this.customHmac(input.signing.customHmac, destination) : null;
      if (destination.customHmac) validateHeaderNames(destination.headers, [destination.customHmac.header]);
    }
  }

  private customHmac(input: CustomHmacInput, destination: DestinationEntity): CustomHmac {
    const { header, prefix } = validateCustomHmacHeader(input);
    const keepSecret = input.secret == null && destination.customHmac;
    if (input.secret != null && (input.secret.length < 8 || input.secret.length > 512)) {
      throw new UserError(['signing', 'customHmac', 'secret'], 'must be 8 to 512 characters', 'INVALID');
    }
    return {
      algorithm: input.algorithm ?? 'SHA256',
      encoding: input.encoding ?? 'HEX',
      header,
      prefix,
      secretSealed: keepSecret ? destination.customHmac!.secretSealed : input.secret ? this.box.seal(input.secret) : null,
      secretHint: keepSecret ? destination.customHmac!.secretHint : input.secret ? secretHint(input.secret) : null,
    };
  }
}

function stripNulls<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v != null)) as Partial<T>;
}
