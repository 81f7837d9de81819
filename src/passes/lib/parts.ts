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
  return partsReader(s)(i);
}

/** partsAt for many samples of one series: the columns are looked up once. */
export function partsReader(s: Series): (i: number) => Parts {
  const col = (c: MetricName) => s.col(c);
  const cols = {
    usage: col('usage'),
    workingSet: col('workingSet'),
    anon: col('rss'),
    cache: col('cache'),
    shmem: col('shmem'),
    activeFile: col('activeFile'),
    inactiveFile: col('inactiveFile'),
    kernel: col('kernel'),
    dirty: col('dirty'),
    writeback: col('writeback'),
    limit: col('limit'),
  };
  const estimated = s.entity.provenance.inactiveFile === 'estimated';
  // The model's estimated active file (cache − (usage − working set)) still contains shmem: here it
  // is only ever the `activeOrShmem` sum, never a measured active file.
  const activeMeasured = s.entity.provenance.activeFile !== 'estimated';
  // cAdvisor exports container_memory_kernel_usage as 0 on cgroup v2 (it never fills it). Metrics
  // data is the data without shmem; there, a 0 means "not kept", not "no kernel memory".
  const kernelZeroUnknown = !s.has('shmem');
  return (i) => {
    const v = (c: Float64Array | undefined) => known(c?.[i]);
    const kernel = v(cols.kernel);
    const p: Parts = {
      usage: v(cols.usage),
      workingSet: v(cols.workingSet),
      anon: v(cols.anon),
      cache: v(cols.cache),
      shmem: v(cols.shmem),
      activeFile: activeMeasured ? v(cols.activeFile) : undefined,
      inactiveFile: v(cols.inactiveFile),
      kernel: kernel === 0 && kernelZeroUnknown ? undefined : kernel,
      limit: finiteLimit(v(cols.limit)),
      estimated,
    };
    const dirty = v(cols.dirty);
    const wb = v(cols.writeback);
    if (dirty !== undefined || wb !== undefined) p.dirty = (dirty ?? 0) + (wb ?? 0);
    if (p.cache !== undefined && p.inactiveFile !== undefined)
      p.activeOrShmem = Math.max(0, p.cache - p.inactiveFile);
    return p;
  };
}

/** Memory page reclaim cannot free: anon + shmem + kernel, from the parts that are known. */
export function nonReclaimable(p: Parts): number | undefined {
  if (p.anon === undefined) return undefined;
  return p.anon + (p.shmem ?? 0) + (p.kernel ?? 0);
}
