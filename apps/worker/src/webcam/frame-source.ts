// Where a printer's frames come from: the snapshot URL of a camera streamer
// (ustreamer, mjpg-streamer, camera-streamer) through the outbound policy, or
// a local V4L2 device through ffmpeg.
import { fetchImage, OutboundError, type OutboundPolicy } from '@farm/outbound';
import { captureWithFfmpeg, v4l2Input } from './ffmpeg-capture.js';
import { WebcamError } from './webcam-error.js';

export type CameraSource =
  | { readonly kind: 'snapshot-url'; readonly url: string; readonly policy: OutboundPolicy }
  | { readonly kind: 'v4l2'; readonly device: string };

export type Frame = { readonly bytes: Buffer; readonly mime: 'image/jpeg' | 'image/png' | 'image/webp'; readonly at: number };

export type CaptureLimits = { readonly timeoutMs?: number; readonly maxBytes?: number; readonly ffmpegPath?: string };

export async function captureFrame(source: CameraSource, now: () => number, limits: CaptureLimits = {}): Promise<Frame> {
  switch (source.kind) {
    case 'snapshot-url': {
      try {
        const image = await fetchImage(source.url, { policy: source.policy, timeoutMs: limits.timeoutMs, maxBytes: limits.maxBytes });
        return { bytes: image.bytes, mime: image.kind === 'jpeg' ? 'image/jpeg' : image.kind === 'png' ? 'image/png' : 'image/webp', at: now() };
      } catch (error) {
        if (error instanceof OutboundError) throw new WebcamError('fetch-failed', error.code);
        throw error;
      }
    }
    case 'v4l2': {
      const bytes = await captureWithFfmpeg({ input: v4l2Input(source.device), ...limits });
      return { bytes, mime: 'image/jpeg', at: now() };
    }
  }
}
