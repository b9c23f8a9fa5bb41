export * from './transport.js';
export * from './serial.transport.js';
export * from './tcp.transport.js';
export * from './open-transport.js';
export * from './low-latency.js';
