import { frameLine } from '@farm/gcode';
import type { EngineState, InFlight } from './types.js';

/**
 * Flow-control accounting. Ping-pong keeps one line in flight. The window
 * keeps several, as long as every byte the firmware may still hold in its
 * receive buffer fits there: lines that ADVANCED_OK showed to be in the
 * command queue no longer count. Bytes beyond the buffer are lost on real
 * boards, so this is a hard limit, not a hint.
 */
const encoder = new TextEncoder();

export function byteLength(text: string): number {
  // Fast path: G-code is ASCII.
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return encoder.encode(text).length;
  return text.length;
}

export function framedText(n: number, command: string): string {
  return `${frameLine(n, command)}\n`;
}

/** Room the window has for emergency lines written out of band (M410, M876) when the firmware acts on them early. */
const EMERGENCY_RESERVE = 8;

export function windowBudget(s: EngineState): number {
  const reserve = s.firmware?.capabilities.EMERGENCY_PARSER && s.config.rxBufferBytes > 4 * EMERGENCY_RESERVE ? EMERGENCY_RESERVE : 0;
  return s.config.rxBufferBytes - reserve;
}

export function bytesInRx(inFlight: readonly InFlight[]): number {
  let sum = 0;
  for (const entry of inFlight) if (entry.inRxBuffer) sum += entry.bytes;
  return sum;
}

/** May a line of `bytes` framed bytes be written now? */
export function fits(s: EngineState, bytes: number): boolean {
  if (s.inFlight.length === 0) return true;
  if (s.flow === 'pingpong') return false;
  if (s.inFlight.length >= s.config.maxLinesInFlight) return false;
  return bytesInRx(s.inFlight) + bytes <= windowBudget(s);
}

/**
 * ADVANCED_OK `B`: free command-queue slots when the ok was sent. The lines
 * after the acknowledged one that fill the other slots have left the receive
 * buffer. Counted conservatively (one slot less), as the largest `B` seen only
 * approximates the queue size from below.
 */
export function markQueued(s: EngineState, bufferFree: number): void {
  s.maxBufferFree = Math.max(s.maxBufferFree, bufferFree);
  let queued = Math.max(0, s.maxBufferFree - bufferFree - 1);
  for (const entry of s.inFlight) {
    if (queued === 0) break;
    entry.inRxBuffer = false;
    queued--;
  }
}
