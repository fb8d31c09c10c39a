import type { MessageTable } from '../../i18n/types.js';

export const refundsMessages = {} satisfies MessageTable;
