import { basename, dirname, relative, resolve, sep } from 'node:path';
import { INPUT_EXTENSIONS } from '../util/file-name.js';

/** Files the batch writes next to the report folders; no report folder may take these names. */
export const INDEX_FILES = ['index.html', 'summary.csv', 'summary.json'];

// Well below the 255-byte limit of common file systems, leaving room for a "-NN" suffix.
const MAX_NAME = 120;

/** The deepest folder that contains every path (absolute). */
export function commonBase(paths: readonly string[]): string {
  if (paths.length === 0) return resolve('.');
  let base = dirname(resolve(paths[0]));
  for (const p of paths) {
    const abs = resolve(p);
    while (base !== dirname(base) && !abs.startsWith(base + sep)) base = dirname(base);
  }
  return base;
}

/**
 * A report folder name for an input: its path below the common base, extension dropped, folder
 * separators as '_', anything but letters, digits, '.', '_' and '-' replaced: safe on every file
 * system and in a URL, and readable ("node-a_memory-1764270348").
 */
export function reportName(path: string, base: string): string {
  const rel = relative(base, resolve(path)) || basename(path);
  const name = rel
    .replace(/[\\/]+$/, '')
    .replace(INPUT_EXTENSIONS, '')
    .split(/[\\/]+/)
    .join('_')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, MAX_NAME);
  return name || 'input';
}

/**
 * Hands out unique names in call order. Names taken up front (reports kept from an earlier run)
 * and the index files are never given again; a clash gets "-2", "-3"….
 */
export class NameBook {
  private readonly taken = new Set<string>(INDEX_FILES.map((n) => n.toLowerCase()));

  /** Claims a name as it is; false when it is already taken. */
  claim(name: string): boolean {
    const k = name.toLowerCase();
    if (this.taken.has(k)) return false;
    this.taken.add(k);
    return true;
  }

  /** `wanted` if free, else the first free `wanted-N`. */
  next(wanted: string): string {
    if (this.claim(wanted)) return wanted;
    for (let n = 2; ; n++) if (this.claim(`${wanted}-${n}`)) return `${wanted}-${n}`;
  }
}
