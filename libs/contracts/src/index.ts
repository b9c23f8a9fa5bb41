export * from './auth/index.js';
export * from './live/index.js';
export * from './printers/index.js';
export * from './agent/index.js';
