/**
 * `wallet-sandbox`, the command line, as built and linked by npm: its
 * commands against the harness's api, `trigger` for every event type it
 * makes, and `listen` forwarding the event stream as webhooks. The specs
 * share one api and worker.
 */
import './cli.spec.js';
import './cli-trigger.spec.js';
import './cli-listen.spec.js';
