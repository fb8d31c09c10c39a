import type { Page } from 'playwright-core';
import type { Tokens } from '../../support/customers.js';
import type { SandboxKeys } from '../../support/harness.js';

/**
 * Puts a customer (signed in through the API) into a wallet panel's storage,
 * as signing in on that panel would have: the device the customer signed in
 * with, and its tokens. Then reloads the page, whose panel opens signed in.
 */
export async function signInPanel(page: Page, sandbox: SandboxKeys, deviceId: string, tokens: Tokens, slot = 'a'): Promise<void> {
  await page.evaluate(
    ({ id, deviceId, tokens, slot }) => {
      localStorage.setItem(`wallet-sandbox:${id}:${slot}:device`, deviceId);
      sessionStorage.setItem(`wallet-sandbox:${id}:${slot}:tokens`, JSON.stringify(tokens));
    },
    { id: sandbox.id, deviceId, tokens, slot },
  );
  await page.reload();
  await page.locator(`[data-slot=${slot}]`).getByRole('navigation', { name: 'Wallet screens' }).waitFor();
}
