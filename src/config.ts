import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { DAY } from './domain/common/time';

/** The only module that reads process.env. Everything else receives a Config. */

export type Profile = 'development' | 'production';

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'mysql'; url: string };

export interface Config {
  profile: Profile;
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  redisUrl: string | undefined;
  /** Prefix of the Redis pub/sub channels, so installations (or tests) can share one Redis. */
  redisPrefix: string;
  /** Messages one subscriber may have waiting before it is disconnected as too slow. */
  subscriptionBacklog: number;
  adminKey: string | undefined;
  /** When set, /metrics answers only requests that carry it as a bearer token. */
  metricsToken: string | undefined;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: where spans go over OTLP/HTTP (`<endpoint>/v1/traces`); unset, none are recorded. */
  otlpEndpoint: string | undefined;
  /** 32 bytes; undefined means "generate into dataDir" (development only). */
  secretKey: Buffer | undefined;
  allowNetworks: string[];
  logLevel: string;
  introspection: boolean;
  maxRequestBodyBytes: number;
  queryLimits: QueryLimitsConfig;
  /** Base of the public URLs shown for listeners; the listening address when unset. */
  publicUrl: string | undefined;
  /** Largest body an inbound listener accepts (413 above it, before verification). */
  listenerMaxBodyBytes: number;
  /** Who may embed the portal in a frame: CSP `frame-ancestors` sources; none when empty. */
  portalFrameAncestors: string[];
  dispatch: DispatchConfig;
  retention: RetentionConfig;
  /** How often completed sync runs are checked for final deliveries (HOOKGRAPH_SYNC_RUN_LOOK_MS). */
  syncRunLookMs: number;
  jobs: JobsConfig;
}

/** Bounds on one GraphQL operation, over HTTP and graphql-ws alike; see graphql/limits/. */
export interface QueryLimitsConfig {
  /** Tokens (names, punctuation, values) a query may hold; counted before it is parsed. */
  maxTokens: number;
  /** Cost estimated before execution: each page costs its size times what one item selects, large fields weighted. */
  maxCost: number;
  /** Bytes a query's answer may take as JSON; a larger answer is refused instead of sent. */
  maxResponseBytes: number;
}

/** The delivery engine's knobs (HOOKGRAPH_WORKER_*). */
export interface DispatchConfig {
  /** Run the dispatcher in this process (HOOKGRAPH_WORKER_ENABLED). */
  enabled: boolean;
  /** Requests in flight at once per process. */
  concurrency: number;
  /** Deliveries claimed per claim statement. */
  claimBatch: number;
  /** How long a claim holds a delivery; MUST exceed the longest request timeout, or another worker may send it too. */
  leaseMs: number;
  /** Fallback poll when no in-process wake-up arrives (other processes' publishes, retries coming due). */
  pollIntervalMs: number;
  /** On stop, how long in-flight requests may finish before their leases are released. */
  stopGraceMs: number;
  breaker: BreakerConfig;
}

/** The per-destination circuit breaker (HOOKGRAPH_BREAKER_*); see sql/destination-health.ts. */
export interface BreakerConfig {
  /** Attempts in a row that find the endpoint down (network error, timeout, 408, 429, 5xx) before the breaker opens. */
  threshold: number;
  /** How long an open breaker holds the deliveries before it lets a probe through. */
  openMs: number;
  /** Failing without a success for this long disables the destination; 0 never does. */
  disableAfterMs: number;
}

/** The bulk job runner's knobs (HOOKGRAPH_JOB_*); see domain/job/job-runner.ts. */
export interface JobsConfig {
  /** Items (deliveries or events) a job handles per transaction. */
  batchSize: number;
  /** A pause after each batch; 0 in production. Tests slow a job down with it, to stop it mid-way. */
  batchDelayMs: number;
  /** How long a runner holds a job without renewing it (each batch renews it); another process takes it over after. */
  leaseMs: number;
  /** How often a runner looks for jobs queued by other processes or left by a dead one. */
  pollIntervalMs: number;
}

/** How long delivery history is kept (HOOKGRAPH_RETENTION_*); see dispatch/retention.ts. */
export interface RetentionConfig {
  /** Events (with their finished deliveries and attempts) and captured listener requests are deleted after this many days; 0 keeps everything. */
  days: number;
  /** A FAILED delivery (and its event) is kept this many days after it failed, for a retry; 0 keeps it until retried. */
  failedDays: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): Config {
  const profile = parseProfile(env.HOOKGRAPH_PROFILE);
  const dataDir = path.resolve(env.HOOKGRAPH_DATA_DIR || './data');
  const secretKey = parseSecretKey(env.HOOKGRAPH_SECRET_KEY);
  if (profile === 'production' && !secretKey) {
    throw new ConfigError('HOOKGRAPH_SECRET_KEY', 'is required in the production profile (32 bytes as 64 hex characters or base64)');
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    profile,
    host: env.HOST || '127.0.0.1',
    port: parsePort(env.PORT),
    dataDir,
    database: parseDatabaseUrl(env.DATABASE_URL, dataDir),
    redisUrl: parseRedisUrl(env.REDIS_URL),
    redisPrefix: parseRedisPrefix(env.HOOKGRAPH_REDIS_PREFIX),
    subscriptionBacklog: parsePositiveInt('HOOKGRAPH_SUBSCRIPTION_BACKLOG', env.HOOKGRAPH_SUBSCRIPTION_BACKLOG, 10_000),
    adminKey: parseAdminKey(env.HOOKGRAPH_ADMIN_KEY),
    metricsToken: parseMetricsToken(env.HOOKGRAPH_METRICS_TOKEN),
    otlpEndpoint: parseOtlpEndpoint(env.OTEL_EXPORTER_OTLP_ENDPOINT),
    secretKey,
    allowNetworks: parseNetworks(env.HOOKGRAPH_ALLOW_NETWORKS),
    logLevel,
    introspection: parseBoolean('HOOKGRAPH_INTROSPECTION', env.HOOKGRAPH_INTROSPECTION, profile === 'development'),
    maxRequestBodyBytes: parsePositiveInt('HOOKGRAPH_MAX_BODY_BYTES', env.HOOKGRAPH_MAX_BODY_BYTES, 1024 * 1024),
    queryLimits: {
      maxTokens: parsePositiveInt('HOOKGRAPH_MAX_QUERY_TOKENS', env.HOOKGRAPH_MAX_QUERY_TOKENS, 2000),
      maxCost: parsePositiveInt('HOOKGRAPH_MAX_QUERY_COST', env.HOOKGRAPH_MAX_QUERY_COST, 10_000),
      maxResponseBytes: parsePositiveInt('HOOKGRAPH_MAX_RESPONSE_BYTES', env.HOOKGRAPH_MAX_RESPONSE_BYTES, 16 * 1024 * 1024),
    },
    publicUrl: parsePublicUrl(env.HOOKGRAPH_PUBLIC_URL),
    listenerMaxBodyBytes: parsePositiveInt('HOOKGRAPH_LISTENER_MAX_BODY_BYTES', env.HOOKGRAPH_LISTENER_MAX_BODY_BYTES, 1024 * 1024),
    portalFrameAncestors: parseFrameAncestors(env.HOOKGRAPH_PORTAL_FRAME_ANCESTORS),
    dispatch: parseDispatch(env),
    syncRunLookMs: parsePositiveInt('HOOKGRAPH_SYNC_RUN_LOOK_MS', env.HOOKGRAPH_SYNC_RUN_LOOK_MS, 2000),
    jobs: parseJobs(env),
    retention: {
      // Whole days, 0 meaning "keep", at most 100 years.
      days: parseNonNegativeInt('HOOKGRAPH_RETENTION_DAYS', env.HOOKGRAPH_RETENTION_DAYS, 30, 36_500),
      failedDays: parseNonNegativeInt('HOOKGRAPH_RETENTION_FAILED_DAYS', env.HOOKGRAPH_RETENTION_FAILED_DAYS, 90, 36_500),
    },
  };
}

function parseJobs(env: Env): JobsConfig {
  const jobs: JobsConfig = {
    batchSize: parsePositiveInt('HOOKGRAPH_JOB_BATCH_SIZE', env.HOOKGRAPH_JOB_BATCH_SIZE, 500),
    batchDelayMs: parseNonNegativeInt('HOOKGRAPH_JOB_BATCH_DELAY_MS', env.HOOKGRAPH_JOB_BATCH_DELAY_MS, 0, 60_000),
    leaseMs: parsePositiveInt('HOOKGRAPH_JOB_LEASE_MS', env.HOOKGRAPH_JOB_LEASE_MS, 30_000),
    pollIntervalMs: parsePositiveInt('HOOKGRAPH_JOB_POLL_MS', env.HOOKGRAPH_JOB_POLL_MS, 2000),
  };
  if (jobs.batchSize > 5000) throw new ConfigError('HOOKGRAPH_JOB_BATCH_SIZE', 'must be at most 5000');
  // A batch renews the lease: it must outlast the pause between two of them.
  if (jobs.leaseMs < 500 || jobs.leaseMs <= 2 * jobs.batchDelayMs) {
    throw new ConfigError('HOOKGRAPH_JOB_LEASE_MS', 'must be at least 500 and more than twice HOOKGRAPH_JOB_BATCH_DELAY_MS');
  }
  return jobs;
}

function parseDispatch(env: Env): DispatchConfig {
  const dispatch: DispatchConfig = {
    enabled: parseBoolean('HOOKGRAPH_WORKER_ENABLED', env.HOOKGRAPH_WORKER_ENABLED, true),
    concurrency: parsePositiveInt('HOOKGRAPH_WORKER_CONCURRENCY', env.HOOKGRAPH_WORKER_CONCURRENCY, 64),
    claimBatch: parsePositiveInt('HOOKGRAPH_WORKER_CLAIM_BATCH', env.HOOKGRAPH_WORKER_CLAIM_BATCH, 128),
    leaseMs: parsePositiveInt('HOOKGRAPH_WORKER_LEASE_MS', env.HOOKGRAPH_WORKER_LEASE_MS, 150_000),
    pollIntervalMs: parsePositiveInt('HOOKGRAPH_WORKER_POLL_MS', env.HOOKGRAPH_WORKER_POLL_MS, 1000),
    stopGraceMs: parsePositiveInt('HOOKGRAPH_WORKER_STOP_GRACE_MS', env.HOOKGRAPH_WORKER_STOP_GRACE_MS, 20_000),
    breaker: {
      threshold: parsePositiveInt('HOOKGRAPH_BREAKER_THRESHOLD', env.HOOKGRAPH_BREAKER_THRESHOLD, 20),
      openMs: parsePositiveInt('HOOKGRAPH_BREAKER_OPEN_MS', env.HOOKGRAPH_BREAKER_OPEN_MS, 60_000),
      disableAfterMs: parseNonNegativeInt('HOOKGRAPH_BREAKER_DISABLE_AFTER_MS', env.HOOKGRAPH_BREAKER_DISABLE_AFTER_MS, 5 * DAY),
    },
  };
  if (dispatch.concurrency > 1000) throw new ConfigError('HOOKGRAPH_WORKER_CONCURRENCY', 'must be at most 1000');
  if (dispatch.claimBatch > 500) throw new ConfigError('HOOKGRAPH_WORKER_CLAIM_BATCH', 'must be at most 500');
  if (dispatch.leaseMs < 1000) throw new ConfigError('HOOKGRAPH_WORKER_LEASE_MS', 'must be at least 1000 (1 s)');
  return dispatch;
}

function parseProfile(value: string | undefined): Profile {
  if (!value) return 'development';
  if (value === 'development' || value === 'production') return value;
  throw new ConfigError('HOOKGRAPH_PROFILE', `must be "development" or "production", got "${value}"`);
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 4000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be an integer from 0 to 65535, got "${value}"`);
  }
  return port;
}

function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(name, `must be a positive integer, got "${value}"`);
  return n;
}

function parseNonNegativeInt(name: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || n > max) throw new ConfigError(name, `must be a whole number from 0 to ${max}, got "${value}"`);
  return n;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

export function parseDatabaseUrl(value: string | undefined, dataDir: string): DatabaseConfig {
  if (!value) return { kind: 'sqlite', path: path.join(dataDir, 'hookgraph.db') };
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new ConfigError('DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:./data/hookgraph.db');
    return { kind: 'sqlite', path: file === ':memory:' ? file : path.resolve(file) };
  }
  if (value.startsWith('mysql://')) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid mysql:// URL');
    }
    if (url.pathname.length <= 1) throw new ConfigError('DATABASE_URL', 'mysql:// URL must name a database, e.g. mysql://root@127.0.0.1:3306/hookgraph');
    return { kind: 'mysql', url: value };
  }
  throw new ConfigError('DATABASE_URL', 'must start with sqlite: or mysql://');
}

function parsePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new ConfigError('HOOKGRAPH_PUBLIC_URL', `"${value}" is not an http(s) URL like https://hooks.example.com`);
  }
  return value.replace(/\/+$/, '');
}

/** A CSP frame-ancestors source: 'self', or an http(s) origin (`*.` before the host for every subdomain; a port if not the default). */
const FRAME_ANCESTOR = /^(?:'self'|https?:\/\/(?:(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?)$/i;

function parseFrameAncestors(value: string | undefined): string[] {
  if (!value || value.trim() === "'none'") return [];
  const sources = value.split(/[\s,]+/).filter(Boolean);
  for (const source of sources) {
    if (!FRAME_ANCESTOR.test(source)) {
      throw new ConfigError(
        'HOOKGRAPH_PORTAL_FRAME_ANCESTORS',
        `"${source}" is not 'self' or an origin like https://app.example.com (https://*.example.com for its subdomains)`,
      );
    }
  }
  return sources;
}

function parseRedisUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^rediss?:\/\//.test(value)) throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://');
  return value;
}

function parseRedisPrefix(value: string | undefined): string {
  if (!value) return 'hookgraph';
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(value)) {
    throw new ConfigError('HOOKGRAPH_REDIS_PREFIX', 'must be 1 to 100 letters, digits or _ . : -');
  }
  return value;
}

function parseOtlpEndpoint(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('OTEL_EXPORTER_OTLP_ENDPOINT', `"${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('OTEL_EXPORTER_OTLP_ENDPOINT', 'must be an http or https URL');
  return value;
}

function parseMetricsToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 16 || /\s/.test(value)) throw new ConfigError('HOOKGRAPH_METRICS_TOKEN', 'must be at least 16 characters, without spaces');
  return value;
}

function parseAdminKey(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 16) throw new ConfigError('HOOKGRAPH_ADMIN_KEY', 'must be at least 16 characters long');
  return value;
}

export function parseSecretKey(value: string | undefined): Buffer | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const decoded = Buffer.from(trimmed, 'base64');
  if (decoded.length === 32 && /^[A-Za-z0-9+/_-]+=*$/.test(trimmed)) return decoded;
  throw new ConfigError('HOOKGRAPH_SECRET_KEY', 'must be 32 bytes as 64 hex characters or base64');
}

function parseNetworks(value: string | undefined): string[] {
  if (!value) return [];
  const cidrs = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const cidr of cidrs) {
    try {
      ipaddr.parseCIDR(cidr);
    } catch {
      throw new ConfigError('HOOKGRAPH_ALLOW_NETWORKS', `"${cidr}" is not a CIDR like 10.0.0.0/8 or fd00::/8`);
    }
  }
  return cidrs;
}
