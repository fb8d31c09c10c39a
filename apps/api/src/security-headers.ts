import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { BULL_BOARD_PATH, CONSOLE_PATH, DOCS_PATH } from './paths.js';

type Directives = Record<string, string[]>;

/** No answer of ours may be framed or embed a plugin. */
const NEVER_FRAMED: Directives = { frameAncestors: ["'none'"], objectSrc: ["'none'"] };

/** The API's answers are JSON, SVG and PNG: they load nothing, run nothing and are framed by nothing. */
const API_POLICY: Directives = { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], ...NEVER_FRAMED };

/**
 * Pages, by where they are served. The console (vite-built modules and
 * styles, QR images as data: URLs, camera frames as blob: URLs) talks only
 * to this origin. Swagger UI and Bull Board set inline styles, and Bull
 * Board loads its fonts from Google Fonts and sets a <base>.
 */
const PAGE_POLICIES: ReadonlyArray<[prefix: string, directives: Directives]> = [
  [
    CONSOLE_PATH,
    {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      mediaSrc: ["'self'", 'blob:'],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      ...NEVER_FRAMED,
    },
  ],
  [
    DOCS_PATH,
    {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      ...NEVER_FRAMED,
    },
  ],
  [
    BULL_BOARD_PATH,
    {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
      fontSrc: ["'self'", 'https://fonts.gstatic.com', 'data:'],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      ...NEVER_FRAMED,
    },
  ],
];

/** Helmet's headers, with a Content-Security-Policy of our own (no upgrade-insecure-requests: the sandbox is often plain http). */
function headersWith(directives: Directives): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  };
}

/**
 * Security headers on every answer (@fastify/helmet): no framing anywhere
 * (frame-ancestors 'none', X-Frame-Options DENY), nosniff, no referrer, HSTS
 * for https deployments, and a Content-Security-Policy that fits what is
 * served: none at all for the API, each page's own needs for the pages.
 * Register before any route.
 */
export async function addSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onRoute', (route) => {
    const page = PAGE_POLICIES.find(([prefix]) => route.url === prefix || route.url.startsWith(`${prefix}/`));
    if (page) route.config = { ...route.config, helmet: headersWith(page[1]) } as typeof route.config;
  });
  await fastify.register(helmet, headersWith(API_POLICY));
}
