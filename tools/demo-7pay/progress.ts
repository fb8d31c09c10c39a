import { type Bar, startBar } from '../support/progress.js';
import type { SandboxClock } from './clock.js';

/** Units of a chapter's bar; each part of the chapter gets an equal share. */
const SCALE = 1_000;

/**
 * One line of the progress display: a chapter of the story, its bar, the
 * sandbox date and a note on what happened so far. A chapter is made of
 * parts (a round of shopping, a wave of sign-ins) whose size is known only
 * when the part starts.
 */
export class Chapter {
  private partsDone = -1;
  private units = 1;
  private unitsDone = 0;
  private note = '';

  constructor(
    private readonly bar: Bar,
    private readonly parts: number,
    private readonly clock: SandboxClock,
  ) {}

  /** Starts the next part, of `units` steps. */
  part(units: number): void {
    this.partsDone += 1;
    this.units = Math.max(1, units);
    this.unitsDone = 0;
    this.draw();
  }

  step(): void {
    this.unitsDone += 1;
    this.draw();
  }

  tell(note: string): void {
    this.note = note;
    this.draw();
  }

  end(): void {
    this.bar.stop(this.detail());
  }

  private draw(): void {
    const done = Math.max(0, this.partsDone) + Math.min(1, this.unitsDone / this.units);
    this.bar.update(Math.floor((done / this.parts) * SCALE), this.detail());
  }

  private detail(): string {
    return `${this.clock.label()}  ${this.note}`;
  }
}

/** Who follows the story besides the terminal: told each chapter as it starts; the next waits for `ended` (a presenter's pause). */
export interface ChapterWatcher {
  started(title: string): void;
  ended(title: string): Promise<void>;
}

let watcher: ChapterWatcher | null = null;

export function watchChapters(next: ChapterWatcher | null): void {
  watcher = next;
}

export async function chapter<T>(title: string, parts: number, clock: SandboxClock, story: (c: Chapter) => Promise<T>): Promise<T> {
  const c = new Chapter(startBar(title, SCALE, clock.label()), parts, clock);
  watcher?.started(title);
  let result: T;
  try {
    result = await story(c);
  } catch (error) {
    c.tell('stopped');
    throw error;
  } finally {
    c.end();
  }
  await watcher?.ended(title);
  return result;
}
