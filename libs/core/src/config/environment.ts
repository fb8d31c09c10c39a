import { existsSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const QUEUE_BACKENDS = ['redis', 'postgres'] as const;
export type QueueBackend = (typeof QUEUE_BACKENDS)[number];
export const DATABASE_TOPOLOGIES = ['single', 'citus'] as const;
export type DatabaseTopology = (typeof DATABASE_TOPOLOGIES)[number];
/** `host:port` (a name, an IPv4 address or a bracketed IPv6 one), comma-separated. */
const CLUSTER_NODES = /^(?:[a-zA-Z0-9.-]+|\[[0-9a-fA-F:.]+\]):\d{1,5}(?:,\s*(?:[a-zA-Z0-9.-]+|\[[0-9a-fA-F:.]+\]):\d{1,5})*$/;

/**
 * Every setting of the api, worker and migrate processes, validated once at
 * boot. Defaults sit inline; values without a default are required.
 */
export class Environment {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  /** `citus`: DATABASE_URL is a Citus coordinator; migrate spreads the tables over its workers by sandbox. */
  @IsIn(DATABASE_TOPOLOGIES, { message: `DATABASE_TOPOLOGY must be one of ${DATABASE_TOPOLOGIES.join(', ')}` })
  DATABASE_TOPOLOGY: DatabaseTopology = 'single';

  /** Redis for the queues, throttles and change notices; without it, PostgreSQL does all three. */
  /** Redis for the queues, throttles and change notices; without it (or REDIS_CLUSTER_NODES), PostgreSQL does all three. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /**
   * A Redis Cluster instead of one Redis server (REDIS_URL): some of its
   * nodes, comma-separated `host:port`, from which the rest are found. Each
   * queue then has a hash tag of its own, so the queues spread over the
   * cluster's masters.
   */
  @IsOptional()
  @Matches(CLUSTER_NODES, { message: 'REDIS_CLUSTER_NODES must be a comma-separated list of host:port, e.g. 10.0.0.1:7000,10.0.0.2:7000' })
  REDIS_CLUSTER_NODES?: string;

  /** Where BullMQ keeps its queues: `redis` when REDIS_URL or REDIS_CLUSTER_NODES is set, else BullMQ's own PostgreSQL backend in DATABASE_URL. */
  @IsOptional()
  @IsIn(QUEUE_BACKENDS, { message: `QUEUE_BACKEND must be one of ${QUEUE_BACKENDS.join(', ')}` })
  QUEUE_BACKEND?: QueueBackend;

  /** The platform operator's credential: creates sandboxes, opens /admin/queues. */
  @IsString()
  @MinLength(32, { message: 'ADMIN_TOKEN must be at least 32 characters' })
  ADMIN_TOKEN: string;

  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (per-route refusal counts tell an attacker how they fare). */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** One readable line per entry for a person at a terminal; JSON for log collectors. Unset: pretty on a terminal. */
  @IsOptional()
  @IsIn(LOG_FORMATS)
  LOG_FORMAT?: LogFormat;

  /** Prefix of every Redis key (queues, throttles, notices), so several deployments can share one Redis; on a cluster a queue's keys are under `<prefix>:{<queue>}`. */
  @Matches(/^[a-zA-Z0-9_.:-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 of [a-zA-Z0-9_.:-]' })
  QUEUE_PREFIX = 'wallet-sandbox';

  /** Base URL printed to users and used in links the sandbox sends (never the Host header). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_URL?: string;

  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 64 * 1024;

  @IsInt()
  @Min(1)
  @Max(500)
  DB_POOL_SIZE = 20;

  @IsInt()
  @Min(1)
  @Max(256)
  WORKER_CONCURRENCY = 16;

  /** api processes behind PORT (Node's cluster module; connections round-robin), each with its own DB_POOL_SIZE. */
  @IsInt()
  @Min(1)
  @Max(64)
  API_PROCESSES = 1;

  /** Worker processes, each consuming every queue with WORKER_CONCURRENCY and its own DB_POOL_SIZE. */
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_PROCESSES = 1;

  /** Fallback poll of the outbox relay; commits also wake it through Redis at once. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_MS = 500;

  /** How long a relay's claim on a batch lasts; a relay that died mid-batch is replaced after it. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  OUTBOX_LEASE_MS = 30_000;

  /**
   * Before SECRETS_KEY: the root of the derived keys when set, else
   * ADMIN_TOKEN. Now only opens values sealed before keys had versions
   * (until `npm run rotate-keys` re-seals them) and, in development and
   * test without SECRETS_KEY, stands in for it.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /**
   * The root of every derived key: sealing (TOTP seeds, payment codes,
   * webhook secrets, bank accounts, idempotent responses), access-token
   * signing, code HMACs. Required in production; in development and test it
   * falls back to JWT_SECRET, else ADMIN_TOKEN (`npm start` writes one).
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SECRETS_KEY must be at least 32 characters' })
  SECRETS_KEY?: string;

  /** Earlier SECRETS_KEY values, comma-separated: what they sealed still opens until `npm run rotate-keys` re-seals it. */
  @IsOptional()
  @Matches(/^[^,\s]{32,}(,\s*[^,\s]{32,})*$/, {
    message: 'SECRETS_KEY_PREVIOUS must be a comma-separated list of earlier SECRETS_KEY values',
  })
  SECRETS_KEY_PREVIOUS?: string;

  /** Proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDRs); none by default. */
  @IsOptional()
  @Matches(/^[0-9a-fA-F.:/]+(,\s*[0-9a-fA-F.:/]+)*$/, { message: 'TRUSTED_PROXIES must be a comma-separated list of IPs or CIDRs' })
  TRUSTED_PROXIES?: string;

  /** How long one webhook delivery may take, connection to response, before it counts as failed. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /**
   * Whether webhooks may target private networks (10/8, 172.16/12,
   * 192.168/16, 100.64/10, fc00::/7) as well as loopback. Unset: this
   * machine's loopback in development and test, public addresses only in
   * production. Link-local (cloud metadata), multicast and reserved
   * addresses are refused whatever this says.
   */
  @IsOptional()
  @IsIn(['true', 'false'])
  WEBHOOK_ALLOW_PRIVATE_TARGETS?: 'true' | 'false';

  /** How long a call with `Sandbox-Simulate: timeout` stalls before answering 504. */
  @IsInt()
  @Min(0)
  @Max(120_000)
  SIMULATED_TIMEOUT_MS = 10_000;

  /** Refund claims a payout run pays per batch: one transaction and one ledger round trip each. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  PAYOUT_BATCH_SIZE = 1_000;

  /** Which addresses webhooks may reach besides public ones: none, this machine's loopback, or private networks too. */
  webhookReach(): WebhookReach {
    if (this.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true') return 'private';
    if (this.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'false') return 'public';
    return this.NODE_ENV === 'production' ? 'public' : 'loopback';
  }

  /** The queue backend in force: as set, else Redis when there is one (a server or a cluster). */
  queueBackend(): QueueBackend {
    return this.QUEUE_BACKEND ?? (this.REDIS_URL || this.REDIS_CLUSTER_NODES ? 'redis' : 'postgres');
  }

  /** The Redis Cluster nodes REDIS_CLUSTER_NODES names, or none when there is no cluster. */
  redisClusterNodes(): Array<{ host: string; port: number }> {
    if (!this.REDIS_CLUSTER_NODES) return [];
    return this.REDIS_CLUSTER_NODES.split(',').map((node) => {
      const at = node.trim().lastIndexOf(':');
      return {
        host: node
          .trim()
          .slice(0, at)
          .replace(/^\[(.*)\]$/, '$1'),
        port: Number(node.trim().slice(at + 1)),
      };
    });
  }

  /** The log format in force: as set, else pretty when a person watches the output. */
  logFormat(): LogFormat {
    return this.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  }

  /** The SECRETS_KEY values that may open sealed data: the current one first (null: the development fallback), then earlier ones. */
  secretsKeys(): { current: string | null; previous: string[] } {
    const previous = (this.SECRETS_KEY_PREVIOUS ?? '').split(',').map((key) => key.trim());
    return { current: this.SECRETS_KEY ?? null, previous: previous.filter((key) => key !== '') };
  }

  publicUrl(): string {
    return this.PUBLIC_URL ?? `http://localhost:${this.PORT}`;
  }
}

const NUMERIC_KEYS = new Set([
  'PORT',
  'BODY_LIMIT_BYTES',
  'DB_POOL_SIZE',
  'WORKER_CONCURRENCY',
  'API_PROCESSES',
  'WORKER_PROCESSES',
  'OUTBOX_POLL_MS',
  'OUTBOX_LEASE_MS',
  'WEBHOOK_TIMEOUT_MS',
  'SIMULATED_TIMEOUT_MS',
  'PAYOUT_BATCH_SIZE',
]);

/** How far webhooks may reach: public addresses only; and this machine's loopback; and private networks as well. */
export type WebhookReach = 'public' | 'loopback' | 'private';

/** A setting that stops the process: told to the user by name, without a stack trace. */
export class EnvironmentError extends Error {
  constructor(
    readonly problems: string[],
    heading = 'Invalid configuration',
  ) {
    super(`${heading}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvironmentError';
  }
}

/** Parses and validates raw process variables; throws naming every bad or missing one. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = Object.keys(new Environment()).concat([
    'DATABASE_URL',
    'REDIS_URL',
    'REDIS_CLUSTER_NODES',
    'QUEUE_BACKEND',
    'ADMIN_TOKEN',
    'PUBLIC_URL',
    'JWT_SECRET',
    'TRUSTED_PROXIES',
    'WEBHOOK_ALLOW_PRIVATE_TARGETS',
    'METRICS_TOKEN',
    'SECRETS_KEY',
    'SECRETS_KEY_PREVIOUS',
  ]);
  const picked: Record<string, unknown> = {};
  for (const key of known) {
    const value = raw[key];
    if (value === undefined || value === '') continue;
    picked[key] = NUMERIC_KEYS.has(key) && /^-?\d+$/.test(String(value)) ? Number(value) : value;
  }
  const env = plainToInstance(Environment, picked);
  const errors = validateSync(env, { skipMissingProperties: false });
  const problems = errors.map((e) => {
    const missing = picked[e.property] === undefined;
    return missing ? `${e.property} is required but missing` : Object.values(e.constraints ?? {}).join('; ');
  });
  problems.push(...redisProblems(env, new Set(errors.map((e) => e.property))));
  problems.push(...secretProblems(env, new Set(errors.map((e) => e.property))));
  if (problems.length > 0) throw new EnvironmentError(problems);
  return env;
}

function redisProblems(env: Environment, invalid: Set<string>): string[] {
  const problems: string[] = [];
  if (env.REDIS_URL !== undefined && env.REDIS_CLUSTER_NODES !== undefined) {
    problems.push(
      'REDIS_URL and REDIS_CLUSTER_NODES are both set: set REDIS_URL for one Redis server, or REDIS_CLUSTER_NODES for a Redis Cluster',
    );
  }
  if (env.QUEUE_BACKEND === 'redis' && env.REDIS_URL === undefined && env.REDIS_CLUSTER_NODES === undefined) {
    problems.push(
      'QUEUE_BACKEND=redis needs REDIS_URL (or REDIS_CLUSTER_NODES for a Redis Cluster; or leave QUEUE_BACKEND unset to keep the queues in PostgreSQL)',
    );
  }
  const badPorts = invalid.has('REDIS_CLUSTER_NODES') ? [] : env.redisClusterNodes().filter(({ port }) => port < 1 || port > 65535);
  if (badPorts.length > 0) {
    problems.push(`REDIS_CLUSTER_NODES has ports out of range (1-65535): ${badPorts.map(({ port }) => port).join(', ')}`);
  }
  return problems;
}

/** The settings that are credentials or keys: none may be a placeholder or guessable. */
const SECRET_SETTINGS = ['ADMIN_TOKEN', 'JWT_SECRET', 'SECRETS_KEY', 'METRICS_TOKEN'] as const;

/** Words of the placeholders in .env.example and the docs, which people copy as they stand. */
const PLACEHOLDER = /change[-_ ]?me|placeholder|replace[-_ ]?(me|this|with)|your[-_ ]|example|x{8}|\.\.\./i;

/** Why a secret's value is unfit, or null: a placeholder, too few distinct characters, or one short run repeated. */
export function weakSecret(value: string): string | null {
  if (PLACEHOLDER.test(value)) return 'is a placeholder from the documentation';
  if (new Set(value).size < 8) return 'has fewer than 8 distinct characters';
  if (/^(.{1,16}?)\1+$/s.test(value)) return 'repeats one short run of characters';
  return null;
}

function secretProblems(env: Environment, invalid: Set<string>): string[] {
  const problems: string[] = [];
  for (const name of SECRET_SETTINGS) {
    const value = invalid.has(name) ? undefined : env[name];
    const weakness = value === undefined ? null : weakSecret(value);
    if (weakness) problems.push(`${name} ${weakness}; use a random value, e.g. \`openssl rand -base64 32\``);
  }
  if (env.NODE_ENV === 'production' && env.SECRETS_KEY === undefined) {
    problems.push(
      'SECRETS_KEY is required in production: the root of every sealed value and derived key, apart from ADMIN_TOKEN ' +
        '(e.g. `openssl rand -base64 32`; see docs/configuration.md)',
    );
  }
  if (env.SECRETS_KEY !== undefined && (env.SECRETS_KEY === env.ADMIN_TOKEN || env.SECRETS_KEY === env.JWT_SECRET)) {
    problems.push('SECRETS_KEY must differ from ADMIN_TOKEN and JWT_SECRET: the admin token is typed into browsers and printed');
  }
  if (env.SECRETS_KEY !== undefined && env.secretsKeys().previous.includes(env.SECRETS_KEY)) {
    problems.push('SECRETS_KEY_PREVIOUS lists the current SECRETS_KEY; list only earlier keys');
  }
  return problems;
}

/**
 * Reads `.env` from the working directory when there is one (variables
 * already set win), then validates everything. Processes call this before
 * building anything, so a bad or missing value stops them naming it.
 */
export function loadEnvironment(): Environment {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return validateEnvironment(process.env);
}
