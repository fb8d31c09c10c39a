import type { MessageTable } from '../../i18n/types.js';

export const fraudMessages = {} satisfies MessageTable;
