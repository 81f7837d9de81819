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

// Kernel OOM reports name the cgroup of the killed task: evidence that survives the cgroup.
const OOM_LINE = /oom-kill:|Memory cgroup out of memory|Killed process/;

export async function collectMeta(timeoutMs = 30_000): Promise<MetaFile[]> {
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
    const lines = dmesg
      .toString('utf8')
      .split('\n')
      .filter((l) => OOM_LINE.test(l));
    if (lines.length > 0) out.push({ name: META_FILES.dmesgOom, data: Buffer.from(`${lines.join('\n')}\n`) });
  }
  return out;
}
