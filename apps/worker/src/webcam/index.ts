export { captureFrame, type CameraSource, type Frame, type CaptureLimits } from './frame-source.js';
export { captureWithFfmpeg, v4l2Input, ffmpegArgs, type FfmpegCaptureOptions } from './ffmpeg-capture.js';
export { WebcamCapturer, type FrameSink, type WebcamCapturerOptions } from './webcam-capturer.js';
export { stepSchedule, nextCaptureAt, initialSchedule, DEFAULT_SCHEDULE, type ScheduleConfig, type ScheduleState, type ScheduleEvent } from './snapshot-schedule.js';
export { WebcamError, type WebcamErrorCode } from './webcam-error.js';
