export * from './line/index.js';
export * from './analysis/index.js';
export * from './bgcode/index.js';
export * from './estimate/index.js';
export * from './policy/index.js';
