export * from './port-worker.js';
export * from './job-source.js';
export * from './link-transport.js';
