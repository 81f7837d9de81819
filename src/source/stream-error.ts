import { TarFormatError } from './tar-parser.js';

/**
 * Turns a stream, decoder or tar error into the words a user reads in a warning. `subject` names
 * what ends early: the archive, or the compressed data of a plain file.
 */
export function describeStreamError(e: unknown, subject = 'the archive'): string {
  if (e instanceof TarFormatError) return e.message;
  const msg = e instanceof Error ? e.message : String(e);
  // Decoders that already speak the user's language ("the zstd data is corrupt (…)").
  if (/^the /.test(msg)) return msg;
  if (/unexpected end|premature close|Unexpected end of data/i.test(msg))
    return `${subject} ends early (truncated)`;
  if (
    /incorrect (header|data) check|invalid (block|distance|stored|code)|unknown compression|too many length/i.test(
      msg,
    )
  )
    return `the gzip data is corrupt (${msg})`;
  if (/checksum|Invalid tar header/i.test(msg)) return `a tar header is corrupt (${msg})`;
  return msg;
}
