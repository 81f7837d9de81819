import type { Dataset } from '../import/types.js';
import type { MetricName, Provenance } from './metrics.js';

/**
 * cgroup files → canonical columns, following cAdvisor to the byte (see DESIGN.md and
 * reference/metrics.md §1.9): the same keys, the same clamp, the same "no key → no subtraction".
 */
export type Columns = Partial<Record<MetricName, Float64Array>>;

export interface Derived {
  columns: Columns;
  /** How each column was obtained (for every series that has it). */
  provenance: Partial<Record<MetricName, Provenance>>;
}

/** cAdvisor and the kubelet treat limits above 2^62 as "no limit" (v1 writes 2^63 − 4096). */
export const UNLIMITED_THRESHOLD = 2 ** 62;

export function deriveCgroup(ds: Dataset): Derived {
  const { table, hints } = ds;
  const n = table.length;
  const idx = new Map(table.fields.map((f, i) => [f, i]));
  const nan = new Float64Array(n).fill(Number.NaN);
  const f = (name: string): Float64Array => {
    const i = idx.get(name);
    return i === undefined ? nan : table.columns[i];
  };
  const has = (name: string) => idx.has(name);
  const out = () => new Float64Array(n).fill(Number.NaN);
  const c = {
    usage: out(),
    workingSet: out(),
    rss: out(),
    cache: out(),
    activeFile: out(),
    inactiveFile: out(),
    shmem: out(),
    activeAnon: out(),
    inactiveAnon: out(),
    unevictable: out(),
    mappedFile: out(),
    dirty: out(),
    writeback: out(),
    swap: out(),
    kernel: out(),
    slabReclaimable: out(),
    limit: out(),
    high: out(),
    maxUsage: out(),
    failcnt: out(),
    eventsMax: out(),
    eventsHigh: out(),
    eventsOom: out(),
    oomKills: out(),
    refaultFile: out(),
    pgmajfault: out(),
    statUsage: out(),
    psiSome: out(),
    psiFull: out(),
  } satisfies Columns;

  // v1 sources
  const v1 = {
    usage: f('memory.usage_in_bytes'),
    tif: f('memory.stat:total_inactive_file'),
    inactiveFile: f('memory.stat:inactive_file'),
    hier: f('memory.use_hierarchy'),
    totalRss: f('memory.stat:total_rss'),
    rss: f('memory.stat:rss'),
    totalCache: f('memory.stat:total_cache'),
    cache: f('memory.stat:cache'),
    totalMapped: f('memory.stat:total_mapped_file'),
    mapped: f('memory.stat:mapped_file'),
    totalSwap: f('memory.stat:total_swap'),
    swap: f('memory.stat:swap'),
    activeFile: f('memory.stat:total_active_file'),
    activeFileLocal: f('memory.stat:active_file'),
    shmem: f('memory.stat:total_shmem'),
    shmemLocal: f('memory.stat:shmem'),
    activeAnon: f('memory.stat:total_active_anon'),
    inactiveAnon: f('memory.stat:total_inactive_anon'),
    unevictable: f('memory.stat:total_unevictable'),
    dirty: f('memory.stat:total_dirty'),
    writeback: f('memory.stat:total_writeback'),
    slabReclaimable: f('memory.stat:total_slab_reclaimable'),
    refault: has('memory.stat:total_workingset_refault_file')
      ? f('memory.stat:total_workingset_refault_file')
      : f('memory.stat:total_workingset_refault'),
    pgmajfault: f('memory.stat:total_pgmajfault'),
    kmem: f('memory.kmem.usage_in_bytes'),
    limit: f('memory.limit_in_bytes'),
    maxUsage: f('memory.max_usage_in_bytes'),
    failcnt: f('memory.failcnt'),
    oomKill: f('memory.oom_control:oom_kill'),
    memsw: f('memory.memsw.usage_in_bytes'),
  };
  // v2 sources
  const v2 = {
    current: f('memory.current'),
    inactiveFile: f('memory.stat:inactive_file'),
    anon: f('memory.stat:anon'),
    file: f('memory.stat:file'),
    fileMapped: f('memory.stat:file_mapped'),
    swap: f('memory.swap.current'),
    activeFile: f('memory.stat:active_file'),
    shmem: f('memory.stat:shmem'),
    activeAnon: f('memory.stat:active_anon'),
    inactiveAnon: f('memory.stat:inactive_anon'),
    unevictable: f('memory.stat:unevictable'),
    dirty: f('memory.stat:file_dirty'),
    writeback: f('memory.stat:file_writeback'),
    slabReclaimable: f('memory.stat:slab_reclaimable'),
    slabUnreclaimable: f('memory.stat:slab_unreclaimable'),
    slab: f('memory.stat:slab'),
    kernel: f('memory.stat:kernel'),
    kernelStack: f('memory.stat:kernel_stack'),
    pagetables: f('memory.stat:pagetables'),
    percpu: f('memory.stat:percpu'),
    sock: f('memory.stat:sock'),
    refault: f('memory.stat:workingset_refault_file'),
    pgmajfault: f('memory.stat:pgmajfault'),
    max: f('memory.max'),
    high: f('memory.high'),
    peak: f('memory.peak'),
    evMax: f('memory.events:max'),
    evHigh: f('memory.events:high'),
    evOom: f('memory.events:oom'),
    evOomKill: f('memory.events:oom_kill'),
    psiSome: f('memory.pressure:some.total'),
    psiFull: f('memory.pressure:full.total'),
  };

  let kernelSummed = false;
  for (let s = 0; s < table.series.length; s++) {
    const version = hints[s]?.cgroupVersion ?? 1;
    for (let r = table.rowStart[s]; r < table.rowStart[s + 1]; r++) {
      if (version === 1) {
        const usage = v1.usage[r];
        c.usage[r] = usage;
        // cAdvisor: always the hierarchical key; a missing key means no subtraction; clamp at 0.
        const tif = v1.tif[r];
        c.workingSet[r] = Number.isNaN(tif) ? usage : usage < tif ? 0 : usage - tif;
        // cAdvisor switches rss/cache/mapped/swap to the local keys when use_hierarchy is 0.
        const local = v1.hier[r] === 0;
        c.rss[r] = local ? v1.rss[r] : v1.totalRss[r];
        c.cache[r] = local ? v1.cache[r] : v1.totalCache[r];
        c.mappedFile[r] = local ? v1.mapped[r] : v1.totalMapped[r];
        c.swap[r] = local ? v1.swap[r] : v1.totalSwap[r];
        c.inactiveFile[r] = Number.isNaN(tif) ? v1.inactiveFile[r] : tif;
        c.activeFile[r] = Number.isNaN(v1.activeFile[r]) ? v1.activeFileLocal[r] : v1.activeFile[r];
        c.shmem[r] = Number.isNaN(v1.shmem[r]) ? v1.shmemLocal[r] : v1.shmem[r];
        c.activeAnon[r] = v1.activeAnon[r];
        c.inactiveAnon[r] = v1.inactiveAnon[r];
        c.unevictable[r] = v1.unevictable[r];
        c.dirty[r] = v1.dirty[r];
        c.writeback[r] = v1.writeback[r];
        c.slabReclaimable[r] = v1.slabReclaimable[r];
        c.refaultFile[r] = v1.refault[r];
        c.pgmajfault[r] = v1.pgmajfault[r];
        c.kernel[r] = v1.kmem[r];
        c.limit[r] = unlimited(v1.limit[r]);
        c.maxUsage[r] = v1.maxUsage[r];
        c.failcnt[r] = v1.failcnt[r];
        c.oomKills[r] = v1.oomKill[r];
        // Kernel doc §5.5: rss + cache (+ swap when memsw is accounted) is the exact usage.
        const swap = Number.isNaN(v1.memsw[r]) ? 0 : v1.totalSwap[r] || 0;
        c.statUsage[r] = v1.totalRss[r] + v1.totalCache[r] + swap;
      } else {
        const usage = v2.current[r];
        c.usage[r] = usage;
        const inf = v2.inactiveFile[r];
        c.workingSet[r] = Number.isNaN(inf) ? usage : usage < inf ? 0 : usage - inf;
        c.rss[r] = v2.anon[r];
        c.cache[r] = v2.file[r];
        c.mappedFile[r] = v2.fileMapped[r];
        c.swap[r] = v2.swap[r];
        c.inactiveFile[r] = inf;
        c.activeFile[r] = v2.activeFile[r];
        c.shmem[r] = v2.shmem[r];
        c.activeAnon[r] = v2.activeAnon[r];
        c.inactiveAnon[r] = v2.inactiveAnon[r];
        c.unevictable[r] = v2.unevictable[r];
        c.dirty[r] = v2.dirty[r];
        c.writeback[r] = v2.writeback[r];
        c.slabReclaimable[r] = v2.slabReclaimable[r];
        c.refaultFile[r] = v2.refault[r];
        c.pgmajfault[r] = v2.pgmajfault[r];
        let kernel = v2.kernel[r];
        if (Number.isNaN(kernel) && !Number.isNaN(v2.kernelStack[r])) {
          // Kernels before 5.18 have no "kernel" key: add up the parts they do print.
          const slab = Number.isNaN(v2.slab[r])
            ? (v2.slabReclaimable[r] || 0) + (v2.slabUnreclaimable[r] || 0)
            : v2.slab[r];
          kernel =
            v2.kernelStack[r] + (v2.pagetables[r] || 0) + (v2.percpu[r] || 0) + (v2.sock[r] || 0) + slab;
          kernelSummed = true;
        }
        c.kernel[r] = kernel;
        c.limit[r] = unlimited(v2.max[r]);
        c.high[r] = unlimited(v2.high[r]);
        c.maxUsage[r] = v2.peak[r];
        c.eventsMax[r] = v2.evMax[r];
        c.eventsHigh[r] = v2.evHigh[r];
        c.eventsOom[r] = v2.evOom[r];
        c.oomKills[r] = v2.evOomKill[r];
        c.psiSome[r] = v2.psiSome[r] / 1e6;
        c.psiFull[r] = v2.psiFull[r] / 1e6;
      }
    }
  }
  const provenance: Derived['provenance'] = {};
  for (const name of Object.keys(c) as MetricName[]) provenance[name] = 'measured';
  provenance.workingSet = 'derived';
  provenance.statUsage = 'derived';
  if (kernelSummed) provenance.kernel = 'derived';
  return { columns: c, provenance };
}

/** Limits at or above 2^62 (and "max") are no limit: +Infinity in the frame, null in JSON. */
function unlimited(v: number): number {
  return v >= UNLIMITED_THRESHOLD ? Number.POSITIVE_INFINITY : v;
}
