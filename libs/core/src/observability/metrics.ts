import { Controller, Get, Header, Headers, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { groupMetrics, isSupervised } from '../config/process-group.js';
import { Public } from '../auth/auth.decorators.js';
import { Environment } from '../config/environment.js';
import { Database } from '../database/database.js';
import { roundTrips } from '../database/round-trips.js';
import { DomainError } from '../errors/domain-error.js';
import { secretsEqual } from '../ids/ids.js';
import { Queues } from '../queue/queues.js';

/**
 * Prometheus metrics: HTTP latency, queue depths, outbox backlog. Of one
 * process, or, where a supervisor runs several (API_PROCESSES), of them all:
 * counters and histograms added up, the shared state read once.
 */
@Injectable()
export class Metrics implements OnModuleInit {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly jobsProcessed = new Counter({
    name: 'queue_jobs_processed_total',
    help: 'Jobs finished by this process, by queue, job and outcome',
    labelNames: ['queue', 'job', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly queues: Queues,
    private readonly db: Database,
  ) {}

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.registry });
    // Answers the supervisor's requests for this process's share of a scrape.
    if (isSupervised()) {
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([this.registry]);
    }
    const queues = this.queues;
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs in each queue by state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      // Every process reads the same queues: several processes' figures are one figure.
      aggregator: 'max',
      async collect() {
        for (const queue of queues.all()) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
          for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
        }
      },
    });
    new Counter({
      name: 'db_round_trips_total',
      help: 'Statements sent to PostgreSQL, BEGIN and COMMIT included',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(roundTrips.count);
      },
    });
    const db = this.db;
    new Gauge({
      name: 'outbox_backlog',
      help: 'Committed events not yet relayed to their queues',
      registers: [this.registry],
      aggregator: 'max',
      async collect() {
        const [row] = await db.rows<{ n: string }>(`SELECT count(*) AS n FROM outbox_events WHERE relayed_at IS NULL`);
        this.set(Number(row.n));
      },
    });
  }
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly env: Environment,
  ) {}

  /** Public unless METRICS_TOKEN is set; then only its bearer scrapes. */
  @Public()
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.env.METRICS_TOKEN;
    if (token && !secretsEqual(authorization ?? '', `Bearer ${token}`)) {
      throw new DomainError('unauthenticated', 'Scraping /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    if (!isSupervised()) return this.metrics.registry.metrics();
    try {
      return await groupMetrics();
    } catch (error) {
      throw new DomainError('service_unavailable', `Metrics of every api process are not available: ${(error as Error).message}`);
    }
  }
}
