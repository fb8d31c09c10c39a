import { inboxMessages } from '../inbox/messages.js';
import { operatorMessages } from '../operator/messages.js';
import { registerMessages } from '../register/messages.js';
import { walletMessages } from '../wallet/messages.js';
import { commonMessages } from './common.js';

/** Every message in both languages; each screen keeps its own next to its code. */
export const messages = { ...commonMessages, ...walletMessages, ...registerMessages, ...inboxMessages, ...operatorMessages };
export type MessageKey = keyof typeof messages;
