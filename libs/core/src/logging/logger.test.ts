import { Writable } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { PinoNestLogger, createRootLogger } from './logger.js';

/** What a process would print, line by line. */
function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('logs', () => {
  test("Nest's start-up account stays out of the info log; the process's own messages stay in", async () => {
    const out = capture();
    const nest = new PinoNestLogger(createRootLogger('info', 'api', 'json', out.stream));
    nest.log('Mapped {/v1, GET} route', 'RouterExplorer');
    nest.log('IdentityModule dependencies initialized', 'InstanceLoader');
    nest.log('worker started', 'Worker');
    await settle();
    expect(out.lines().map((line) => JSON.parse(line).msg)).toEqual(['worker started']);

    const debug = capture();
    new PinoNestLogger(createRootLogger('debug', 'api', 'json', debug.stream)).log('Mapped {/v1, GET} route', 'RouterExplorer');
    await settle();
    expect(debug.lines().map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ level: 20, context: 'RouterExplorer' })]);
  });

  test('pretty: one readable line per entry, a request as method, route, status and time', async () => {
    const out = capture();
    const logger = createRootLogger('info', 'api', 'pretty', out.stream);
    logger.info({ requestId: 'req_1', method: 'POST', route: '/v1/payments', status: 201, ms: 12 }, 'request');
    logger.warn({ context: 'Worker' }, 'queue paused');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(out.lines()).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO \(api\): request POST \/v1\/payments 201 12 ms \{"requestId":"req_1"\}$/),
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] WARN \(api\): Worker: queue paused$/),
    ]);
  });
});
