import type { Flavor } from '../../config/printer-config.js';
import { klipperReplies } from './klipper.js';
import { marlinReplies } from './marlin.js';
import { prusaReplies } from './prusa.js';
import type { ReplyStyle } from './reply-style.js';
import { rrfReplies } from './rrf.js';

export type { HaltCause, ReplyStyle, Temperatures } from './reply-style.js';

export function replyStyleFor(flavor: Flavor): ReplyStyle {
  switch (flavor) {
    case 'marlin':
      return marlinReplies;
    case 'prusa':
      return prusaReplies;
    case 'rrf':
      return rrfReplies;
    case 'klipper':
      return klipperReplies;
  }
}
