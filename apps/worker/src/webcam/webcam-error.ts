// Why a frame could not be taken. Generic on purpose (the same rule as
// outbound errors): the code is for logs and metrics, not for echoing details.

export type WebcamErrorCode = 'invalid-device' | 'ffmpeg-missing' | 'capture-failed' | 'timeout' | 'too-large' | 'not-an-image' | 'fetch-failed';

export class WebcamError extends Error {
  constructor(
    readonly code: WebcamErrorCode,
    /** For a failed snapshot URL: the outbound error code. */
    readonly detail?: string,
  ) {
    super(`webcam capture failed: ${code}`);
    this.name = 'WebcamError';
  }
}
