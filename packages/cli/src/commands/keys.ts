import { type Connection, ok } from '../api.js';
import { printJson, say, table } from '../output.js';
import { replaceSavedSecretKey } from '../settings.js';

/** `keys`: the sandbox's secret and publishable keys that still work. */
export async function listKeys(api: Connection, options: { json?: boolean }): Promise<void> {
  const keys = await ok(api.secret.GET('/v1/sandbox/keys', { params: { query: { limit: 100 } } }));
  if (options.json) return printJson(keys);
  say(table(keys.data, ['id', 'kind', 'keyHint', 'createdAt', 'revokedAt']));
}

/**
 * `keys roll <id>`: the new key is shown once. When the secret key rolled is
 * the one `sandbox create --use` saved, the saved one becomes the new key.
 */
export async function rollKey(api: Connection, keyId: string, options: { expireIn?: number; json?: boolean }): Promise<void> {
  const used = api.settings.secretKey;
  const body = { expiresInSeconds: options.expireIn ?? 0 };
  const rolled = await ok(api.secret.POST('/v1/sandbox/keys/{id}/roll', { params: { path: { id: keyId } }, body }));
  const saved = rolled.kind === 'secret' && rolled.replaces.keyHint === hintOf(used) && replaceSavedSecretKey(used, rolled.key);
  if (options.json) return printJson(rolled);
  say(`New ${rolled.kind} key ${rolled.id}: ${rolled.key}`);
  say(`  ${rolled.replaces.id} stops at ${rolled.replaces.revokedAt}`);
  if (saved) say(`Later commands use the new key (saved in ${saved}).`);
}

/** `keys revoke <id>`: the key stops now. */
export async function revokeKey(api: Connection, keyId: string, options: { json?: boolean }): Promise<void> {
  const revoked = await ok(api.secret.POST('/v1/sandbox/keys/{id}/revoke', { params: { path: { id: keyId } } }));
  if (options.json) return printJson(revoked);
  say(`${revoked.kind} key ${revoked.id} (${revoked.keyHint}) stopped at ${revoked.revokedAt}`);
}

/** How the api shows a sandbox key: its prefix and first characters, and its last four. */
function hintOf(key: string): string {
  return `${key.slice(0, 12)}…${key.slice(-4)}`;
}
