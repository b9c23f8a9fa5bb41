export * from './checksum.js';
export * from './clean-line.js';
export * from './words.js';
export * from './line-splitter.js';
export * from './read-lines.js';
