export * from './redis-keys.js';
export * from './printer-live.js';
export * from './control.js';
export * from './live-events.js';
export * from './control-signing.js';
export * from './stream-entry.js';
