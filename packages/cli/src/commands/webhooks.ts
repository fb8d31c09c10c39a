import { readFileSync } from 'node:fs';
// The signature check alone, not the webhooks module: it needs nothing but node:crypto.
import { verifySignature } from '../../../../libs/webhooks/src/signature.js';
import { printJson, say } from '../output.js';

/** `webhooks verify`: exit code 0 when the saved delivery is signed with the secret, 1 with the reason when not. */
export function verifyDelivery(file: string, options: { signature: string; secret?: string; tolerance: number; json?: boolean }): void {
  const secret = options.secret ?? process.env.WALLET_SANDBOX_WEBHOOK_SECRET;
  if (!secret) throw new Error('Missing the signing secret (--secret or WALLET_SANDBOX_WEBHOOK_SECRET)');
  const result = verifySignature({
    body: readFileSync(file),
    header: options.signature,
    secret,
    nowSeconds: Math.floor(Date.now() / 1000),
    toleranceSeconds: options.tolerance,
  });
  if (!result.ok) process.exitCode = 1;
  if (options.json)
    return printJson(
      result.ok ? { valid: true, signedAt: new Date(result.timestamp * 1000).toISOString() } : { valid: false, reason: result.reason },
    );
  say(result.ok ? `valid: signed at ${new Date(result.timestamp * 1000).toISOString()}` : `invalid: ${result.reason}`);
}
