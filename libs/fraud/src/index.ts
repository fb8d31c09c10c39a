export * from './fraud.module.js';
export * from './migrations/1764000007500-fraud-screenings.js';
export * from './screening.js';
