import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { Environment } from '../config/environment.js';
import { Problems } from '../http/problems.js';
import { FailedJobs } from '../queue/failed-jobs.js';
import { Queues } from '../queue/queues.js';
import { REDIS, type RedisClient, askEveryServer } from '../redis/redis.js';

class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

/** Each check by name (database, queues, workers): `status` and what it found (the workers' backlog and failures, the Redis eviction policy…). */
const CHECKS: { type: 'object'; additionalProperties: SchemaObject } = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
};

class ReadinessDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
  @ApiProperty({ ...CHECKS, description: 'The checks that passed', example: { database: { status: 'up' } } }) info: object;
  @ApiProperty({ ...CHECKS, description: 'The checks that failed: none when ready', example: {} }) error: object;
  @ApiProperty({ ...CHECKS, description: 'Every check', example: { database: { status: 'up' } } }) details: object;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly queues: Queues,
    private readonly failedJobs: FailedJobs,
    private readonly env: Environment,
    @Inject(REDIS) private readonly redis: RedisClient | null,
  ) {}

  /** The process is up. */
  @Public()
  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: the api process answers (no dependency is checked)' })
  @ApiOkResponse({ type: LivenessDto })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * The sandbox works end to end: PostgreSQL answers, so do the queues (Redis
   * without an eviction policy that could drop jobs, or BullMQ's tables), and
   * a worker consumes every queue, without which top-ups, webhooks and
   * payouts wait for ever. The backlog says how far behind the workers are,
   * `failedLastDay` how many jobs failed for good in the last 24 hours (each
   * is in the `failed_jobs` table, with its payload and error).
   */
  @Public()
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness: PostgreSQL, the queue backend and a worker for every queue' })
  @ApiOkResponse({ type: ReadinessDto })
  // Not ready: the problem's `health` holds the same checks, the failed ones under `error`.
  @Problems('service_unavailable')
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2_000 }),
      () => this.queuesReady(),
      () => this.workersReady(),
    ]);
  }

  private async workersReady() {
    const indicator = this.indicators.check('workers');
    try {
      const queues = await Promise.all(
        this.queues.all().map(async (queue) => {
          const [workers, jobs] = await Promise.all([queue.getWorkersCount(), queue.getJobCounts('waiting', 'active', 'delayed')]);
          return { name: queue.name, workers, jobs };
        }),
      );
      const backlog = { waiting: 0, active: 0, delayed: 0 };
      for (const { jobs } of queues)
        for (const state of Object.keys(backlog) as Array<keyof typeof backlog>) backlog[state] += jobs[state] ?? 0;
      const unconsumed = queues.filter((queue) => queue.workers === 0).map((queue) => queue.name);
      const workers = Math.min(...queues.map((queue) => queue.workers));
      const failedLastDay = await this.failedJobs.countLastDay();
      if (unconsumed.length > 0) {
        return indicator.down({
          message: `no worker consumes ${unconsumed.join(', ')}: is the worker running?`,
          unconsumed,
          backlog,
          failedLastDay,
        });
      }
      return indicator.up({ workers, backlog, failedLastDay });
    } catch (error) {
      return indicator.down({ message: String(error) });
    }
  }

  private async queuesReady() {
    const backend = this.env.queueBackend();
    const indicator = this.indicators.check('queues');
    try {
      if (this.redis) {
        // On a cluster, every master: each holds some of the queues.
        const policies = await askEveryServer(
          this.redis,
          async (server) => ((await server.config('GET', 'maxmemory-policy')) as [string, string])[1],
        );
        const policy = policies.find((found) => found !== 'noeviction') ?? 'noeviction';
        if (policy !== 'noeviction') {
          return indicator.down({ backend, message: `maxmemory-policy is '${policy}'; queues need 'noeviction'`, maxmemoryPolicy: policy });
        }
        return indicator.up({ backend, maxmemoryPolicy: policy });
      }
      await this.queues.get('housekeeping').getJobCounts('waiting');
      return indicator.up({ backend });
    } catch (error) {
      return indicator.down({ backend, message: String(error) });
    }
  }
}
