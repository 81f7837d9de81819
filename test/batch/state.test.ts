import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint, isFresh, stampOf } from '../../src/batch/state.js';
import type { BatchRow, InputFacts } from '../../src/batch/types.js';
import { scratch } from '../helpers/fixtures.js';

const s = scratch();
afterAll(() => s.done());

describe('stampOf', () => {
  it('takes a capture folder’s size and newest time from everything inside it', async () => {
    const dir = join(s.dir, 'capture');
    mkdirSync(join(dir, 'kubepods'), { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), '{}');
    writeFileSync(join(dir, 'kubepods', 'memory.stat'), 'cache 0\nrss 1\n');
    const old = new Date('2026-01-01T00:00:00Z');
    const newest = new Date('2026-02-01T00:00:00Z');
    utimesSync(join(dir, 'manifest.json'), old, old);
    utimesSync(join(dir, 'kubepods'), old, old);
    utimesSync(dir, old, old);
    utimesSync(join(dir, 'kubepods', 'memory.stat'), newest, newest);
    const st = await stampOf(dir);
    expect(st.mtimeMs).toBe(newest.getTime());
    // File bytes only: '{}' and the 14 bytes of memory.stat.
    expect(st.size).toBe(16);
  });
});

describe('fingerprint', () => {
  it('ignores key order and undefined values, and changes with any option', () => {
    const a = fingerprint({ version: '1', analyze: { since: 1, match: [{ re: /api.*/ }], tz: undefined } });
    expect(fingerprint({ analyze: { match: [{ re: /api.*/ }], since: 1 }, version: '1' })).toBe(a);
    expect(fingerprint({ version: '1', analyze: { since: 1, match: [{ re: /web.*/ }] } })).not.toBe(a);
    expect(fingerprint({ version: '2', analyze: { since: 1, match: [{ re: /api.*/ }] } })).not.toBe(a);
  });
});

describe('isFresh', () => {
  const out = join(s.dir, 'out');
  mkdirSync(join(out, 'r'), { recursive: true });
  writeFileSync(join(out, 'r', 'summary.md'), '# memlens summary\n');
  const row = (generatedAt: string, size = 10): BatchRow => ({
    name: 'r',
    status: 'ok',
    reused: false,
    inputs: [
      {
        path: 'in.tgz',
        format: 'cgroup-capture',
        kind: 'cgroup',
        nodes: [],
        start: 0,
        end: 0,
        snapshots: 1,
        size,
        mtimeMs: 5,
      },
    ],
    generatedAt,
    stats: {
      files: ['summary.md'],
      windowStart: null,
      windowEnd: null,
      containers: 0,
      critical: 0,
      warning: 0,
      info: 0,
      flagged: 0,
      findings: 0,
      oomKills: 0,
      worstSeverity: 'ok',
      verdict: null,
      warnings: [],
      warningCount: 0,
    },
    error: null,
  });
  const stamps = new Map([['in.tgz', { size: 10, mtimeMs: Date.parse('2026-11-27T19:00:00Z') }]]);

  it('holds when the report is newer than its unchanged inputs and whole on disk', () => {
    expect(isFresh(row('2026-11-27T19:00:01Z'), out, stamps)).toBe(true);
  });
  it('fails when the input is newer, changed size, is gone, or a report file is missing', () => {
    expect(isFresh(row('2026-11-27T18:59:59Z'), out, stamps)).toBe(false);
    expect(isFresh(row('2026-11-27T19:00:01Z', 11), out, stamps)).toBe(false);
    expect(isFresh(row('2026-11-27T19:00:01Z'), out, new Map())).toBe(false);
    const r = row('2026-11-27T19:00:01Z');
    r.stats!.files.push('findings.json');
    expect(isFresh(r, out, stamps)).toBe(false);
    expect(isFresh({ ...row('2026-11-27T19:00:01Z'), status: 'failed' }, out, stamps)).toBe(false);
  });
  it('fails for an export surveyed before its variant was recorded (its snapshot grouping may be stale)', () => {
    const r = row('2026-11-27T19:00:01Z');
    const f: InputFacts = {
      ...(r.inputs[0] as InputFacts),
      format: 'prometheus-exposition',
      kind: 'metrics',
      snapshots: null,
    };
    expect(isFresh({ ...r, inputs: [f] }, out, stamps)).toBe(false);
    expect(isFresh({ ...r, inputs: [{ ...f, variant: 'Prometheus text' }] }, out, stamps)).toBe(true);
  });
});
