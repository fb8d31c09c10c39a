import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Environment, PROBLEM_CONTENT_TYPE, type Queues, problemOf, secretsEqual } from '#core';
import { BULL_BOARD_PATH } from './paths.js';

/** Accepts `Bearer <ADMIN_TOKEN>`, or Basic auth with the token as password so a browser can sign in. */
function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return header.slice(7);
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return null;
}

/** Bull Board at /admin/queues, behind the platform admin token. */
export async function mountBullBoard(fastify: FastifyInstance, queues: Queues, env: Environment): Promise<void> {
  const board = new BoardAdapter();
  board.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: queues.all().map((queue) => new BullMQAdapter(queue)), serverAdapter: board });
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const token = presentedToken(request);
        if (token !== null && secretsEqual(token, env.ADMIN_TOKEN)) return;
        const problem = problemOf('unauthenticated', 'The queue dashboard needs the admin token');
        await reply
          .status(problem.status)
          .header('WWW-Authenticate', 'Basic realm="wallet-sandbox admin", charset="UTF-8"')
          .type(PROBLEM_CONTENT_TYPE)
          .send(problem.body);
      });
      await scope.register(board.registerPlugin());
    },
    { prefix: BULL_BOARD_PATH },
  );
}
