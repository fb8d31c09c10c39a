import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config/environment.js';
import { RequestContext } from '../http/request-context.js';

/**
 * Logs of one process; every line written inside a request or job carries
 * its request id. JSON for collectors, or one readable line per entry.
 */
export function createRootLogger(level: LogLevel, name: string, format: LogFormat, destination?: DestinationStream): Logger {
  const stream =
    format === 'pretty'
      ? pretty({
          colorize: destination === undefined && process.stdout.isTTY,
          translateTime: 'SYS:HH:MM:ss',
          singleLine: true,
          // A request reads as one line: GET /v1/wallet 200 12 ms, its request id after.
          messageFormat: '{if context}{context}: {end}{msg}{if method} {method} {route} {status} {ms} ms{end}',
          ignore: 'pid,hostname,context,method,route,status,ms',
          destination,
        })
      : destination;
  return pino(
    {
      name,
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const requestId = RequestContext.requestId();
        return requestId ? { requestId } : {};
      },
      redact: { paths: ['req.headers.authorization', 'req.headers["x-publishable-key"]'], censor: '[redacted]' },
    },
    stream,
  );
}

/** Nest's own start-up account (every module loaded, every route mapped): useful when debugging, noise otherwise. */
const STARTUP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Nest's logger interface over pino, so framework messages go where ours go. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    if (context && STARTUP_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, message instanceof Error ? message.message : String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string): void {
    this.logger.fatal({ context }, String(message));
  }
}
