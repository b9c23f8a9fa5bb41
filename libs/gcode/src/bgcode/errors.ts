/** Why a `.bgcode` file was refused; stable codes for callers and the API error map. */
export type BgcodeErrorCode =
  | 'bgcode.bad_magic'
  | 'bgcode.unsupported_version'
  | 'bgcode.unsupported_checksum'
  | 'bgcode.crc_mismatch'
  | 'bgcode.truncated'
  | 'bgcode.bad_block'
  | 'bgcode.bad_compression'
  | 'bgcode.unsupported_encoding';

export class BgcodeError extends Error {
  override readonly name = 'BgcodeError';
  constructor(
    readonly code: BgcodeErrorCode,
    message: string,
    /** Byte offset in the file of the block (or header) at fault. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}
