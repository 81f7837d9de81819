import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyzeOptions } from '../../src/analyze.js';
import { analyzeDatasets } from '../../src/analyze.js';
import { loadInput } from '../../src/import/open.js';
import type { Dataset } from '../../src/import/types.js';
import { DEFAULT_READ_LIMITS } from '../../src/source/types.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** Imports a fixture through the same path the CLI uses (open → detect → import). */
export async function loadFixture(name: string): Promise<Dataset> {
  return loadInput({ path: fixture(name) }, { limits: DEFAULT_READ_LIMITS });
}

export async function analyzeFixture(name: string, opts: AnalyzeOptions = {}) {
  return analyzeDatasets([await loadFixture(name)], opts);
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
export function rawCapture(name: string): Map<string, Map<string, Map<string, string>>> {
  const s = scratch();
  try {
    execFileSync('tar', ['-xzf', fixture(name), '-C', s.dir]);
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
