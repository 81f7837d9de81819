import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as tarStream from 'tar-stream';
import { InputError } from '../../src/errors.js';
import { loadInput } from '../../src/import/open.js';
import type { ImportContext } from '../../src/import/registry.js';
import type { Dataset } from '../../src/import/types.js';
import { DEFAULT_READ_LIMITS } from '../../src/source/types.js';
import { fixture as exportFixture } from '../helpers/exports.js';
import { fixturePath } from '../helpers/fixtures.js';

/** What memlens makes of one bad input: the dataset's warnings, or the one-line error. */
export type Outcome = { warnings: string[]; samples: number } | { error: string };

export const CTX: ImportContext = { limits: DEFAULT_READ_LIMITS, now: Date.UTC(2026, 0, 1) };

/** Imports an input given as bytes (`name` is what the user typed) or as a path on disk. */
export async function outcome(
  name: string,
  data?: Buffer,
  ctx: Partial<ImportContext> = {},
): Promise<Outcome> {
  let ds: Dataset;
  try {
    ds = await loadInput(data ? { path: name, data } : { path: name }, { ...CTX, ...ctx });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { error: e.message };
  }
  let samples = 0;
  for (const c of ds.table.columns) for (const v of c) if (!Number.isNaN(v)) samples++;
  return { warnings: ds.input.warnings, samples };
}

export function limits(maxTotalBytes: number): Partial<ImportContext> {
  return { limits: { ...DEFAULT_READ_LIMITS, maxTotalBytes } };
}

export interface TarEntry {
  name: string;
  body?: string | Buffer;
  type?: 'file' | 'symlink' | 'link' | 'directory';
  linkname?: string;
}

/** A tar archive as tar-stream writes it (ustar, like GNU tar for short names). */
export async function tarOf(entries: TarEntry[]): Promise<Buffer> {
  const p = tarStream.pack();
  for (const e of entries) {
    if (e.type && e.type !== 'file') p.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else p.entry({ name: e.name, mtime: new Date(Date.UTC(2026, 10, 27, 19)) }, e.body ?? '');
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** One v1 container's memory files in a snapshot folder. */
export function v1Snapshot(time: string, usage = 64 << 20): TarEntry[] {
  const dir = `${time}/kubepods/burstable/pod0b3a1f9e-5c2d-4e8f-9a7b-6c5d4e3f2a10/${'c'.repeat(64)}`;
  return [
    { name: `${dir}/memory.usage_in_bytes`, body: `${usage}\n` },
    { name: `${dir}/memory.limit_in_bytes`, body: `${256 << 20}\n` },
    {
      name: `${dir}/memory.stat`,
      body: `cache ${16 << 20}\nrss ${48 << 20}\ntotal_cache ${16 << 20}\ntotal_rss ${48 << 20}\ntotal_inactive_file ${8 << 20}\n`,
    },
  ];
}

/** A real capture recorded on this machine (test/fixtures), decompressed. */
export function captureTar(): Buffer {
  return gunzipSync(readFileSync(fixturePath('healthy')));
}

export function exportBytes(file: string): Buffer {
  return readFileSync(exportFixture(file));
}

export { gzipSync, join, writeFileSync };
