import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { importCapture } from '../../../src/import/cgroup/capture.js';
import { loadInput } from '../../../src/import/open.js';
import type { Dataset } from '../../../src/import/types.js';
import { buildModel } from '../../../src/model/build.js';
import { DEFAULT_READ_LIMITS } from '../../../src/source/types.js';
import { fixture, scratch } from '../../helpers/fixtures.js';
import {
  expectSameEntities,
  expectSameFrame,
  expectSameSamples,
  expectSameTable,
} from '../../helpers/tables.js';
import { tarFileSimple } from '../../helpers/tar-simple.js';

/**
 * The streaming importer (own tar parser, files parsed from bytes, folders placed once) against
 * the simple path (tar-stream, a stream per entry, every file decoded to text and split): same
 * table, same identity hints, same details and warnings, same frame — on every real capture in
 * test/fixtures and on generated node-shaped captures of both cgroup versions and drivers.
 */
const ctx = { limits: DEFAULT_READ_LIMITS, now: 0 };
const s = scratch();
afterAll(() => s.done());

const REAL = readdirSync(fixture('')).filter((f) => /\.(tar\.gz|tgz|tar)$/.test(f));
const HAS_ZSTD = spawnSync('zstd', ['--version']).status === 0;

function simple(path: string): Promise<Dataset> {
  return importCapture(tarFileSimple(path, /\.(gz|tgz)$/.test(path)), { textOnly: true, now: 0 });
}

/** Same in every detail, down to series and field order (and to the input's name in warnings). */
function expectSameDataset(a: Dataset, b: Dataset) {
  expectSameTable(a.table, b.table);
  expect(a.hints).toEqual(b.hints);
  expect(a.input.details).toEqual(b.input.details);
  expect(a.input.warnings.map((w) => w.replaceAll(a.input.path, b.input.path))).toEqual(b.input.warnings);
  expect(a.metadata).toEqual(b.metadata);
  expect(a.node).toEqual(b.node);
  expectSameFrame(buildModel([a]), buildModel([b]), { ignoreSources: a.input.path !== b.input.path });
}

/** Same samples and entities, read from another place (a folder lists its files in name order). */
function expectSameContent(a: Dataset, b: Dataset) {
  expectSameSamples(a.table, b.table);
  const hints = (d: Dataset) => new Map(d.table.series.map((k, i) => [k, d.hints[i]]));
  expect(hints(a)).toEqual(hints(b));
  expect({ ...a.input.details, metadata: undefined }).toEqual({ ...b.input.details, metadata: undefined });
  expect({ ...a.metadata, sources: [] }).toEqual({ ...b.metadata, sources: [] });
  expectSameEntities(buildModel([a]), buildModel([b]));
}

function generate(name: string, args: string[]): string {
  const out = join(s.dir, name);
  execFileSync('node', ['scripts/bench/gen-capture.mjs', '--out', out, ...args], { stdio: 'pipe' });
  return out;
}

describe('streaming import equals the simple path', () => {
  it('has real captures to compare', () => {
    expect(REAL.length).toBeGreaterThan(0);
  });

  for (const name of REAL) {
    it(`${name}: same table and frame`, async () => {
      const a = await loadInput({ path: fixture(name) }, ctx);
      const b = await simple(fixture(name));
      expect(a.table.length).toBeGreaterThan(0);
      expectSameDataset(a, b);
    });

    it(`${name}: same from the extracted folder, the plain .tar and .tar.zst`, async () => {
      const b = await simple(fixture(name));
      const dir = join(s.dir, `${name}.d`);
      mkdirSync(dir, { recursive: true });
      execFileSync('tar', ['-xf', fixture(name), '-C', dir]);
      expectSameContent(await loadInput({ path: dir }, ctx), b);
      const tar = join(s.dir, `${name}.tar`);
      const bytes = readFileSync(fixture(name));
      writeFileSync(tar, /gz$/.test(name) ? gunzipSync(bytes) : bytes);
      expectSameDataset(await loadInput({ path: tar }, ctx), b);
      if (HAS_ZSTD) {
        execFileSync('zstd', ['-q', '-f', tar, '-o', `${tar}.zst`]);
        expectSameDataset(await loadInput({ path: `${tar}.zst` }, ctx), b);
      }
    });
  }

  for (const [cgroup, driver] of [
    ['v1', 'cgroupfs'],
    ['v2', 'systemd'],
    ['v1', 'systemd'],
    ['v2', 'cgroupfs'],
  ]) {
    it(`a generated ${cgroup} ${driver} node capture (pax headers, restarts, deleted and new pods)`, async () => {
      const path = generate(`gen-${cgroup}-${driver}.tar.gz`, [
        '--pods',
        '60',
        '--snapshots',
        '8',
        '--cgroup',
        cgroup,
        '--driver',
        driver,
      ]);
      const a = await loadInput({ path }, ctx);
      const b = await simple(path);
      expect(a.input.details.snapshots).toBe(8);
      expect(a.input.details.cgroupVersions).toEqual([cgroup === 'v1' ? 1 : 2]);
      expectSameDataset(a, b);
    });
  }
});
