import type { MessageTable } from '../i18n/types.js';
import { accountMessages } from './account/messages.js';
import { authMessages } from './auth/messages.js';
import { moneyMessages } from './money/messages.js';

const panelMessages = {
  'wallet.heading': { en: 'Wallet', ja: 'ウォレット' },
  'wallet.panel': { en: 'Wallet app {slot}', ja: 'ウォレットアプリ {slot}' },
  'wallet.tabs': { en: 'Wallet screens', ja: 'ウォレットの画面' },
  'wallet.tab.home': { en: 'Home', ja: 'ホーム' },
  'wallet.tab.topup': { en: 'Top up', ja: 'チャージ' },
  'wallet.tab.pay': { en: 'Pay', ja: '支払う' },
  'wallet.tab.account': { en: 'Account', ja: 'アカウント' },
  'wallet.tab.refund': { en: 'Refund', ja: '払戻し' },
  'wallet.stepUp.heading': { en: 'Confirm it is you', ja: 'ご本人確認' },
  'wallet.stepUp.explain': {
    en: 'Enter the code we sent to your phone (or your authenticator app shows).',
    ja: '携帯電話に送信したコード（または認証アプリのコード）を入力してください。',
  },
  'wallet.stepUp.sms': { en: 'Enter the code we just sent by SMS to {to}.', ja: '{to} に SMS でお送りしたコードを入力してください。' },
  'wallet.stepUp.totp': {
    en: 'Enter the code your authenticator app shows now.',
    ja: '認証アプリに表示されているコードを入力してください。',
  },
  'wallet.stepUp.code': { en: 'Code', ja: 'コード' },
  'wallet.stepUp.verify': { en: 'Confirm', ja: '確認' },
} satisfies MessageTable;

export const walletMessages = { ...panelMessages, ...authMessages, ...accountMessages, ...moneyMessages };
