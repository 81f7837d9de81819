import type { Readable } from 'node:stream';
import type { ReadLimits, TreeSource } from '../source/types.js';
import type { ProgressFactory } from '../util/progress.js';
import type { Dataset } from './types.js';

/** What an importer can look at to decide whether an input is its format. */
export interface Probe {
  /** Input path as given. */
  name: string;
  kind: 'directory' | 'tar' | 'file';
  /** Compression of the input ('none' for directories). */
  compression: 'none' | 'gzip' | 'zstd';
  /** First bytes of the (decompressed) content; empty for directories. */
  head: Buffer;
}

/** An input opened for reading, once its kind is known. */
export interface OpenedInput {
  probe: Probe;
  /** For directories and archives: the tree of files. */
  tree?: TreeSource;
  /** For plain files: a fresh stream of the decompressed bytes on each call. */
  open?: () => Readable;
  /** Size on disk in bytes, when known (for progress). */
  size?: number;
  /** The file on disk behind a plain-file input (stdin's spool file too), for readers that seek. */
  file?: string;
  /**
   * What reading the bytes met below the importer (damaged compression, the size limit, a guessed
   * encoding), one line each; loadInput puts them first among the dataset's warnings.
   */
  warnings?: string[];
  /** Set when reading stopped before the end: 'limit' (--max-input-bytes) or 'damaged' data. */
  stopped?: 'limit' | 'damaged';
  /** The last line, not read because it had no line end in a format that ends every line (textChunks). */
  cutLine?: string;
}

export interface ImportContext {
  limits: ReadLimits;
  /** Time zone for exports whose timestamps have none (IANA name); default UTC. */
  tz?: string;
  /** Analysis time: used only when an input says nothing about when it was taken. */
  now?: number;
  /** Importer-specific settings given by flags (e.g. --vm-format). */
  settings?: Record<string, string>;
  /** Progress display for long imports; absent when nothing is shown (not a terminal, --quiet). */
  progress?: ProgressFactory;
}

export interface Importer {
  /** Format id shown in findings.json `inputs[].format`. */
  id: string;
  title: string;
  /** 0 = not this format; higher = more certain. Content first, extension as tie-breaker. */
  detect(probe: Probe): number;
  load(input: OpenedInput, ctx: ImportContext): Promise<Dataset>;
}
