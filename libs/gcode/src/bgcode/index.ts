export { BgcodeError, type BgcodeErrorCode } from './errors.js';
export { decodeBgcode, isBgcode, type BgcodeItem, type MetadataSection } from './decode-bgcode.js';
export { bgcodeToGcode } from './bgcode-to-gcode.js';
export { heatshrinkDecode } from './heatshrink.js';
export { meatpackDecode } from './meatpack.js';
export type { ThumbnailFormat } from './format.js';
