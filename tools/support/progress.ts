import cliProgress from 'cli-progress';

/** One step of the run on screen: a bar and a short detail after it. */
export interface Bar {
  update(value: number, detail?: string): void;
  stop(detail?: string): void;
}

/** Progress and step messages go to stderr, so stdout carries only the results table. */
export function say(line = ''): void {
  process.stderr.write(`${line}\n`);
}

/**
 * A cli-progress bar on stderr. A terminal redraws it in place; a log or CI
 * gets a line every 2 seconds instead of nothing.
 */
export function startBar(label: string, total: number, detail = ''): Bar {
  const bar = new cliProgress.SingleBar({
    format: `  ${label.padEnd(28)} [{bar}] {percentage}% {detail}`,
    stream: process.stderr,
    barsize: 24,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2_000,
    gracefulExit: true,
  });
  bar.start(total, 0, { detail });
  return {
    update: (value, next) => bar.update(Math.min(value, total), next === undefined ? {} : { detail: next }),
    stop: (last) => {
      bar.update(total, last === undefined ? {} : { detail: last });
      bar.stop();
    },
  };
}
