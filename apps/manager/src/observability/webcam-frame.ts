// The latest webcam frame a worker left in Redis, checked before it is served:
// Redis is not trusted, so the bytes must be the image the meta says they are
// (a frame whose magic bytes disagree with its type is never sent).
import type { Redis } from 'ioredis';
import Value from 'typebox/value';
import { SnapshotMeta, type LiveKeys } from '@farm/contracts';
import { IMAGE_MIME, sniffImage } from '@farm/outbound';

export type WebcamFrame = { readonly mime: SnapshotMeta['mime']; readonly at: number; readonly bytes: Buffer };

/** How long one view keeps the worker snapping faster; the dashboard re-requests well within it. */
export const WATCH_TTL_SECONDS = 30;

/** Pure: the frame if meta and bytes agree, else null. */
export function frameFrom(printerId: string, metaText: Buffer | null, bytes: Buffer | null): WebcamFrame | null {
  if (!metaText || !bytes || bytes.length === 0) return null;
  let meta: unknown;
  try {
    meta = JSON.parse(metaText.toString('utf8'));
  } catch {
    return null;
  }
  if (!Value.Check(SnapshotMeta, meta)) return null;
  if (meta.printerId !== printerId || meta.bytes !== bytes.length) return null;
  const kind = sniffImage(bytes);
  if (kind === undefined || IMAGE_MIME[kind] !== meta.mime) return null;
  return { mime: meta.mime, at: meta.at, bytes };
}

export type WebcamFrames = ReturnType<typeof createWebcamFrames>;

export function createWebcamFrames(redis: Redis, keys: LiveKeys) {
  return {
    /** Reads meta and frame in one round trip. */
    async latest(printerId: string): Promise<WebcamFrame | null> {
      const [meta, bytes] = await redis.mgetBuffer(keys.snapshotMeta(printerId), keys.snapshot(printerId));
      return frameFrom(printerId, meta ?? null, bytes ?? null);
    },

    /** Someone is looking: the printer's worker snaps faster while this key lives. */
    async markWatched(printerId: string): Promise<void> {
      await redis.set(keys.snapshotWatchers(printerId), '1', 'EX', WATCH_TTL_SECONDS);
    },
  };
}
