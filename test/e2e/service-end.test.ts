/**
 * The end of the service: its phases, the abolition notice, refund claims
 * and payouts, the operator's refunds, and the replay of 2019 with the
 * client IPs it simulates. The specs share one api and worker.
 */
import './lifecycle.spec.js';
import './lifecycle-input.spec.js';
import './refund-operator.spec.js';
import './replay.spec.js';
