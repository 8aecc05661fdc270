import { randomBytes } from 'node:crypto';
import { IsNull } from 'typeorm';
import type { Database } from '../../database/database';
import { validateName } from '../destination/destination.validation';
import type { SecretBox } from '../secrets/secret-box';
import { secretHint } from '../secrets/secret-box';
import { newId } from '../common/ids';
import { paginate, type PageArgs } from '../common/pagination';
import type { Signals } from '../common/signals';
import { MINUTE, SECOND } from '../common/time';
import { UserError } from '../common/user-error';
import { visible, type Scope } from '../tenant/scope';
import { DedupeStore } from './dedupe-store';
import { inboundRequest } from './inbound-request';
import { interpretRequest, type InboundEvent } from './interpret';
import { bodyKind } from './parse-body';
import { ListenerRequestEntity } from './listener-request.entity';
import { ListenerEntity, type Verification } from './listener.entity';
import { DEFAULT_HMAC_HEADER, DEFAULT_RATE_LIMIT, DEFAULT_RESPONSE, MAX_CAPTURE_MINUTES } from './listener.defaults';
import { hashListenerToken, newListenerToken } from './listener-token';
import {
  validateDedupe,
  validateDescription,
  validateEventSource,
  validateListenerRateLimit,
  validateListenerResponse,
  validatePath,
  validatePreset,
  validateSampleData,
  validateVerification,
  type ListenerInput,
  type VerificationInput,
} from './listener.validation';

const TOKEN_CACHE_MS = 1 * SECOND;

export interface MockRequest {
  headers?: { name: string; value: string }[] | null;
  body: string;
  contentType?: string | null;
}

export interface MockRun {
  status: number;
  verified: boolean;
  message: string | null;
  events: InboundEvent[];
  dedupeKey: string | null;
}

export type CapturedRequest = Omit<ListenerRequestEntity, 'id' | 'listenerId' | 'createdAt'>;

export class ListenerService {
  /** Look-ups by token hash on the inbound hot path, briefly cached; dropped on every change made here. */
  private readonly byTokenCache = new Map<string, { listener: Promise<ListenerEntity | null>; at: number }>();
  /** The dedupe keys its listeners have seen. */
  readonly dedupe: DedupeStore;

  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly signals: Signals,
  ) {
    this.dedupe = new DedupeStore(db);
  }

  /** Creates a listener; its secret (given or generated) is returned here and never again. */
  async create(input: ListenerInput, tenantId: string): Promise<{ listener: ListenerEntity; secret: string | null }> {
    const name = validateName(input.name);
    await this.assertNameFree(name, tenantId);
    const verificationInput = verificationInputOf(input) ?? { type: 'NONE' };
    const source = {
      eventType: input.eventType ?? null,
      eventTypePath: input.eventTypePath ?? null,
      eventTypeHeader: input.eventTypeHeader ?? null,
      preset: verificationInput.type === 'PRESET',
    };
    validateEventSource(source);
    const token = newListenerToken();
    const { verification, secret } = this.verification(verificationInput, null, token);
    const now = new Date();
    const listener: ListenerEntity = {
      id: newId('listener'),
      tenantId,
      name,
      ...address(token, verification),
      eventType: source.eventType,
      eventTypePath: source.eventTypePath,
      eventTypeHeader: source.eventTypeHeader,
      description: validateDescription(input.description ?? null),
      dedupe: input.dedupe ? validateDedupe(input.dedupe) : null,
      resourcePath: input.resourcePath ? validatePath(input.resourcePath, ['resourcePath']) : null,
      verification,
      rateLimit: validateListenerRateLimit(input.rateLimit ?? {}, DEFAULT_RATE_LIMIT),
      response: validateListenerResponse(input.response ?? {}, DEFAULT_RESPONSE),
      captureUntil: null,
      sampleData: input.sampleData === undefined ? null : validateSampleData(input.sampleData),
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await this.db.manager.insert(ListenerEntity, listener as never);
    return { listener, secret };
  }

  async update(id: string, input: ListenerInput, scope: Scope): Promise<{ listener: ListenerEntity; secret: string | null }> {
    const listener = await this.require(id, scope);
    if (input.name != null) {
      const name = validateName(input.name);
      if (name !== listener.name) await this.assertNameFree(name, listener.tenantId);
      listener.name = name;
    }
    if (input.eventType !== undefined) listener.eventType = input.eventType;
    if (input.eventTypePath !== undefined) listener.eventTypePath = input.eventTypePath;
    if (input.eventTypeHeader !== undefined) listener.eventTypeHeader = input.eventTypeHeader;
    if (input.description !== undefined) listener.description = validateDescription(input.description);
    if (input.dedupe !== undefined) listener.dedupe = input.dedupe === null ? null : validateDedupe(input.dedupe);
    if (input.resourcePath !== undefined) listener.resourcePath = input.resourcePath ? validatePath(input.resourcePath, ['resourcePath']) : null;
    if (input.sampleData !== undefined) listener.sampleData = validateSampleData(input.sampleData);
    let secret: string | null = null;
    const verificationInput = verificationInputOf(input);
    if (verificationInput) {
      // A secret URL is shown once: (re)choosing SECRET_URL makes a new one rather than
      // revealing the URL the listener had, which may have been on display until now. Leaving
      // SECRET_URL keeps the URL, and keeps it hidden: its token is known only by its hash.
      const token = verificationInput.type === 'SECRET_URL' ? newListenerToken() : null;
      ({ verification: listener.verification, secret } = this.verification(verificationInput, listener.verification, token));
      if (token) Object.assign(listener, address(token, listener.verification));
    }
    validateEventSource({ ...listener, preset: listener.verification.type === 'PRESET' });
    if (input.rateLimit) listener.rateLimit = validateListenerRateLimit(input.rateLimit, listener.rateLimit);
    if (input.response) listener.response = validateListenerResponse(input.response, listener.response);
    listener.updatedAt = new Date();
    await this.db.manager.save(ListenerEntity, listener);
    this.byTokenCache.clear();
    return { listener, secret };
  }

  async delete(id: string, scope: Scope): Promise<ListenerEntity> {
    const listener = await this.require(id, scope);
    listener.deletedAt = new Date();
    await this.db.manager.update(ListenerEntity, { id }, { deletedAt: listener.deletedAt, updatedAt: listener.deletedAt });
    this.byTokenCache.clear();
    return listener;
  }

  /** Keeps every request for the next `minutes` (1 to 1440). */
  async captureStart(id: string, minutes: number, scope: Scope): Promise<ListenerEntity> {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_CAPTURE_MINUTES) {
      throw new UserError(['minutes'], `must be from 1 to ${MAX_CAPTURE_MINUTES}`, 'OUT_OF_RANGE');
    }
    const listener = await this.require(id, scope);
    listener.captureUntil = new Date(Date.now() + minutes * MINUTE);
    await this.db.manager.update(ListenerEntity, { id }, { captureUntil: listener.captureUntil });
    this.byTokenCache.clear();
    return listener;
  }

  get(id: string): Promise<ListenerEntity | null> {
    return this.db.manager.findOneBy(ListenerEntity, { id, deletedAt: IsNull() });
  }

  list(args: PageArgs, scope: Scope) {
    const query = this.db.manager.createQueryBuilder(ListenerEntity, 'l').where('l.deleted_at IS NULL');
    if (scope.tenantId) query.andWhere('l.tenant_id = :tenantId', { tenantId: scope.tenantId });
    return paginate(query, args);
  }

  async requests(id: string, args: PageArgs, scope: Scope) {
    await this.require(id, scope);
    const query = this.db.manager.createQueryBuilder(ListenerRequestEntity, 'r').where('r.listener_id = :id', { id });
    return paginate(query, args);
  }

  getRequest(id: string): Promise<ListenerRequestEntity | null> {
    return this.db.manager.findOneBy(ListenerRequestEntity, { id });
  }

  /** The listener, if it exists and the scope may see it. */
  async require(id: string, scope: Scope): Promise<ListenerEntity> {
    return visible(scope, await this.get(id), 'id', 'listener', id);
  }

  /** The live listener behind a public token, or null. */
  byToken(token: string): Promise<ListenerEntity | null> {
    const tokenHash = hashListenerToken(token);
    const cached = this.byTokenCache.get(tokenHash);
    if (cached && cached.at + TOKEN_CACHE_MS > Date.now()) return cached.listener;
    const listener = this.db.manager.findOneBy(ListenerEntity, { tokenHash, deletedAt: IsNull() });
    this.byTokenCache.set(tokenHash, { listener, at: Date.now() });
    if (this.byTokenCache.size > 10_000) this.byTokenCache.clear();
    listener.catch(() => this.byTokenCache.delete(tokenHash));
    return listener;
  }

  /**
   * The listener's verification secret in clear, for checking one request (SecretBox
   * keeps opened secrets in memory, so the hot path does not decrypt each time).
   */
  secretOf(listener: ListenerEntity): string | null {
    const sealed = listener.verification.secretSealed;
    return sealed ? this.box.open(sealed) : null;
  }

  /** What a request would make (interpret.ts), without storing, publishing or deduplicating. */
  async mockRun(id: string, request: MockRequest, scope: Scope, limits: { now: number; maxBodyBytes: number }): Promise<MockRun> {
    const listener = await this.require(id, scope);
    const contentType = request.contentType ?? 'application/json';
    const kind = bodyKind(contentType);
    if (!kind)
      throw new UserError(['request', 'contentType'], 'use application/json, application/xml, text/xml or application/x-www-form-urlencoded', 'INVALID');
    const body = Buffer.from(request.body, 'utf8');
    if (body.length > limits.maxBodyBytes) throw new UserError(['request', 'body'], `must be at most ${limits.maxBodyBytes} bytes`, 'TOO_LARGE');
    const headers: Record<string, string> = { 'content-type': contentType };
    for (const h of request.headers ?? []) headers[h.name.toLowerCase()] = h.value;
    const meaning = interpretRequest(listener, this.secretOf(listener), inboundRequest(headers, body, kind, limits.now));
    if (!meaning.ok) return { status: meaning.status, verified: meaning.verified, message: meaning.detail ?? meaning.message, events: [], dedupeKey: null };
    return { status: listener.response.statusCode, verified: true, message: null, events: meaning.events, dedupeKey: meaning.dedupeKey };
  }

  isCapturing(listener: ListenerEntity, now = Date.now()): boolean {
    return listener.captureUntil !== null && listener.captureUntil.getTime() > now;
  }

  /** Stores a captured request (and the accepted payload as sample data), then announces it. */
  async capture(listener: ListenerEntity, request: CapturedRequest, acceptedData: unknown): Promise<ListenerRequestEntity> {
    const row: ListenerRequestEntity = { id: newId('listenerRequest'), listenerId: listener.id, createdAt: new Date(), ...request };
    await this.db.transaction(async (tx) => {
      await tx.insert(ListenerRequestEntity, row as never);
      if (acceptedData !== undefined) await tx.update(ListenerEntity, { id: listener.id }, { sampleData: acceptedData as never });
    });
    this.signals.emit('listenerRequestReceived', row);
    return row;
  }

  private async assertNameFree(name: string, tenantId: string): Promise<void> {
    if (await this.db.manager.existsBy(ListenerEntity, { name, tenantId, deletedAt: IsNull() })) {
      throw new UserError(['name'], `a listener named "${name}" already exists`, 'DUPLICATE_NAME');
    }
  }

  /**
   * Builds the stored verification; a new secret is generated for HMAC/TOKEN when none is
   * given. `token` is the URL's, new when SECRET_URL is chosen (null otherwise).
   */
  private verification(input: VerificationInput, current: Verification | null, token: string | null): { verification: Verification; secret: string | null } {
    let secret: string | null = null;
    let sealed: string | null = null;
    switch (input.type) {
      case 'BASIC':
        secret = input.password!;
        break;
      case 'PRESET':
        secret = input.secret!;
        break;
      case 'HMAC':
      case 'TOKEN':
        if (input.secret) secret = input.secret;
        else if (current?.type === input.type && current.secretSealed) sealed = current.secretSealed;
        else secret = randomBytes(24).toString('base64url');
        break;
      case 'SECRET_URL':
        // The URL is the secret: show it once like any other.
        return { verification: emptyVerification('SECRET_URL', secretHint(token!)), secret: token };
      case 'NONE':
        return { verification: emptyVerification('NONE', null), secret: null };
    }
    return {
      verification: {
        type: input.type,
        provider: input.type === 'PRESET' ? input.provider! : null,
        username: input.type === 'BASIC' ? input.username! : null,
        algorithm: input.type === 'HMAC' ? (input.algorithm ?? 'SHA256') : null,
        encoding: input.type === 'HMAC' ? (input.encoding ?? 'HEX') : null,
        header: input.type === 'HMAC' ? (input.header ?? DEFAULT_HMAC_HEADER) : null,
        prefix: input.type === 'HMAC' ? (input.prefix ?? '') : null,
        tokenPath: input.type === 'TOKEN' ? (input.tokenPath ?? null) : null,
        tokenHeader: input.type === 'TOKEN' ? (input.tokenHeader ?? null) : null,
        secretSealed: sealed ?? this.box.seal(secret!),
        secretHint: secret ? secretHint(secret) : current!.secretHint,
      },
      secret,
    };
  }
}

/** The verification asked for: a provider preset, or one set field by field (exclusive). */
function verificationInputOf(input: ListenerInput): VerificationInput | null {
  if (input.preset && input.verification) throw new UserError(['preset'], 'give preset or verification, not both', 'INVALID');
  if (input.preset) return validatePreset(input.preset);
  if (input.verification) validateVerification(input.verification);
  return input.verification ?? null;
}

/** Where a listener is reached: its token's hash, and what its URL shows (the token, or for a secret URL a hint of it). */
function address(token: string, verification: Verification): Pick<ListenerEntity, 'tokenHash' | 'urlToken'> {
  return { tokenHash: hashListenerToken(token), urlToken: verification.type === 'SECRET_URL' ? verification.secretHint! : token };
}

function emptyVerification(type: 'NONE' | 'SECRET_URL', hint: string | null): Verification {
  return {
    type,
    provider: null,
    username: null,
    algorithm: null,
    encoding: null,
    header: null,
    prefix: null,
    tokenPath: null,
    tokenHeader: null,
    secretSealed: null,
    secretHint: hint,
  };
}
