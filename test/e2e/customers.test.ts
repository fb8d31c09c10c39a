/**
 * Customers: registration and sign-in with their second factor, bad input
 * to them, the attacks of 2019 (credential stuffing, takeovers) and the
 * payment codes a session issues. The specs share one api and worker.
 */
import './identity.spec.js';
import './identity-input.spec.js';
import './identity-attacks.spec.js';
import './credential-stuffing.spec.js';
import './payment-code-sessions.spec.js';
