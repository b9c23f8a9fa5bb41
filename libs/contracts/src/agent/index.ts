export * from './agent-api.js';
export * from './worker-spec.js';
