/**
 * Events on their way out: the outbox and its relay, change notices
 * between processes, webhook endpoints' bad input, and the event stream
 * (last: it leaves a stream open for the harness's shutdown to end). The
 * specs share one api and worker.
 */
import './outbox.spec.js';
import './notices.spec.js';
import './webhooks-input.spec.js';
import './event-stream.spec.js';
