/** The endings of the inputs memlens reads, dropped when an input names a report folder. */
export const INPUT_EXTENSIONS = /\.(tar\.gz|tar\.zst|tgz|tzst|tar|gz|zst|json|csv|prom|txt|jsonl|ndjson)$/i;

/**
 * A file name as a folder name: its input extension dropped, anything but letters, digits, '.',
 * '_' and '-' replaced by '_' (safe on every file system and in a URL).
 */
export function safeStem(name: string): string {
  return name.replace(INPUT_EXTENSIONS, '').replace(/[^A-Za-z0-9._-]+/g, '_');
}
