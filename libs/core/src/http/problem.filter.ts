import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem.js';
import { IdempotentReplay } from '../idempotency/idempotency.interceptor.js';

/** The one place errors become HTTP responses. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof IdempotentReplay) {
      reply.status(error.status).header('Idempotent-Replayed', 'true');
      if (error.status === 204) reply.send();
      else reply.headers(error.headers).send(error.body);
      return;
    }
    const problem = toProblem(error);
    if (problem.body.code === 'internal_error') this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    reply.status(problem.status).headers(problem.headers).type(PROBLEM_CONTENT_TYPE).send(problem.body);
  }
}
