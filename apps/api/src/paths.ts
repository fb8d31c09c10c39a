/** Where the api serves its pages and documents, besides the API under /v1. */
export const CONSOLE_PATH = '/console';
export const DOCS_PATH = '/docs';
export const OPENAPI_PATH = '/openapi.json';
export const BULL_BOARD_PATH = '/admin/queues';
