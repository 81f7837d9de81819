import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalyzeOptions } from '../../src/analyze.js';
import { analyzeDatasets } from '../../src/analyze.js';
import { loadInput } from '../../src/import/open.js';
import type { Dataset } from '../../src/import/types.js';
import type { FindingCode } from '../../src/messages.js';
import type { PassOptions } from '../../src/passes/runner.js';
import type { AnalysisResult } from '../../src/result.js';
import { DEFAULT_READ_LIMITS } from '../../src/source/types.js';

/** Real captures recorded on this machine by scripts/record-fixture.sh (see test/fixtures/). */
export const FIXTURES = {
  oomAndCache: 'v1-oom-killed-and-cache-inflated.tar.gz',
  cachePinned: 'v1-usage-pinned-by-cache-harmless-and-thrashing.tar.gz',
  leak: 'v1-anon-leak-gc-sawtooth-and-unlimited.tar.gz',
  readTwice: 'v1-file-read-twice-near-limit.tar.gz',
  tmpfsOom: 'v1-tmpfs-filled-to-oom.tar.gz',
  tmpfs: 'v1-tmpfs-below-limit.tar.gz',
  kernelOom: 'v1-kernel-memory-oom.tar.gz',
  restarted: 'v1-oom-killed-restarted-counters-lost.tar.gz',
  healthy: 'v1-healthy-steady.tar.gz',
} as const;
export type FixtureName = keyof typeof FIXTURES;

export function fixturePath(name: FixtureName): string {
  return fileURLToPath(new URL(`../fixtures/${FIXTURES[name]}`, import.meta.url));
}

const cache = new Map<FixtureName, Promise<Dataset>>();

/** The fixture imported once per test file. Callers must not modify the dataset. */
export function loadFixture(name: FixtureName): Promise<Dataset> {
  let p = cache.get(name);
  if (!p) {
    p = loadInput({ path: fixturePath(name) }, { limits: DEFAULT_READ_LIMITS, now: 0 });
    cache.set(name, p);
  }
  return p;
}

/** The whole analysis on datasets, as `memlens analyze` runs it. */
export function analyzeWith(datasets: Dataset[], passOptions: PassOptions = {}): AnalysisResult {
  return analyzeDatasets(datasets, { passOptions, now: 0 });
}

/** The findings of one pass for one container key (its drafts' evidence, words included). */
export function findingsOf(r: AnalysisResult, pass: string, key: string) {
  return r.findings
    .filter((f) => f.pass === pass && f.entity.key === key)
    .map((f) => ({ ...f, code: f.code as FindingCode, raw: f.rawEvidence as Record<string, unknown> }));
}

export function statusOf(r: AnalysisResult, pass: string) {
  const s = r.passes.find((p) => p.id === pass);
  if (!s) throw new Error(`pass ${pass} did not report a status`);
  return s;
}

export const MiB = 1024 * 1024;

/** Path of a fixture file by its file name. */
export function fixture(file: string): string {
  return fileURLToPath(new URL(`../fixtures/${file}`, import.meta.url));
}

/** The whole analysis of one fixture with CLI-like options. */
export async function analyzeFixture(name: FixtureName, opts: AnalyzeOptions = {}) {
  return analyzeDatasets([await loadFixture(name)], { now: 0, ...opts });
}

/** A scratch folder removed by the returned function. */
export function scratch(prefix = 'memlens-test-'): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Reads a capture with the system `tar` and plain string splitting: an independent path to the
 * raw numbers, to check memlens' derivations against. Returns snapshot → cgroup dir → file → text.
 */
export function rawCapture(name: FixtureName): Map<string, Map<string, Map<string, string>>> {
  const s = scratch();
  try {
    // --ignore-zeros: a capture is one tar per gzip member (src/capture/spec.ts); plain -x stops after the first.
    execFileSync('tar', ['--ignore-zeros', '-xzf', fixturePath(name), '-C', s.dir]);
    const out = new Map<string, Map<string, Map<string, string>>>();
    for (const snap of readdirSync(s.dir)) {
      if (!/^\d{4}-\d{2}-\d{2}T/.test(snap)) continue;
      const cgroups = new Map<string, Map<string, string>>();
      const walk = (rel: string) => {
        const files = new Map<string, string>();
        for (const n of readdirSync(join(s.dir, snap, rel))) {
          const p = join(s.dir, snap, rel, n);
          if (statSync(p).isDirectory()) walk(`${rel}/${n}`);
          else files.set(n, readFileSync(p, 'utf8'));
        }
        cgroups.set(rel, files);
      };
      walk('kubepods');
      out.set(snap, cgroups);
    }
    return out;
  } finally {
    s.done();
  }
}

/** "key value" lines → record. */
export function keyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.split(' ');
    if (k && v !== undefined) out[k] = Number(v);
  }
  return out;
}
