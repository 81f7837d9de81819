import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { BatchOptions } from '../../src/batch/types.js';
import { fixture, scratch } from '../helpers/fixtures.js';

export const OOM = fixture('v1-oom-killed-and-cache-inflated.tar.gz');
export const HEALTHY = fixture('batch/v1-healthy-guaranteed-server.tar.gz');
export const CACHE = fixture('batch/v1-cache-inflated-reader.tar.gz');

/** The real fixture flipped in its first deflate blocks: what a damaged download looks like. */
export function corruptArchive(path: string): void {
  const d = readFileSync(OOM);
  for (let i = 40; i < 240; i++) d[i] ^= 0x5a;
  writeFileSync(path, d);
}

/** The real fixture cut short, as an interrupted copy leaves it: readable in part. */
export function truncatedArchive(path: string): void {
  writeFileSync(path, readFileSync(OOM).subarray(0, 30_000));
}

/** A real snapshot's tree with every file emptied: what `tar` of a live cgroupfs produces. */
export function emptyTree(path: string): void {
  const s = scratch();
  try {
    execFileSync('tar', ['-xzf', OOM, '-C', s.dir, './2026-11-27T19:16:55Z']);
    const walk = (dir: string) => {
      for (const n of readdirSync(dir)) {
        const p = join(dir, n);
        if (statSync(p).isDirectory()) walk(p);
        else truncateSync(p, 0);
      }
    };
    walk(s.dir);
    execFileSync('tar', ['-czf', path, '-C', join(s.dir, '2026-11-27T19:16:55Z'), '.']);
  } finally {
    s.done();
  }
}

/**
 * Cuts the real 18-snapshot fixture into one `memory-<unixseconds>.tar.gz` per snapshot, as a
 * node-side script that captures one snapshot per file would. With `meta`, each file also carries
 * the capture's manifest (host) and kubectl output; without, only the name says they belong together.
 */
export function splitSeries(dir: string, opts: { meta: boolean }): string[] {
  mkdirSync(dir, { recursive: true });
  const s = scratch();
  try {
    execFileSync('tar', ['-xzf', OOM, '-C', s.dir]);
    const out: string[] = [];
    for (const snap of readdirSync(s.dir)
      .filter((n) => /^\d{4}-\d{2}-\d{2}T/.test(n))
      .sort()) {
      const file = join(dir, `memory-${Date.parse(snap) / 1000}.tar.gz`);
      const extra = opts.meta ? ['-C', s.dir, 'manifest.json', 'meta'] : [];
      execFileSync('tar', ['-czf', file, '-C', join(s.dir, snap), '.', ...extra]);
      out.push(file);
    }
    return out;
  } finally {
    s.done();
  }
}

/**
 * A folder mixing three real captures with the bad inputs a real incident folder collects: a
 * corrupt archive, a truncated one, an unknown file and a tree of empty files.
 */
export function mixedBatch(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const files = {
    oom: join(dir, 'checkout-oom.tar.gz'),
    healthy: join(dir, 'config-server.tar.gz'),
    cache: join(dir, 'report-writer.tar.gz'),
    corrupt: join(dir, 'corrupt-download.tar.gz'),
    truncated: join(dir, 'truncated-copy.tar.gz'),
    unknown: join(dir, 'notes.txt'),
    empty: join(dir, 'live-cgroupfs-tar.tar.gz'),
  };
  copyFileSync(OOM, files.oom);
  copyFileSync(HEALTHY, files.healthy);
  copyFileSync(CACHE, files.cache);
  corruptArchive(files.corrupt);
  truncatedArchive(files.truncated);
  writeFileSync(files.unknown, 'pager notes: checkout OOM at 19:17, see capture\n');
  emptyTree(files.empty);
  return files;
}

/** Batch options for tests: every renderer, no progress. */
export function options(out: string, extra: Partial<BatchOptions> = {}): BatchOptions {
  return { out, formats: ['json', 'md', 'csv'], analyze: {}, jobs: 2, ...extra };
}

/** summary.json without the fields that are times of writing. */
export function stableSummary(out: string): unknown {
  const doc = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  delete doc.generatedAt;
  for (const r of doc.rows) delete r.generatedAt;
  return doc;
}

/** Export fixtures that are snapshots of one series (three scrapes, two prom2csv instants) and a range answer. */
export const SNAPSHOTS_AND_A_RANGE = [
  'scrape-1700000150.prom',
  'scrape-1700000165.prom',
  'scrape-1700000195.prom',
  'prom2csv-1700000150.csv',
  'prom2csv-1700000300.csv',
  'prometheus-query-range.json',
];
