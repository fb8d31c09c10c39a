import type { MessageTable } from '../i18n/types.js';

export const inboxMessages = {
  'inbox.heading': { en: 'Inbox', ja: '受信箱' },
  'inbox.explain': {
    en: 'Every e-mail and SMS the sandbox sent. Nothing leaves the machine; newest first, updated by itself.',
    ja: 'サンドボックスが送ったメールと SMS の一覧です。外部には送信されません。新しい順に自動更新されます。',
  },
  'inbox.filter': { en: 'Address or phone number', ja: 'メールアドレスまたは電話番号' },
  'inbox.empty': { en: 'Nothing sent yet.', ja: 'まだ何も送信されていません。' },
  'inbox.email': { en: 'E-mail', ja: 'メール' },
  'inbox.sms': { en: 'SMS', ja: 'SMS' },
  'inbox.to': { en: 'To {to}', ja: '宛先 {to}' },
} satisfies MessageTable;
