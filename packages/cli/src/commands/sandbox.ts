import { type Connection, ok } from '../api.js';
import { printJson, say } from '../output.js';
import { saveCurrent } from '../settings.js';

/** `sandbox create`: its keys are shown once; `--use` keeps them for later commands. */
export async function createSandbox(
  api: Connection,
  options: { name: string; profile: 'hardened' | 'legacy-2019'; use?: boolean; json?: boolean },
): Promise<void> {
  // simulatedClientIps has a default, but the OpenAPI document lists it as required.
  const body = { name: options.name, securityProfile: options.profile, simulatedClientIps: false };
  const created = await ok(api.as('admin').POST('/v1/sandboxes', { body }));
  const saved = options.use ? saveCurrent({ id: created.id, secretKey: created.secretKey, publishableKey: created.publishableKey }) : null;
  if (options.json) return printJson(created);
  say(`Sandbox ${created.id} (${created.securityProfile})`);
  say(`  secret key       ${created.secretKey}`);
  say(`  publishable key  ${created.publishableKey}`);
  if (saved) say(`Later commands use it (saved in ${saved}).`);
}
