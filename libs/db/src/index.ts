export * from './connection.js';
export * from './migrator.js';
export type * from './database.js';
