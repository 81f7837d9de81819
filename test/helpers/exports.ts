import { join } from 'node:path';
import { loadInput } from '../../src/import/open.js';
import type { ImportContext } from '../../src/import/registry.js';
import type { Dataset } from '../../src/import/types.js';
import { buildModel } from '../../src/model/build.js';
import type { MemModel } from '../../src/model/model.js';
import { DEFAULT_READ_LIMITS } from '../../src/source/types.js';

export const EXPORTS = join(import.meta.dirname, '..', 'fixtures', 'exports');

export function fixture(name: string): string {
  return join(EXPORTS, name);
}

export function load(path: string, ctx: Partial<ImportContext> = {}): Promise<Dataset> {
  return loadInput({ path }, { limits: DEFAULT_READ_LIMITS, now: Date.UTC(2026, 0, 1), ...ctx });
}

export async function loadFixture(name: string, ctx: Partial<ImportContext> = {}): Promise<Dataset> {
  return load(fixture(name), ctx);
}

export function loadText(
  text: string | Buffer,
  ctx: Partial<ImportContext> = {},
  name = 'input',
): Promise<Dataset> {
  const data = typeof text === 'string' ? Buffer.from(text) : text;
  return loadInput({ path: name, data }, { limits: DEFAULT_READ_LIMITS, now: Date.UTC(2026, 0, 1), ...ctx });
}

/** Values of one field for the series whose labels match, as [t, v] pairs. */
export function samples(ds: Dataset, field: string, match: Record<string, string>): [number, number][] {
  const f = ds.table.fields.indexOf(field);
  if (f < 0) return [];
  const out: [number, number][] = [];
  ds.hints.forEach((h, s) => {
    const l = h.labels ?? {};
    if (!Object.entries(match).every(([k, v]) => l[k] === v)) return;
    for (let r = ds.table.rowStart[s]; r < ds.table.rowStart[s + 1]; r++) {
      const v = ds.table.columns[f][r];
      if (!Number.isNaN(v)) out.push([ds.table.t[r], v]);
    }
  });
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** The model as plain data, independent of input order: entity key → role, times, columns. */
export function canonicalFrame(model: MemModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of [...model.entities].sort((a, b) => a.key.localeCompare(b.key))) {
    const cols: Record<string, (number | null)[]> = {};
    for (const [name, c] of Object.entries(model.columns)) {
      const vals = Array.from(c!.subarray(e.rowStart, e.rowEnd), (v) => (Number.isNaN(v) ? null : v));
      if (vals.some((v) => v !== null)) cols[name] = vals;
    }
    out[e.key] = {
      role: e.role,
      t: Array.from(model.t.subarray(e.rowStart, e.rowEnd)),
      columns: cols,
      provenance: e.provenance,
    };
  }
  return out;
}

export function modelOf(...datasets: Dataset[]): MemModel {
  return buildModel(datasets);
}

export const T0 = 1_700_000_000_000;
export const MI = 1024 * 1024;
