/**
 * The api with no worker: the OpenAPI document as a contract, health while
 * nothing consumes the queues, and top-ups, whose screening decision the
 * tests hand over themselves. The specs share one api.
 */
import './contract.spec.js';
import './queue-health.spec.js';
import './topup-input.spec.js';
