export * from './checksum.js';
export * from './clean-line.js';
export * from './words.js';
