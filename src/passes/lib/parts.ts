import type { MetricName } from '../../model/metrics.js';
import type { Series } from '../../model/model.js';
import { finiteLimit, known } from '../../util/series.js';

/**
 * What a container's memory was made of at one sample, from whatever the source has. A cgroup
 * capture has every part; Prometheus data has anon and cache but not shmem, and its inactive file
 * is usage − working set, so active file and shmem come only as their sum (`activeOrShmem`).
 */
export interface Parts {
  usage?: number;
  workingSet?: number;
  /** Anonymous memory (rss / anon). */
  anon?: number;
  cache?: number;
  shmem?: number;
  activeFile?: number;
  inactiveFile?: number;
  kernel?: number;
  /** Dirty + writeback file cache: cannot be dropped before it is written. */
  dirty?: number;
  limit?: number;
  /** cache − inactive file: active file and shmem together, when they cannot be told apart. */
  activeOrShmem?: number;
  /** True when a part comes from an estimate (Prometheus data without the breakdown). */
  estimated: boolean;
}

export function partsAt(s: Series, i: number): Parts {
  const v = (c: MetricName) => known(s.col(c)?.[i]);
  const p: Parts = {
    usage: v('usage'),
    workingSet: v('workingSet'),
    anon: v('rss'),
    cache: v('cache'),
    shmem: v('shmem'),
    activeFile: v('activeFile'),
    inactiveFile: v('inactiveFile'),
    kernel: kernelAt(s, i),
    limit: finiteLimit(v('limit')),
    estimated: s.entity.provenance.inactiveFile === 'estimated',
  };
  const dirty = v('dirty');
  const wb = v('writeback');
  if (dirty !== undefined || wb !== undefined) p.dirty = (dirty ?? 0) + (wb ?? 0);
  if (p.cache !== undefined && p.inactiveFile !== undefined)
    p.activeOrShmem = Math.max(0, p.cache - p.inactiveFile);
  return p;
}

/** Memory page reclaim cannot free: anon + shmem + kernel, from the parts that are known. */
export function nonReclaimable(p: Parts): number | undefined {
  if (p.anon === undefined) return undefined;
  return p.anon + (p.shmem ?? 0) + (p.kernel ?? 0);
}

/**
 * cAdvisor exports container_memory_kernel_usage as 0 on cgroup v2 (it never fills it). Metrics
 * data is the data without shmem; there, a 0 means "not kept", not "no kernel memory".
 */
function kernelAt(s: Series, i: number): number | undefined {
  const k = known(s.col('kernel')?.[i]);
  return k === 0 && !s.has('shmem') ? undefined : k;
}
