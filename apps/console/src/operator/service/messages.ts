import type { MessageTable } from '../../i18n/types.js';

export const serviceMessages = {} satisfies MessageTable;
