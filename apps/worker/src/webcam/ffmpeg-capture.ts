// One JPEG from a local camera through ffmpeg, run with an argument array
// (never a shell), with a deadline and a cap on what it may write.
import { spawn } from 'node:child_process';
import { sniffImage } from '@farm/outbound';
import { WebcamError } from './webcam-error.js';

export type FfmpegCaptureOptions = {
  /** ffmpeg input arguments, e.g. from `v4l2Input('/dev/video0')`. */
  readonly input: readonly string[];
  readonly ffmpegPath?: string;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
};

// Device nodes and their udev names only: the path becomes an ffmpeg argument,
// and anything else (a URL, `-` for stdin, a file) would change what ffmpeg reads.
const DEVICE = /^\/dev\/(video\d{1,3}|v4l\/by-(id|path)\/[A-Za-z0-9._:-]{1,200})$/;

export function v4l2Input(device: string): string[] {
  if (!DEVICE.test(device)) throw new WebcamError('invalid-device');
  return ['-f', 'v4l2', '-i', device];
}

export function ffmpegArgs(input: readonly string[]): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', ...input, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'mjpeg', '-'];
}

export function captureWithFfmpeg(options: FfmpegCaptureOptions): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawn(options.ffmpegPath ?? 'ffmpeg', ffmpegArgs(options.input), { stdio: ['ignore', 'pipe', 'ignore'], shell: false });
    const chunks: Buffer[] = [];
    let size = 0;
    let failure: WebcamError | undefined;
    const fail = (error: WebcamError): void => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => fail(new WebcamError('timeout')), options.timeoutMs ?? 5_000);
    const onAbort = (): void => fail(new WebcamError('timeout'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new WebcamError('too-large'));
      else chunks.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= new WebcamError(error.code === 'ENOENT' ? 'ffmpeg-missing' : 'capture-failed');
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) return reject(failure);
      if (code !== 0) return reject(new WebcamError('capture-failed'));
      const frame = Buffer.concat(chunks);
      if (sniffImage(frame) !== 'jpeg') return reject(new WebcamError('not-an-image'));
      resolve(frame);
    });
  });
}
