/**
 * A real, Kubernetes-shaped cgroup v1 tree made below this process's own memory cgroup, with a
 * process in a container cgroup that holds anonymous memory and page cache. Everything made is
 * removed by cleanup(); only processes started here are ended.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MiB = 1024 * 1024;

/** Why this machine cannot host the test, or null when it can. */
export function whyNoRealCgroups(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not running as root';
  const self = readFileSync('/proc/self/cgroup', 'utf8');
  const m = /^\d+:memory:(.*)$/m.exec(self);
  if (!m)
    return 'no cgroup v1 memory controller here (this test makes v1 trees; v2 is covered by the fake roots)';
  const parent = join('/sys/fs/cgroup/memory', m[1]);
  const probe = join(parent, `memlens-probe-${process.pid}-${randomBytes(3).toString('hex')}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
  } catch (e) {
    return `cannot create a cgroup below ${parent}: ${(e as Error).message}`;
  }
  return null;
}

export interface RealTree {
  /** The kubepods root to capture. */
  root: string;
  podUid: string;
  containerId: string;
  limit: number;
  cleanup(): Promise<void>;
}

export async function makeRealTree(): Promise<RealTree> {
  const self = /^\d+:memory:(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))![1];
  const top = join(
    '/sys/fs/cgroup/memory',
    self,
    `memlens-test-${process.pid}-${randomBytes(3).toString('hex')}`,
  );
  const root = join(top, 'kubepods');
  const podUid = randomUUID();
  const containerId = randomBytes(32).toString('hex');
  const cg = join(root, 'burstable', `pod${podUid}`, containerId);
  mkdirSync(cg, { recursive: true });
  const limit = 96 * MiB;
  writeFileSync(join(cg, 'memory.limit_in_bytes'), String(limit));
  const scratchFile = join('/var/tmp', `memlens-real-${process.pid}-${randomBytes(3).toString('hex')}`);
  // Joins the cgroup first, so the page cache it writes and the memory node holds are charged there.
  const child = spawn(
    'sh',
    [
      '-c',
      'echo $$ > "$0/cgroup.procs" && head -c 16777216 /dev/zero > "$1" && exec "$2" -e "globalThis.b = Buffer.alloc(24 << 20, 1); setInterval(() => {}, 1 << 30)"',
      cg,
      scratchFile,
      process.execPath,
    ],
    { stdio: 'ignore' },
  );
  const usage = () => Number(readFileSync(join(cg, 'memory.usage_in_bytes'), 'utf8'));
  const deadline = Date.now() + 20_000;
  while (usage() < 40 * MiB && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return {
    root,
    podUid,
    containerId,
    limit,
    async cleanup() {
      child.kill('SIGKILL');
      await new Promise((r) =>
        child.exitCode !== null || child.signalCode ? r(null) : child.once('exit', r),
      );
      rmSync(scratchFile, { force: true });
      // Deepest first: a cgroup is removed with rmdir once it is empty of processes and children.
      for (const d of [cg, join(root, 'burstable', `pod${podUid}`), join(root, 'burstable'), root, top]) {
        for (let i = 0; i < 50 && existsSync(d); i++) {
          try {
            rmdirSync(d);
          } catch {
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }
    },
  };
}
