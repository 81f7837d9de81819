/**
 * Capture and analyze on a real cgroup v1 tree made on this machine: the script under each shell and
 * `memlens capture`, then `memlens analyze` on the result. Skipped, with the reason, where this
 * process cannot create cgroups.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { buildModel } from '../../src/model/build.js';
import type { RealTree } from '../capture/real-cgroup.js';
import { MiB, makeRealTree, whyNoRealCgroups } from '../capture/real-cgroup.js';
import {
  importArchive,
  manifestOf,
  privateTmp,
  runCliCapture,
  runScript,
  SHELLS,
  scratch,
} from '../capture/run.js';

const why = whyNoRealCgroups();
if (why) console.warn(`memlens-capture real-cgroup tests skipped: ${why}`);

describe.skipIf(why !== null)('on a real cgroup v1 tree made here', () => {
  let tree: RealTree;
  const tmp = scratch();
  const TMPDIR = privateTmp();
  beforeAll(async () => {
    tree = await makeRealTree();
  });
  afterAll(async () => {
    await tree?.cleanup();
    tmp.cleanup();
    rmSync(TMPDIR, { recursive: true, force: true });
  });

  async function checkCapture(out: string) {
    const m = await manifestOf(readFileSync(out));
    expect(m).toMatchObject({ cgroupVersion: 1, root: tree.root, snapshots: 2, complete: true });
    const ds = await importArchive(out);
    expect(ds.input.warnings).toEqual([]);
    expect(ds.input.details).toMatchObject({ snapshots: 2, cgroups: 4, emptyFiles: 0 });
    const model = buildModel([ds]);
    const c = model.entities.find((e) => e.containerId === tree.containerId)!;
    expect(c).toMatchObject({ role: 'container', podUid: tree.podUid, qos: 'burstable', cgroupVersion: 1 });
    const at = (n: 'usage' | 'workingSet' | 'rss' | 'cache' | 'limit') => model.columns[n]![c.rowEnd - 1];
    expect(at('limit')).toBe(tree.limit);
    expect(at('rss')).toBeGreaterThanOrEqual(24 * MiB);
    expect(at('cache')).toBeGreaterThanOrEqual(8 * MiB);
    expect(at('usage')).toBeGreaterThanOrEqual(at('rss') + 8 * MiB);
    expect(at('usage')).toBeLessThanOrEqual(tree.limit);
    expect(at('workingSet')).toBeLessThanOrEqual(at('usage'));
  }

  it.each(SHELLS.map((s) => [s.name, s]))('the script under %s captures it', async (_, shell) => {
    const out = join(tmp.dir, 'out', `real-${shell.name.replace(' ', '-')}.tar.gz`);
    const r = await runScript(shell.argv, ['-r', tree.root, '-n', '2', '-i', '1', '-o', out], {
      env: { TMPDIR, PATH: '/usr/bin:/bin' },
    });
    expect(r.code, r.stderr).toBe(0);
    await checkCapture(out);
  });

  it('memlens capture captures it', async () => {
    const out = join(tmp.dir, 'out', 'real-node.tar.gz');
    const r = await runCliCapture(['-r', tree.root, '-n', '2', '-i', '1', '-o', out, '--no-meta']);
    expect(r.code, r.stderr).toBe(0);
    await checkCapture(out);
  });

  it('memlens analyze reads the capture and reports the container with its limit', async () => {
    const out = join(tmp.dir, 'out', 'real-analyze.tar.gz');
    const shell = SHELLS[0];
    const r = await runScript(shell.argv, ['-r', tree.root, '-n', '2', '-i', '1', '-o', out], {
      env: { TMPDIR, PATH: '/usr/bin:/bin' },
    });
    expect(r.code, r.stderr).toBe(0);
    const stdout: string[] = [];
    const code = await runCli(
      ['node', 'memlens', 'analyze', out, '--json', '--out', join(tmp.dir, 'report')],
      {
        stdout: (s) => stdout.push(s),
        stderr: () => {},
      },
    );
    expect(code).toBe(0);
    const findings = JSON.parse(stdout.join('\n'));
    const c = findings.containers.find((x: { containerId: string }) => x.containerId === tree.containerId);
    expect(c).toMatchObject({ podUid: tree.podUid, qos: 'burstable', limitBytes: tree.limit, oomKills: 0 });
    expect(c.peak.usageBytes).toBeGreaterThanOrEqual(32 * MiB);
  });
});
