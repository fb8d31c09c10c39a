#!/usr/bin/env node
// The compiled CLI. Its root is the repository's (rootDir ../..) because it
// imports libs/webhooks/src/signature.ts, so it lands under dist/packages/cli.
import('../dist/packages/cli/src/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('/cli/dist/packages/cli/src/main.js')) {
    process.stderr.write('wallet-sandbox is not built yet: run `npm run build` (or `npm start`) first.\n');
    process.exit(1);
  }
  throw error;
});
