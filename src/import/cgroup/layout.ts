import { parseSnapshotName } from '../../util/time.js';

/**
 * Where a file of a capture belongs: which snapshot (a top-level folder named by its time, at any
 * depth below wrapper folders) and which cgroup (the folders between the snapshot and the file).
 */
export interface Placement {
  /** Snapshot time in epoch ms; NaN when the file is not inside a time-named folder. */
  t: number;
  /** cgroup path relative to the cgroup mount, with a leading '/'. */
  cgroup: string;
  file: string;
}

// Prefixes a capture may keep in front of the cgroup path: the mount point and its hierarchy name.
const MOUNT_PREFIXES = [
  ['host', 'sys', 'fs', 'cgroup', 'memory'],
  ['host', 'sys', 'fs', 'cgroup', 'unified'],
  ['host', 'sys', 'fs', 'cgroup'],
  ['sys', 'fs', 'cgroup', 'memory'],
  ['sys', 'fs', 'cgroup', 'unified'],
  ['sys', 'fs', 'cgroup'],
  ['cgroup', 'memory'],
];

export function placeEntry(path: string): Placement {
  const cut = path.lastIndexOf('/');
  return { ...placeDir(cut < 0 ? '' : path.slice(0, cut)), file: path.slice(cut + 1) };
}

/** Where the files of a folder belong: the snapshot time and the cgroup (see placeEntry). */
export function placeDir(dir: string): { t: number; cgroup: string } {
  const parts = dir === '' ? [] : dir.split('/');
  let t = Number.NaN;
  let start = 0;
  for (let i = 0; i < parts.length; i++) {
    const ts = parseSnapshotName(parts[i]);
    if (!Number.isNaN(ts)) {
      t = ts;
      start = i + 1;
      break;
    }
  }
  return { t, cgroup: normaliseCgroup(parts.slice(start)) };
}

/** Strips mount prefixes and restores a kubepods root the capture left out. */
export function normaliseCgroup(parts: string[]): string {
  let p = parts;
  for (const prefix of MOUNT_PREFIXES) {
    const at = indexOfRun(p, prefix);
    if (at >= 0) {
      p = p.slice(at + prefix.length);
      break;
    }
  }
  // A capture taken with the kubepods folder as its root ("tar -C …/kubepods .") starts one level in.
  if (!p.includes('kubepods') && !p.includes('kubepods.slice') && p.length > 0) {
    if (/^(burstable|besteffort|pod[0-9a-f-]{36})$/.test(p[0])) p = ['kubepods', ...p];
    else if (/^kubepods-.*\.slice$/.test(p[0])) p = ['kubepods.slice', ...p];
  }
  return `/${p.join('/')}`;
}

function indexOfRun(parts: string[], run: string[]): number {
  outer: for (let i = 0; i + run.length <= parts.length; i++) {
    for (let j = 0; j < run.length; j++) if (parts[i + j] !== run[j]) continue outer;
    return i;
  }
  return -1;
}

/** Time from an input name such as "memory-1764270348.tar.gz"; NaN when absent. */
export function timeFromName(name: string): number {
  const m = /memory-(\d{10})(?!\d)/.exec(name.split(/[\\/]/).pop() ?? '');
  return m ? Number(m[1]) * 1000 : Number.NaN;
}
