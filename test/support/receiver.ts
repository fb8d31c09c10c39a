import { type IncomingHttpHeaders, type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, byte for byte, as a receiver verifies it. */
  body: string;
}

/** How to answer one request: a status and body, or no answer at all (the sender's timeout must end it). */
export type Answer = { status: number; body?: string | Buffer; headers?: Record<string, string> } | 'hang';

/** A webhook receiver on a loopback port that records every request and answers as told. */
export class Receiver {
  readonly received: Received[] = [];
  private answer: (request: Received, index: number) => Answer = () => ({ status: 200, body: 'ok' });

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = { path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
        receiver.received.push(received);
        const answer = receiver.answer(received, receiver.received.length - 1);
        if (answer === 'hang') return;
        response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.body ?? '');
      });
    });
    return receiver;
  }

  answerWith(answer: (request: Received, index: number) => Answer): void {
    this.answer = answer;
  }

  /** What reached one path (each test gives its endpoint its own). */
  at(path: string): Received[] {
    return this.received.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
