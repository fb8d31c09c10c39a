import type { MessageTable } from '../i18n/types.js';
import { eventsMessages } from './events/messages.js';
import { fraudMessages } from './fraud/messages.js';
import { homeMessages } from './home/messages.js';
import { ledgerMessages } from './ledger/messages.js';
import { refundsMessages } from './refunds/messages.js';
import { replayMessages } from './replay/messages.js';
import { serviceMessages } from './service/messages.js';

const roomMessages = {
  'operator.nav': { en: "Operator's rooms", ja: '運営者の部屋' },
  'operator.room.home': { en: 'Operator home', ja: '運営ホーム' },
  'operator.room.service': { en: 'Service timeline', ja: 'サービスの経過' },
  'operator.room.fraud': { en: 'Fraud room', ja: '不正対策' },
  'operator.room.refunds': { en: 'Refund room', ja: '払戻し' },
  'operator.room.events': { en: 'Events and webhooks', ja: 'イベントと Webhook' },
  'operator.room.ledger': { en: 'Ledger', ja: '台帳' },
  'operator.room.replay': { en: 'Replay 2019', ja: '2019 年の再現' },
} satisfies MessageTable;

export const operatorMessages = {
  ...roomMessages,
  ...homeMessages,
  ...serviceMessages,
  ...fraudMessages,
  ...refundsMessages,
  ...eventsMessages,
  ...ledgerMessages,
  ...replayMessages,
};
