import type { MessageTable } from '../../i18n/types.js';

export const homeMessages = {} satisfies MessageTable;
