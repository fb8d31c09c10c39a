import { BullModule } from '@nestjs/bullmq';
import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Credentials } from './auth/credentials.js';
import { EnvironmentModule } from './config/config.module.js';
import { Environment } from './config/environment.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { Database } from './database/database.js';
import { SandboxData } from './database/sandbox-data.js';
import { SandboxLookup } from './database/sandbox-lookup.js';
import { IdempotencyStore, RESPONSE_PURPOSE } from './idempotency/idempotency.store.js';
import { HealthController } from './observability/health.js';
import { Metrics, MetricsController } from './observability/metrics.js';
import { EventLog } from './outbox/event-log.js';
import { Outbox, OutboxSignal } from './outbox/outbox.js';
import { RouteGates } from './outbox/route-gates.js';
import { FailedJobs } from './queue/failed-jobs.js';
import { Queues } from './queue/queues.js';
import { useQueueBackend } from './queue/queue-backend.js';
import { JobsModule } from './queue/job-catalog.js';
import { RETENTION } from './queue/jobs.js';
import { RedisLifecycle, redisProvider } from './redis/redis.js';
import { ServicePolicy } from './policy/service-policy.js';
import { noticesProvider } from './notices/notices-provider.js';
import { SandboxChanges } from './notices/sandbox-changes.js';
import { SealedData } from './secrets/sealed-data.js';
import { Secrets } from './secrets/secrets.js';
import { ThrottleCounters } from './throttle/throttle-counters.js';
import { HOUSEKEEPING_JOBS } from './worker/housekeeping.jobs.js';

/**
 * The kernel every process shares: validated config, PostgreSQL, Redis when
 * the deployment has it, queues, notices, throttle counters, the outbox,
 * idempotency records, credentials.
 */
@Global()
@Module({
  imports: [
    EnvironmentModule,
    TypeOrmModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => dataSourceOptions(env.DATABASE_URL, env.DB_POOL_SIZE),
    }),
    BullModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({ ...useQueueBackend(env), defaultJobOptions: RETENTION }),
    }),
    JobsModule.forFeature(HOUSEKEEPING_JOBS),
  ],
  providers: [
    redisProvider,
    RedisLifecycle,
    noticesProvider,
    ThrottleCounters,
    Database,
    SandboxData,
    SandboxLookup,
    Queues,
    FailedJobs,
    Outbox,
    OutboxSignal,
    EventLog,
    IdempotencyStore,
    Credentials,
    Metrics,
    Secrets,
    SealedData,
    SandboxChanges,
    ServicePolicy,
    RouteGates,
  ],
  exports: [
    EnvironmentModule,
    BullModule,
    redisProvider,
    noticesProvider,
    ThrottleCounters,
    Database,
    SandboxData,
    SandboxLookup,
    Queues,
    FailedJobs,
    Outbox,
    OutboxSignal,
    EventLog,
    IdempotencyStore,
    Credentials,
    Metrics,
    Secrets,
    SealedData,
    SandboxChanges,
    ServicePolicy,
    RouteGates,
  ],
})
export class CoreModule implements OnModuleInit {
  constructor(
    private readonly sandboxData: SandboxData,
    private readonly sealedData: SealedData,
    private readonly idempotency: IdempotencyStore,
  ) {}

  onModuleInit(): void {
    this.sealedData.register('idempotent responses', {
      purpose: RESPONSE_PURPOSE,
      page: (after, limit) => this.idempotency.sealedPage(after, limit),
      replace: (value, sealed) => this.idempotency.replaceSealed(value, sealed),
    });
    this.sandboxData.register('core', async (tx, sandboxId) => {
      await tx.rows(`DELETE FROM outbox_events WHERE sandbox_id = $1`, [sandboxId]);
      await tx.rows(`DELETE FROM idempotency_keys WHERE sandbox_id = $1`, [sandboxId]);
      await tx.rows(`DELETE FROM failed_jobs WHERE sandbox_id = $1`, [sandboxId]);
    });
  }
}

/** Health and metrics endpoints, for the api process. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
})
export class CoreHttpModule {}
