/**
 * The platform under every module: health, metrics and request ids, the
 * typed client, bad input on every route, tenancy between sandboxes and the
 * sandbox's own tools (clock, messages, reset, key rolls). The specs share one api
 * and worker.
 */
import './runtime.spec.js';
import './client.spec.js';
import './bad-input.spec.js';
import './tenancy.spec.js';
import './sandbox-tools.spec.js';
import './key-rolls.spec.js';
// Last: it re-seals every sealed value of the database, under another key and back.
import './key-rotation.spec.js';
