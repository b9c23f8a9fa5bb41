export * from './line/checksum.js';
