import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { META_FILES } from './spec.js';

/**
 * Names for what the capture holds: the same commands, in the same order, as the shell script's
 * collect_meta. Each tool is optional; its output is kept only when it succeeds and says something.
 */

export interface MetaFile {
  name: string;
  data: Buffer;
}

// kubectl of a big cluster returns tens of MiB; crictl and docker much less.
const MAX_OUTPUT = 512 * 1024 * 1024;

function run(cmd: string, args: string[], timeoutMs: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { encoding: 'buffer', maxBuffer: MAX_OUTPUT, timeout: timeoutMs, windowsHide: true },
      (err, stdout) => resolve(err || stdout.length === 0 ? null : stdout),
    );
  });
}

/** The kubelet's kubeconfig may read pods (system:node) where the node has no kubeconfig of its own. */
const KUBELET_KUBECONFIGS = [
  '/etc/kubernetes/kubelet.conf',
  '/var/lib/kubelet/kubeconfig',
  '/etc/kubernetes/kubelet-kubeconfig',
];

/**
 * Kernel OOM reports name the cgroup of the killed task: evidence that survives the cgroup. Keeps
 * the reports about cgroups below `rel` (the captured root relative to its hierarchy, as the kernel
 * writes paths; kernels before 4.19 write "Task in <cgroup> killed as a result of limit of …") and
 * the "Killed process" line that follows each.
 */
export function oomLines(dmesg: string, rel: string): string[] {
  const out: string[] = [];
  let keep = false;
  const mine = [`oom_memcg=${rel}/`, `oom_memcg=${rel},`, `task_memcg=${rel}/`, `task_memcg=${rel},`];
  const old = [`Task in ${rel}/`, `Task in ${rel} `];
  for (const line of dmesg.split('\n')) {
    if (
      mine.some((p) => line.includes(p)) ||
      (old.some((p) => line.includes(p)) && line.includes('killed as a result of limit'))
    ) {
      out.push(line);
      keep = true;
    } else if (line.includes('Killed process')) {
      if (keep) out.push(line);
      keep = false;
    } else if (line.includes('oom-kill:')) keep = false;
  }
  return out;
}

/** `rel`: the captured root as the kernel names it in OOM reports (see oomLines). */
export async function collectMeta(rel: string, timeoutMs = 30_000): Promise<MetaFile[]> {
  const out: MetaFile[] = [];
  const keep = (name: string, data: Buffer | null) => {
    if (data) out.push({ name, data });
    return data !== null;
  };
  keep(META_FILES.crictlPs, await run('crictl', ['ps', '-a', '-o', 'json'], timeoutMs));
  keep(META_FILES.crictlPods, await run('crictl', ['pods', '-o', 'json'], timeoutMs));
  const pods = ['get', 'pods', '-A', '-o', 'json', '--request-timeout=20s'];
  if (!keep(META_FILES.kubectlPods, await run('kubectl', pods, timeoutMs))) {
    for (const kc of KUBELET_KUBECONFIGS) {
      if (
        existsSync(kc) &&
        keep(META_FILES.kubectlPods, await run('kubectl', ['--kubeconfig', kc, ...pods], timeoutMs))
      )
        break;
    }
  }
  const ids = (await run('docker', ['ps', '-aq'], timeoutMs))?.toString('utf8').split(/\s+/).filter(Boolean);
  if (ids && ids.length > 0)
    keep(META_FILES.dockerInspect, await run('docker', ['inspect', ...ids], timeoutMs));
  const dmesg = await run('dmesg', [], timeoutMs);
  if (dmesg) {
    const lines = oomLines(dmesg.toString('utf8'), rel);
    if (lines.length > 0) out.push({ name: META_FILES.dmesgOom, data: Buffer.from(`${lines.join('\n')}\n`) });
  }
  return out;
}
