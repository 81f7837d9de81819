import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findHierarchy, resolveRoot } from '../../src/capture/root.js';
import { UsageError } from '../../src/errors.js';
import { LAYOUTS, makeFakeCgroupFs } from './fake-cgroupfs.js';
import { manifestOf, privateTmp, runScript, SHELLS } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'memlens-root-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding what to capture', () => {
  it.each(LAYOUTS)('on a %s node: the Kubernetes (or Docker) root and its cgroup version', (layout) => {
    const fs = makeFakeCgroupFs(join(dir, layout), layout);
    const r = resolveRoot({ cgroupFs: fs.base });
    expect(r.root).toBe(fs.root);
    expect(r.cgroupVersion).toBe(fs.cgroupVersion);
    expect(r.prefix).toBe(`/${fs.root.split('/').pop()}`);
    expect(r.also).toEqual([]);
  });

  it('takes the memory hierarchy of a hybrid host from v1, not from the unified mount', () => {
    const fs = makeFakeCgroupFs(join(dir, 'hybrid'), 'hybrid-v1-cgroupfs');
    expect(findHierarchy(fs.base)).toEqual({ mount: join(fs.base, 'memory'), cgroupVersion: 1 });
  });

  it('takes a root below the hierarchy, or an absolute one, and reads its version from its files', () => {
    const fs = makeFakeCgroupFs(join(dir, 'by-hand'), 'v2-systemd');
    expect(resolveRoot({ cgroupFs: fs.base, root: 'kubepods.slice/kubepods-burstable.slice' }).root).toBe(
      `${fs.root}/kubepods-burstable.slice`,
    );
    const whole = resolveRoot({ cgroupFs: fs.base, root: fs.base });
    expect(whole).toMatchObject({ root: fs.base, cgroupVersion: 2, prefix: '' });
  });

  it('refuses what it cannot use, with the script’s words', () => {
    const fs = makeFakeCgroupFs(join(dir, 'refuse'), 'v1-cgroupfs');
    expect(() => resolveRoot({ cgroupFs: join(dir, 'nowhere') })).toThrow(
      new UsageError(
        `no cgroup memory controller under ${join(dir, 'nowhere')}; give the cgroup mount with --cgroup-fs or the root with --root`,
      ),
    );
    expect(() => resolveRoot({ cgroupFs: fs.base, root: 'kubepods/none' })).toThrow(
      /cgroup root 'kubepods\/none' not found under/,
    );
    mkdirSync(join(dir, 'plain-folder'));
    expect(() => resolveRoot({ root: join(dir, 'plain-folder') })).toThrow(/not a memory cgroup/);
  });

  it('lists the other kubepods trees it found, and picks the same one as the script', async () => {
    const fs = makeFakeCgroupFs(join(dir, 'two'), 'nested-v1-cgroupfs');
    // A second kubelet's tree on the same machine (kind, or two tests recording at once).
    const second = join(fs.base, 'memory', 'zz-sidecar', 'kubepods');
    mkdirSync(second, { recursive: true });
    const r = resolveRoot({ cgroupFs: fs.base });
    expect(r.root).toBe(fs.root);
    expect(r.also).toEqual([second]);
    const tmp = privateTmp();
    try {
      for (const shell of SHELLS) {
        const out = join(dir, `two-${shell.name.replace(' ', '-')}.tar.gz`);
        const run = await runScript(shell.argv, ['-m', fs.base, '-o', out], {
          env: { TMPDIR: tmp, PATH: '/usr/bin:/bin' },
        });
        expect(run.stderr).toContain(`also found ${second}; capturing the first (choose with -r)`);
        expect(await manifestOf(readFileSync(out))).toMatchObject({ root: r.root });
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
