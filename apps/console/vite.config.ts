import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { firstLoadBudget } from './first-load-budget.js';

/** The console is served by the api at /console, from dist/console. `npm run console:dev` proxies the API to a running sandbox. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [firstLoadBudget()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The budget that matters is the first load's gzipped JavaScript (first-load-budget.ts); this one is minified size.
    chunkSizeWarningLimit: 1024,
    reportCompressedSize: true,
  },
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/health', '/reset-password'].map((path) => [path, process.env.WALLET_SANDBOX_URL ?? 'http://localhost:3000']),
    ),
  },
});
