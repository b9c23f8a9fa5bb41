/** Why a file is refused. Codes are stable: the API maps them to messages and HTTP statuses. */
export type GcodeRejectionCode =
  | 'binary' // control bytes where text should be
  | 'nul-byte'
  | 'line-too-long'
  | 'image' // a picture renamed .gcode
  | 'archive' // zip/3mf/gzip renamed .gcode
  | 'truncated' // ends in the middle of a line
  | 'empty'
  | 'no-commands' // text, but not a single G-code command in it
  | 'bgcode-unsupported' // binary G-code but no decoder wired in
  | 'bgcode-corrupt';

export class GcodeAnalysisError extends Error {
  override readonly name = 'GcodeAnalysisError';
  constructor(
    readonly code: GcodeRejectionCode,
    message: string,
    /** 1-based line where the problem was found, when there is one. */
    readonly line?: number,
  ) {
    super(message);
  }
}
