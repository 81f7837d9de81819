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

/**
 * nonReclaimable(partsAt(s, i)) for many samples, without a Parts object per sample: the
 * recommended limit reads it at every sample of every container.
 */
export function nonReclaimableReader(s: Series): (i: number) => number | undefined {
  const anon = s.col('rss');
  const shmem = s.col('shmem');
  const kernel = s.col('kernel');
  // A kernel value partsReader leaves unknown (0 where shmem is missing) adds 0 here too.
  const orZero = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 0 : v);
  return (i) => {
    const a = anon?.[i];
    if (a === undefined || Number.isNaN(a)) return undefined;
    return a + orZero(shmem?.[i]) + orZero(kernel?.[i]);
  };
}

/**
 * The active file cache at each sample as active-file-in-working-set reads it from partsAt: the
 * measured value (`measured(i)`), else, where shmem is unknown, cache − inactive file (which also
 * holds shmem). No Parts object per sample.
 */
export function activeFileReader(s: Series): {
  at: (i: number) => number | undefined;
  measured: (i: number) => boolean;
} {
  const col = s.entity.provenance.activeFile !== 'estimated' ? s.col('activeFile') : undefined;
  const shmem = s.col('shmem');
  const cache = s.col('cache');
  const inactive = s.col('inactiveFile');
  const measured = (i: number) => known(col?.[i]) !== undefined;
  return {
    measured,
    at: (i) => {
      if (measured(i)) return col![i];
      if (known(shmem?.[i]) !== undefined) return undefined;
      const c = known(cache?.[i]);
      const inf = known(inactive?.[i]);
      return c === undefined || inf === undefined ? undefined : Math.max(0, c - inf);
    },
  };
}
