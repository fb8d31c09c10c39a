import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { Environment } from '#core';
import { DeliveryTargets, type ResolvedTarget, TargetRefused } from './delivery-targets.js';

export type DeliveryError =
  | 'timeout'
  | 'dns_failed'
  | 'address_not_allowed'
  | 'connection_refused'
  | 'connection_reset'
  | 'tls_error'
  | 'connection_failed'
  | 'redirect_not_followed'
  | 'http_status';

export interface SendResult {
  outcome: 'succeeded' | 'failed';
  httpStatus: number | null;
  error: DeliveryError | null;
  latencyMs: number;
  responseExcerpt: string | null;
}

/** What the log keeps of a receiver's answer. */
export const EXCERPT_BYTES = 1024;

/**
 * The answer's first bytes as text the log can store: bytes that are not
 * UTF-8 decode to U+FFFD, and so does NUL, which Postgres refuses in text
 * (recording the attempt would otherwise fail on every retry).
 */
function excerptOf(chunks: Buffer[]): string | null {
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8').replaceAll('\u0000', '\uFFFD') || null;
}

const USER_AGENT = 'WalletSandbox-Webhooks/1';

function classify(error: unknown, signal: AbortSignal): DeliveryError {
  if (signal.aborted) return 'timeout';
  const code = String((error as { code?: unknown })?.code ?? '');
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection_reset';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED/.test(code)) return 'tls_error';
  return 'connection_failed';
}

/**
 * POSTs one signed event. The connection goes to the address the target
 * check resolved (TOCTOU-safe: no second lookup), a redirect is never
 * followed, and the whole exchange — lookup, connect, answer — has one hard
 * deadline (WEBHOOK_TIMEOUT_MS, 10 s by default).
 */
@Injectable()
export class WebhookSender {
  constructor(
    private readonly targets: DeliveryTargets,
    private readonly env: Environment,
  ) {}

  async post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const signal = AbortSignal.timeout(this.env.WEBHOOK_TIMEOUT_MS);
    let target: ResolvedTarget;
    try {
      target = await this.targets.resolve(this.targets.parse(url), signal);
    } catch (error) {
      const code: DeliveryError = signal.aborted ? 'timeout' : error instanceof TargetRefused ? 'address_not_allowed' : 'dns_failed';
      return { outcome: 'failed', httpStatus: null, error: code, latencyMs: elapsed(), responseExcerpt: null };
    }
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: Omit<SendResult, 'latencyMs'>, latencyMs = elapsed()): void => {
        if (settled) return;
        settled = true;
        resolve({ ...result, latencyMs });
      };
      const { url: parsed, hostname, address } = target;
      const request = (parsed.protocol === 'https:' ? https : http).request({
        host: address,
        port: parsed.port || undefined,
        path: `${parsed.pathname}${parsed.search}`,
        method: 'POST',
        // TLS checks the certificate against the URL's host, not the address connected to.
        servername: isIP(hostname) ? undefined : hostname,
        headers: {
          ...headers,
          host: parsed.host,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': USER_AGENT,
        },
        agent: false,
        signal,
      });
      request.on('error', (error) =>
        finish({ outcome: 'failed', httpStatus: null, error: classify(error, signal), responseExcerpt: null }),
      );
      request.on('response', (response) => {
        const latencyMs = elapsed();
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (): void => {
          const error: DeliveryError | null =
            status >= 200 && status < 300 ? null : status >= 300 && status < 400 ? 'redirect_not_followed' : 'http_status';
          finish({ outcome: error ? 'failed' : 'succeeded', httpStatus: status, error, responseExcerpt: excerptOf(chunks) }, latencyMs);
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          // The excerpt is all the log keeps: stop reading there.
          if (size >= EXCERPT_BYTES) done();
        });
        response.on('end', done);
        // The status is in: a body cut short by the deadline or a reset still counts by its status.
        response.on('error', done);
        response.on('close', done);
      });
      request.end(body);
    });
  }
}
