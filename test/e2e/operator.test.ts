/**
 * What the operator sees and decides, and what the apps read: fraud rules
 * and holds as events arrive, the fraud room's reads, the ledger's reads, a
 * register's lists and the wallet app's screens. The specs share one api
 * and worker.
 */
import './fraud.spec.js';
import './fraud-room-reads.spec.js';
import './operator-reads.spec.js';
import './register-lists.spec.js';
import './wallet-app-reads.spec.js';
