/**
 * The customer's side of the console: the wallet app's sign-in, account and
 * money screens, the store's register, and the side-by-side page where whole
 * journeys are told. The specs share one api, worker and Chromium.
 */
import './wallet-auth.spec.js';
import './wallet-money.spec.js';
import './register.spec.js';
import './journeys.spec.js';
