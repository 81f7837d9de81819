import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { importCapture } from '../../src/import/cgroup/capture.js';
import { loadInput } from '../../src/import/open.js';
import { buildModel } from '../../src/model/build.js';
import { memoryTree } from '../../src/source/memory.js';
import { DEFAULT_READ_LIMITS } from '../../src/source/types.js';
import { oneLine } from '../../src/util/one-line.js';
import { tarOf } from '../bad-inputs/helpers.js';

/**
 * Property tests over generated cgroup trees (v1 and v2, several snapshots, values from 0 to
 * 2^63, keys missing, files damaged): the importer throws nothing but InputError, and the
 * derived working set keeps cAdvisor's invariants against the raw files.
 */
const RUNS = { numRuns: 150 };

const value = fc.oneof(
  fc.constantFrom(0, 1, 4096, 2 ** 53, 2 ** 62, 2 ** 63 - 4096),
  fc.integer({ min: 0, max: 2 ** 40 }),
);

/** A file's text: the value as the kernel writes it, or damage. */
const damage = fc.constantFrom(
  '',
  '-1',
  'NaN',
  'max',
  '1e9',
  '12 34',
  '\u0000\u0001',
  '+Inf',
  '9'.repeat(30),
);

interface Cgroup {
  path: string;
  usage: number;
  inactive: number | null;
  rss: number;
  cache: number;
  limit: number | 'max';
  damaged: Record<string, string>;
}

const cgroup = (version: 1 | 2) =>
  fc.record({
    path: fc.constantFrom(
      'kubepods/burstable/pod0b3a1f9e-5c2d-4e8f-9a7b-6c5d4e3f2a10/aaaa',
      'kubepods/besteffort/pod1b3a1f9e-5c2d-4e8f-9a7b-6c5d4e3f2a10/bbbb',
      'kubepods/pod2b3a1f9e-5c2d-4e8f-9a7b-6c5d4e3f2a10/cccc',
      'kubepods.slice/kubepods-burstable.slice/x.scope',
    ),
    usage: value,
    inactive: fc.option(value, { nil: null }),
    rss: value,
    cache: value,
    limit: version === 2 ? fc.oneof(value, fc.constant('max' as const)) : value,
    damaged: fc.dictionary(
      fc.constantFrom(
        version === 1 ? 'memory.usage_in_bytes' : 'memory.current',
        'memory.stat',
        version === 1 ? 'memory.limit_in_bytes' : 'memory.max',
      ),
      damage,
      { maxKeys: 2 },
    ),
  });

function files(version: 1 | 2, time: string, c: Cgroup): Record<string, string> {
  const dir = `${time}/${c.path}`;
  const inactive = c.inactive === null ? '' : `${version === 1 ? 'total_' : ''}inactive_file ${c.inactive}\n`;
  const out: Record<string, string> =
    version === 1
      ? {
          [`${dir}/memory.usage_in_bytes`]: `${c.usage}\n`,
          [`${dir}/memory.limit_in_bytes`]: `${c.limit}\n`,
          [`${dir}/memory.stat`]: `cache ${c.cache}\nrss ${c.rss}\ntotal_cache ${c.cache}\ntotal_rss ${c.rss}\n${inactive}`,
        }
      : {
          [`${dir}/memory.current`]: `${c.usage}\n`,
          [`${dir}/memory.max`]: `${c.limit}\n`,
          [`${dir}/memory.stat`]: `anon ${c.rss}\nfile ${c.cache}\n${inactive}`,
        };
  for (const [name, text] of Object.entries(c.damaged)) out[`${dir}/${name}`] = text;
  return out;
}

const capture = fc
  .record({
    version: fc.constantFrom(1 as const, 2 as const),
    snapshots: fc.integer({ min: 1, max: 4 }),
  })
  .chain(({ version, snapshots }) =>
    fc.record({
      version: fc.constant(version),
      snaps: fc.array(fc.array(cgroup(version), { minLength: 1, maxLength: 3 }), {
        minLength: snapshots,
        maxLength: snapshots,
      }),
    }),
  );

function tree(version: 1 | 2, snaps: Cgroup[][]): Record<string, string> {
  const all: Record<string, string> = {};
  snaps.forEach((cgroups, i) => {
    const time = `2026-11-27T19:00:${String(i * 10).padStart(2, '0')}Z`;
    for (const c of cgroups) Object.assign(all, files(version, time, c));
  });
  return all;
}

describe('generated cgroup trees', () => {
  it('import throws nothing but InputError', async () => {
    await fc.assert(
      fc.asyncProperty(capture, async ({ version, snaps }) => {
        try {
          await importCapture(memoryTree('capture.tar', tree(version, snaps)));
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }),
      RUNS,
    );
  });

  it('the working set is usage − inactive_file, clamped at 0, never above usage', async () => {
    await fc.assert(
      fc.asyncProperty(capture, async ({ version, snaps }) => {
        let ds: Awaited<ReturnType<typeof importCapture>>;
        try {
          ds = await importCapture(memoryTree('capture.tar', tree(version, snaps)));
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          return;
        }
        const m = buildModel([ds]);
        const usage = m.columns.usage!;
        const ws = m.columns.workingSet!;
        const inactive = m.columns.inactiveFile;
        for (let r = 0; r < usage.length; r++) {
          if (Number.isNaN(usage[r])) {
            expect(ws[r]).toBeNaN();
            continue;
          }
          expect(ws[r]).toBeGreaterThanOrEqual(0);
          expect(ws[r]).toBeLessThanOrEqual(usage[r]);
          const inf = inactive?.[r] ?? Number.NaN;
          expect(ws[r]).toBe(Number.isNaN(inf) ? usage[r] : Math.max(0, usage[r] - inf));
        }
      }),
      RUNS,
    );
  });

  it('the same tree reads the same from a tar archive as from memory', async () => {
    await fc.assert(
      fc.asyncProperty(capture, async ({ version, snaps }) => {
        const files = tree(version, snaps);
        const tar = await tarOf(Object.entries(files).map(([name, body]) => ({ name, body })));
        const limits = DEFAULT_READ_LIMITS;
        const [a, b] = await Promise.allSettled([
          importCapture(memoryTree('capture.tar', files)),
          loadInput({ path: 'capture.tar', data: tar }, { limits }),
        ]);
        expect(a.status).toBe(b.status);
        if (a.status === 'fulfilled' && b.status === 'fulfilled') {
          expect(b.value.table).toEqual(a.value.table);
          // loadInput escapes what warnings quote (oneLine); the rest is the same.
          expect(b.value.input.warnings).toEqual(a.value.input.warnings.map(oneLine));
        }
      }),
      { numRuns: 60 },
    );
  });
});
