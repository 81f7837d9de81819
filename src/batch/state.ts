import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { byText } from './order.js';
import type { SummaryJson } from './summary.js';
import { BATCH_SCHEMA, isUnread } from './summary.js';
import type { BatchRow, InputFacts, UnreadFacts } from './types.js';

/** Size and modification time of an input; for a capture folder, of everything in it. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export async function stampOf(path: string, top = true): Promise<FileStamp> {
  // The input itself may be a symlink to the real file; links inside a capture folder are not followed.
  const st = top ? await stat(path) : await lstat(path);
  if (!st.isDirectory()) return { size: st.size, mtimeMs: st.mtimeMs };
  // A folder's own mtime changes only when entries come and go; a rewritten file changes its own.
  let size = 0;
  let mtimeMs = st.mtimeMs;
  for (const name of await readdir(path)) {
    const s = await stampOf(join(path, name), false);
    size += s.size;
    if (s.mtimeMs > mtimeMs) mtimeMs = s.mtimeMs;
  }
  return { size, mtimeMs };
}

/**
 * What the reports depend on besides the inputs: memlens' version, the analysis options and the
 * formats. A re-run with other options redoes every report instead of mixing old and new ones.
 */
export function fingerprint(parts: Record<string, unknown>): string {
  return createHash('sha256').update(stableJson(parts)).digest('hex').slice(0, 32);
}

function stableJson(v: unknown): string {
  if (v instanceof RegExp) return JSON.stringify(String(v));
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => byText(a, b));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** The rows of the previous run into this folder, when it was made with the same fingerprint. */
export function readPrevious(out: string, print: string): BatchRow[] {
  let doc: SummaryJson;
  try {
    doc = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  } catch {
    return [];
  }
  if (doc?.schema !== BATCH_SCHEMA || doc.fingerprint !== print || !Array.isArray(doc.rows)) return [];
  return doc.rows.map(
    (r): BatchRow => ({
      name: r.name,
      status: r.status,
      reused: false,
      generatedAt: r.generatedAt,
      error: r.error,
      stats: r.stats,
      inputs: r.inputs.map((f) =>
        isUnread(f as InputFacts | UnreadFacts)
          ? (f as UnreadFacts)
          : {
              ...(f as unknown as InputFacts),
              start: msOrNull((f as { start: string | null }).start),
              end: msOrNull((f as { end: string | null }).end),
            },
      ),
    }),
  );
}

/**
 * A previous report can stand when it is whole and newer than every one of its inputs, and the
 * inputs are still the same files (same size) given to this run.
 */
export function isFresh(row: BatchRow, out: string, stamps: Map<string, FileStamp>): boolean {
  if (row.status !== 'ok' || !row.stats || !row.generatedAt) return false;
  const made = Date.parse(row.generatedAt);
  for (const f of row.inputs) {
    const now = stamps.get(f.path);
    if (!now || isUnread(f) || now.size !== f.size || now.mtimeMs >= made) return false;
    // Surveyed by a memlens that did not record the export's variant: its grouping may be stale.
    if (f.kind === 'metrics' && f.variant === undefined) return false;
  }
  return row.stats.files.every((file) => existsSync(join(out, row.name, file)));
}

function msOrNull(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}
