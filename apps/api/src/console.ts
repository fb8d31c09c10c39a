import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemOf } from '#core';
import { CONSOLE_PATH } from './paths.js';

/** `npm run build` writes the console next to the compiled api: dist/console. */
export const CONSOLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'console');

/**
 * The console's files, served on the api's own origin so it calls the API
 * without CORS. Its Content-Security-Policy (only this origin, never framed)
 * and no referrer, since a reset link carries its token in the URL, are set
 * with every other page's in security-headers.ts; the camera is its own.
 */
const PAGE_HEADERS = { 'Permissions-Policy': 'camera=(self)' };

/** The console at /console (any other path under it is the app's own route), and the links that lead into it. */
export async function mountConsole(fastify: FastifyInstance): Promise<void> {
  const files = listFiles(CONSOLE_DIR);
  if (files.size === 0) {
    fastify.get(`${CONSOLE_PATH}*`, (_request, reply) => notBuilt(reply));
    return;
  }
  await fastify.register(fastifyStatic, { root: CONSOLE_DIR, serve: false, cacheControl: false });
  fastify.get('/', (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`));
  fastify.get(CONSOLE_PATH, (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`));
  // The e-mailed reset link is PUBLIC_URL + /reset-password?token=…: the console's reset page takes it from there.
  fastify.get('/reset-password', (request, reply) => reply.redirect(`${CONSOLE_PATH}${request.url}`));
  fastify.get(`${CONSOLE_PATH}/*`, (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    reply.headers(PAGE_HEADERS);
    // Built assets carry their content's hash in their name; the page itself is checked each time.
    if (files.has(path) && path !== 'index.html') {
      const immutable = path.startsWith('assets/');
      return reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600').sendFile(path);
    }
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}

function listFiles(root: string): Set<string> {
  try {
    return new Set(
      readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1)),
    );
  } catch {
    return new Set();
  }
}

function notBuilt(reply: FastifyReply): FastifyReply {
  const problem = problemOf('not_found', 'The console is not built here: run `npm run build`');
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem.body);
}
