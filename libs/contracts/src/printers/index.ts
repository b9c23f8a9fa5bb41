export * from './printer-profile.js';
export * from './printer-presets.js';
