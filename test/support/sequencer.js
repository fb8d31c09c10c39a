import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import TestSequencer from '@jest/test-sequencer';

/** The specs a test file gathers: `import './topup.spec.js';`. */
const SPEC = /^import '(\.{1,2}\/[^']+\.spec)\.js';$/gm;

/** A test file's size with the specs it gathers. */
function sizeWithSpecs(path) {
  const text = readFileSync(path, 'utf8');
  let bytes = Buffer.byteLength(text);
  for (const [, spec] of text.matchAll(SPEC)) bytes += statSync(resolve(dirname(path), `${spec}.ts`)).size;
  return bytes;
}

/**
 * Jest's order: the files that failed last time first, then the longest
 * first, and files it has not timed yet before them, biggest first. A file
 * that gathers specs counts as big as they are, not as its few imports, so
 * on a clean clone the long gathered files start first rather than last.
 */
export default class Sequencer extends TestSequencer {
  sort(tests) {
    const sizes = new Map();
    const size = (test) => {
      if (!sizes.has(test.path)) sizes.set(test.path, sizeWithSpecs(test.path));
      return sizes.get(test.path);
    };
    for (const test of tests) test.duration = this.time(test);
    return tests.sort((a, b) => {
      if (this.hasFailed(a) !== this.hasFailed(b)) return this.hasFailed(a) ? -1 : 1;
      if ((a.duration == null) !== (b.duration == null)) return a.duration == null ? -1 : 1;
      if (a.duration != null) return b.duration - a.duration;
      return size(b) - size(a);
    });
  }
}
