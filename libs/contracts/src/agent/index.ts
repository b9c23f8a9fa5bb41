export * from './agent-api.js';
