import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Finds what to capture, exactly as scripts/memlens-capture.sh does (a test runs both on the same
 * fake cgroup filesystems): the memory controller's hierarchy, then the Kubernetes root in it, else
 * Docker's.
 */

/** Where the cgroup filesystem is looked for when none is given: the host's, then a node's root
 *  mounted at /host (a `kubectl debug node/…` pod used without chroot). */
export const DEFAULT_CGROUP_FS = ['/sys/fs/cgroup', '/host/sys/fs/cgroup'];

export interface Hierarchy {
  /** The memory controller's root: BASE (v2), BASE/memory (v1 and hybrid) or BASE/unified. */
  mount: string;
  cgroupVersion: 1 | 2;
}

export interface CaptureRoot extends Hierarchy {
  /** The cgroup captured (absolute). */
  root: string;
  /** Folder the root's files go under in each snapshot: its name, or '' for a whole hierarchy. */
  prefix: string;
  /** Other roots found, not captured (several kubelets' trees on one machine). */
  also: string[];
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};
const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};
// Child folders as the shell's glob of "$p"/*/ lists them: dot-folders left out.
const subdirs = (p: string): string[] => {
  try {
    return readdirSync(p)
      .filter((n) => !n.startsWith('.'))
      .map((n) => join(p, n))
      .filter(isDir);
  } catch {
    return [];
  }
};
// A glob's matches come sorted by their whole path, byte by byte.
const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** True when a cgroup.controllers file lists the memory controller. */
function hasMemory(controllers: string): boolean {
  try {
    const line = readFileSync(controllers, 'latin1').split('\n')[0];
    return line.split(/\s+/).includes('memory');
  } catch {
    return false;
  }
}

/** The memory controller's hierarchy under a cgroup filesystem mounted at `base`, or null. */
export function findHierarchy(base: string): Hierarchy | null {
  if (isFile(join(base, 'cgroup.controllers')) && hasMemory(join(base, 'cgroup.controllers')))
    return { mount: base, cgroupVersion: 2 };
  if (isDir(join(base, 'memory'))) return { mount: join(base, 'memory'), cgroupVersion: 1 };
  const unified = join(base, 'unified');
  if (isFile(join(unified, 'cgroup.controllers')) && hasMemory(join(unified, 'cgroup.controllers')))
    return { mount: unified, cgroupVersion: 2 };
  return null;
}

/**
 * Kubernetes roots below a hierarchy: top level first, then nested one and two levels down (a
 * kubelet running in a container), each level in name order; else Docker's root. Empty when none.
 */
export function findRoots(mount: string): string[] {
  const names = ['kubepods.slice', 'kubepods'];
  const level1 = subdirs(mount);
  const level2 = level1.flatMap(subdirs);
  const kube = [
    ...names.map((n) => join(mount, n)).filter(isDir),
    ...names.flatMap((n) =>
      level1
        .map((d) => join(d, n))
        .filter(isDir)
        .sort(byPath),
    ),
    ...names.flatMap((n) =>
      level2
        .map((d) => join(d, n))
        .filter(isDir)
        .sort(byPath),
    ),
  ];
  if (kube.length > 0) return kube;
  if (isDir(join(mount, 'docker'))) return [join(mount, 'docker')];
  const system = join(mount, 'system.slice');
  if (subdirs(system).some((d) => /\/docker-[^/]*\.scope$/.test(d))) return [system];
  return [];
}

/**
 * Resolves the root to capture. `root` may be absolute, or relative to the memory hierarchy
 * ("kubepods.slice"); `cgroupFs` replaces the default mount points. Throws UsageError with the
 * same words as the script when nothing fits.
 */
export function resolveRoot(opts: { root?: string; cgroupFs?: string } = {}): CaptureRoot {
  const bases = opts.cgroupFs ? [opts.cgroupFs] : DEFAULT_CGROUP_FS;
  let seen: Hierarchy | null = null;
  let found: { root: string; hierarchy: Hierarchy | null; also: string[] } | null = null;
  for (const base of bases) {
    const h = findHierarchy(base);
    if (!h) continue;
    seen = h;
    if (!opts.root) {
      const roots = findRoots(h.mount);
      if (roots.length > 0) {
        found = { root: roots[0], hierarchy: h, also: roots.slice(1) };
        break;
      }
    } else if (opts.root.startsWith('/')) {
      found = { root: opts.root, hierarchy: h, also: [] };
      break;
    } else if (isDir(join(h.mount, opts.root.replace(/^\.\//, '')))) {
      found = { root: join(h.mount, opts.root.replace(/^\.\//, '')), hierarchy: h, also: [] };
      break;
    }
  }
  if (!found && opts.root?.startsWith('/')) found = { root: opts.root, hierarchy: null, also: [] };
  if (!found) {
    if (opts.root)
      throw new UsageError(`cgroup root '${opts.root}' not found under ${seen?.mount ?? bases.join(' ')}`);
    if (!seen)
      throw new UsageError(
        `no cgroup memory controller under ${bases.join(' ')}; give the cgroup mount with --cgroup-fs or the root with --root`,
      );
    throw new UsageError(
      `no kubepods or docker cgroup under ${seen.mount}; give the cgroup to capture with --root`,
    );
  }
  const root = found.root.length > 1 ? found.root.replace(/\/+$/, '') : found.root;
  if (!isDir(root)) throw new UsageError(`cgroup root ${root} is not a directory`);
  // A root given by hand may be on either hierarchy: its own files say which.
  let cgroupVersion: 1 | 2;
  if (isFile(join(root, 'memory.current')) || isFile(join(root, 'cgroup.controllers'))) cgroupVersion = 2;
  else if (isFile(join(root, 'memory.usage_in_bytes'))) cgroupVersion = 1;
  else
    throw new UsageError(
      `${root} has neither memory.usage_in_bytes (cgroup v1) nor memory.current (v2): not a memory cgroup`,
    );
  const mount = found.hierarchy?.mount ?? '';
  return {
    root,
    mount,
    cgroupVersion,
    prefix: root === mount ? '' : `/${root.split('/').pop()}`,
    also: found.also,
  };
}
