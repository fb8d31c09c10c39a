/**
 * The operator's side of the console: its shell, the home, service timeline
 * and ledger, the fraud room, the events room and the refund room. The specs
 * share one api, worker and Chromium.
 */
import './console-shell.spec.js';
import './operator-home-service.spec.js';
import './operator-fraud.spec.js';
import './operator-events.spec.js';
import './operator-refunds.spec.js';
