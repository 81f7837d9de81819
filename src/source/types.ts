/**
 * A tree of files read once, in order: a tarball, a directory, or an in-memory object.
 * Importers of cgroup captures read through this and never touch `fs` themselves, so a test can
 * build a capture from a plain object and the same code reads a `.tar.gz` or a folder.
 */
export interface TreeEntry {
  /** Path inside the tree, '/'-separated, without a leading './' or '/'. */
  path: string;
  /**
   * The folder part of `path` ('' at the top). Sources hand consecutive entries of one folder the
   * same string, so a consumer can recognise "same folder as before" with === instead of cutting
   * and comparing a two-hundred-character path for each of a million entries.
   */
  dir: string;
  /** The last part of `path`. */
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  /** Size as stored (a live cgroupfs file archived by `tar` is stored with size 0). */
  size: number;
  /** Modification time in epoch ms, when the tree records one. */
  mtimeMs: number;
  /** Target of a symlink or hard link. */
  linkname?: string;
}

/**
 * Called once per entry, in the tree's order. Neither `entry` nor `data` may be kept after the
 * call returns: `data` is often a view into a chunk or a buffer the source reuses, which is what
 * lets a million-entry archive stream through in a few MiB.
 */
export type TreeVisitor = (entry: TreeEntry, data: Buffer) => void;

export interface WalkOutcome {
  /** Entries visited. */
  entries: number;
  /** Set when the tree could not be read to its end (truncated or corrupt archive, read limit). */
  error?: { message: string; afterEntry: string | null; limit?: boolean };
  /** Entries whose contents were not read, with the reason (too large, link, absolute path…). */
  skipped: { path: string; reason: string }[];
}

export interface TreeSource {
  /** The input as the user named it. */
  readonly name: string;
  /** Visits every entry once with its contents (empty for non-files). */
  walk(visit: TreeVisitor): Promise<WalkOutcome>;
  /** Bytes of the input read so far (compressed bytes for an archive), for progress. */
  readonly bytesRead?: number;
  /** The input's size in bytes, when known before reading (an archive's size on disk). */
  readonly bytesTotal?: number;
}

export interface ReadLimits {
  /** Largest single file read into memory; larger entries are skipped with a warning. */
  maxEntryBytes: number;
  /** Stop after this many decompressed bytes (protects against archive bombs). */
  maxTotalBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  // cgroup files are a few KiB; kubectl JSON of a busy node is a few MiB. 64 MiB leaves room.
  maxEntryBytes: 64 * 1024 * 1024,
  // A 110-pod node captured every 10 s for an hour is ~2.5 GB as a tar stream; 16 GiB is a bomb.
  maxTotalBytes: 16 * 1024 ** 3,
};

/** Why an entry with `..` or an absolute name was skipped. */
export const UNSAFE_PATH =
  'path leaves the archive root; memlens writes no entry anywhere, and a real capture holds no such path: check where this archive came from';

/** Why a link entry was skipped. */
export function linkReason(kind: 'hard' | 'symbolic', target: string): string {
  return `${kind} link to ${target} not followed (a capture holds copies of the files, made with cat, not links)`;
}

/** Why reading stopped at the read limit. */
export function limitReason(max: number, unit = 'decompressed bytes'): string {
  return `reading stopped after ${max} ${unit}, the read limit (--max-input-bytes)`;
}

/** Normalises an archive path: no './' prefix, no leading '/', no trailing '/'. */
export function cleanPath(p: string): string {
  // Most archive names are "./a/b" or "a/b": skip the regexes for them (a million entries).
  const plain = p.charCodeAt(0) === 46 && p.charCodeAt(1) === 47 ? p.slice(2) : p;
  const n = plain.length;
  if (
    n > 0 &&
    plain.charCodeAt(0) !== 47 &&
    plain.charCodeAt(n - 1) !== 47 &&
    !(plain.charCodeAt(0) === 46 && plain.charCodeAt(1) === 47) &&
    !plain.includes('//') &&
    !plain.includes('\\')
  )
    return plain;
  let s = p.replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  s = s.replace(/^\/+/, '').replace(/\/+$/, '');
  return s.replace(/\/{2,}/g, '/');
}

/** Splits a clean path into its folder and its last part. */
export function splitPath(path: string): { dir: string; name: string } {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? { dir: '', name: path } : { dir: path.slice(0, cut), name: path.slice(cut + 1) };
}

/** True when a path tries to leave the tree ('..' parts) or is absolute. */
export function isUnsafePath(raw: string): boolean {
  if (!raw.includes('..') && raw.charCodeAt(0) !== 47 && raw.charCodeAt(1) !== 58) return false;
  return raw.startsWith('/') || /^[a-zA-Z]:/.test(raw) || raw.split(/[\\/]/).includes('..');
}
