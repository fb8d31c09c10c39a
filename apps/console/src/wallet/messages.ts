import type { MessageTable } from '../i18n/types.js';

export const walletMessages = {
  'wallet.heading': { en: 'Wallet', ja: 'wallet' },
} satisfies MessageTable;
