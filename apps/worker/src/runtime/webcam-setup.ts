// The printer's webcam, when its profile has one: frames captured on a
// schedule (faster while someone watches) and published as the latest snapshot.
import type { PortWorkerSpec } from '@farm/contracts';
import { outboundPolicy } from '@farm/outbound';
import { captureFrame, WebcamCapturer, type CameraSource, type ScheduleConfig } from '../webcam/index.js';
import type { LivePublisher } from './live-publisher.js';
import { errorText, type Logger } from './logger.js';

export function webcamFor(
  spec: PortWorkerSpec,
  deps: { publisher: LivePublisher; log: Logger; schedule?: ScheduleConfig | undefined },
): WebcamCapturer | undefined {
  const camera = spec.profile.camera;
  if (!camera) return undefined;
  const source: CameraSource =
    camera.kind === 'snapshot-url'
      ? { kind: 'snapshot-url', url: camera.url, policy: outboundPolicy({ allow: spec.cameraAllowedSubnets }) }
      : { kind: 'v4l2', device: camera.device };
  const intervalMs = camera.intervalSeconds * 1000;
  return new WebcamCapturer({
    capture: () => captureFrame(source, Date.now),
    sink: (frame) =>
      deps.publisher.snapshot(frame.bytes, {
        printerId: spec.printerId,
        at: frame.at,
        mime: frame.mime,
        bytes: frame.bytes.length,
      }),
    schedule: deps.schedule ?? {
      intervalMs,
      watchedIntervalMs: Math.min(intervalMs, 2_000),
      maxBackoffMs: Math.max(intervalMs, 60_000),
    },
    onError: (error) => deps.log.warn('webcam frame failed', { error: errorText(error) }),
  });
}
