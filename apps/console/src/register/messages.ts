import type { MessageTable } from '../i18n/types.js';

export const registerMessages = {
  'register.heading': { en: 'Register', ja: 'register' },
} satisfies MessageTable;
