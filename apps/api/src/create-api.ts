import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import {
  DomainError,
  Metrics,
  PROBLEM_CONTENT_TYPE,
  PinoNestLogger,
  Queues,
  RequestContext,
  createRootLogger,
  fromUntrustedProxy,
  loadEnvironment,
  newId,
  nulCharacters,
  toProblem,
  unexpectedBody,
} from '#core';
import { ApiModule } from './api.module.js';
import { addSecurityHeaders } from './security-headers.js';

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** Answers a request Fastify refuses before any Nest handler (and so before the problem filter) runs. */
function refuse(reply: FastifyReply, error: unknown): void {
  const problem = toProblem(error);
  void reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem.body);
}

export interface ApiOptions {
  /**
   * Swagger UI, Bull Board and the console, which serve static files through
   * @fastify/static. Jest on Node 20 cannot load that package's ESM-only
   * dependency, so in-process tests leave them out; the process tests cover them.
   */
  dashboards?: boolean;
}

/** Builds the api (not yet listening): the same app for `npm start`, docker and the e2e tests. */
export async function createApi(options: ApiOptions = {}): Promise<NestFastifyApplication> {
  const env = loadEnvironment();
  const logger = createRootLogger(env.LOG_LEVEL, 'api', env.logFormat());
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One log line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: env.BODY_LIMIT_BYTES,
    // X-Forwarded-For decides the client IP (and so the throttles) only behind proxies we were told to trust.
    trustProxy: env.TRUSTED_PROXIES ? env.TRUSTED_PROXIES.split(',').map((proxy) => proxy.trim()) : false,
    return503OnClosing: true,
    // Routing errors raised before any handler runs (malformed URL, over-long id).
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => refuse(reply, error),
    genReqId: (request: IncomingMessage) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newId('req');
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Fastify's own JSON parser only: Nest's would also accept form-encoded bodies.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(Metrics);
  await addSecurityHeaders(fastify);

  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('Request-Id', request.id);
    RequestContext.run({ requestId: request.id }, done);
  });
  let proxyWarned = false;
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (!proxyWarned && fromUntrustedProxy(request, env.TRUSTED_PROXIES)) {
      proxyWarned = true;
      const proxy = request.socket.remoteAddress;
      logger.warn(
        `requests arrive through a proxy at ${proxy} (X-Forwarded-For) but TRUSTED_PROXIES is unset: the throttles see every client behind it as ${proxy}, and 20 failed sign-ins block them all. Set TRUSTED_PROXIES=${proxy}`,
      );
    }
    done();
  });
  // Every route, before guards, idempotency records or handlers: a NUL Postgres would refuse, or a body the call does not take.
  fastify.addHook('preValidation', (request, reply, done) => {
    const nuls = nulCharacters(request);
    const errors = nuls.length > 0 ? nuls : unexpectedBody(request);
    if (errors.length === 0) done();
    else refuse(reply, DomainError.invalid(errors));
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, seconds);
    // The root logger: its mixin adds the request id from the request's context.
    logger.info({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });
  // JSON only: other media types answer 415 instead of reaching validation as strings.
  fastify.removeContentTypeParser(['text/plain']);

  if (options.dashboards !== false) {
    const [{ mountOpenApi }, { mountBullBoard }, { mountConsole }] = await Promise.all([
      import('./openapi.js'),
      import('./bull-board.js'),
      import('./console.js'),
    ]);
    await mountOpenApi(app);
    await mountBullBoard(fastify, app.get(Queues), env);
    await mountConsole(fastify);
  }
  app.enableShutdownHooks();
  return app;
}
