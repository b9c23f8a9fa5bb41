export * from './permissions.js';
export * from './api-key-scopes.js';
