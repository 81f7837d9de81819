import type { Series } from '../../model/model.js';
import { lastKnownAt } from '../../util/series.js';
import type { Parts } from './parts.js';
import { partsReader } from './parts.js';

/**
 * What filled the limit before an OOM kill. Reclaim frees inactive file cache first and active
 * file cache after it, so what is left when the killer runs is what could not be freed:
 * - anon: heap and stacks (no swap on Kubernetes nodes);
 * - shmem: tmpfs / emptyDir {medium: Memory} / /dev/shm, on the anon lists, not reclaimable;
 * - kernel: slab, page tables, sockets charged to the cgroup;
 * - dirty-file: file cache not yet written back, which reclaim must wait for;
 * - file: clean file cache still held (mapped and in use), rare;
 * - file-or-shmem: Prometheus data, where shmem and active file cannot be told apart.
 */
export type OomCause = 'anon' | 'shmem' | 'kernel' | 'dirty-file' | 'file' | 'file-or-shmem' | 'unknown';

export interface CauseAnalysis {
  cause: OomCause;
  /** Index of the last sample before the kill, -1 when there is none. */
  at: number;
  parts: Parts;
  /** Bytes of the cause part in that sample. */
  causeBytes?: number;
  /** How much the cause part grew over the look-back, and over how long. */
  growthBytes?: number;
  growthMs?: number;
}

/** Analyses the last sample at or before index `before` and the look-back window ending there. */
export function oomCause(s: Series, before: number, lookbackMs: number): CauseAnalysis {
  const usage = s.col('usage');
  const j = usage ? lastKnownAt(usage, before) : -1;
  if (j < 0) return { cause: 'unknown', at: -1, parts: { estimated: false } };
  const partsAt = partsReader(s);
  const p = partsAt(j);
  const file = p.cache !== undefined ? p.cache - (p.shmem ?? 0) - (p.dirty ?? 0) : undefined;
  const candidates: [OomCause, number | undefined][] = [
    ['anon', p.anon],
    ['shmem', p.shmem],
    ['kernel', p.kernel],
    ['dirty-file', p.dirty],
  ];
  // Without shmem, what stays in the cache at the kill is active file or shmem: say both.
  if (p.shmem === undefined) candidates.push(['file-or-shmem', p.activeOrShmem]);
  let cause: OomCause = 'unknown';
  let best = 0;
  for (const [c, v] of candidates) {
    if (v !== undefined && v > best) {
      cause = c;
      best = v;
    }
  }
  // Clean cache the kernel did not drop: only the cause when it is most of usage.
  if (p.shmem !== undefined && file !== undefined && file > best && p.usage && file >= p.usage / 2) {
    cause = 'file';
    best = file;
  }
  const out: CauseAnalysis = { cause, at: j, parts: p, causeBytes: cause === 'unknown' ? undefined : best };
  // Growth of the cause part from the first sample in the look-back window.
  const value = (k: number): number | undefined => {
    const q = partsAt(k);
    const f = q.cache !== undefined ? q.cache - (q.shmem ?? 0) - (q.dirty ?? 0) : undefined;
    const by: Record<OomCause, number | undefined> = {
      anon: q.anon,
      shmem: q.shmem,
      kernel: q.kernel,
      'dirty-file': q.dirty,
      file: f,
      'file-or-shmem': q.activeOrShmem,
      unknown: undefined,
    };
    return by[cause];
  };
  let k = j;
  for (let i = j - 1; i >= 0 && s.t[j] - s.t[i] <= lookbackMs; i--) if (value(i) !== undefined) k = i;
  const v0 = value(k);
  if (k < j && v0 !== undefined && out.causeBytes !== undefined) {
    out.growthBytes = out.causeBytes - v0;
    out.growthMs = s.t[j] - s.t[k];
  }
  return out;
}
