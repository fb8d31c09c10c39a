import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The console's first load may be at most this much gzipped JavaScript; lazily loaded parts (the camera's decoder) do not count. */
export const FIRST_LOAD_BUDGET_BYTES = 300 * 1024;

/** Reports the gzipped JavaScript the console's first page load fetches, and fails the build over budget. */
export function firstLoadBudget(): Plugin {
  return {
    name: 'first-load-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const entry = chunks.find((chunk) => chunk.isEntry);
      if (!entry) return;
      const loaded = new Set<string>();
      const visit = (fileName: string) => {
        if (loaded.has(fileName)) return;
        loaded.add(fileName);
        const chunk = chunks.find((c) => c.fileName === fileName);
        chunk?.imports.forEach(visit);
      };
      visit(entry.fileName);
      const bytes = chunks.filter((c) => loaded.has(c.fileName)).reduce((sum, c) => sum + gzipSync(c.code).length, 0);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      const line = `console: first load ${kb(bytes)} of gzipped JavaScript (budget ${kb(FIRST_LOAD_BUDGET_BYTES)})`;
      if (bytes > FIRST_LOAD_BUDGET_BYTES) this.error(line);
      this.info(line);
    },
  };
}
