import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveEntry } from './archive.js';

/**
 * Reads one snapshot: the memory files of a cgroup and of every cgroup below it. Files are read
 * with read(2) until EOF, never sized with stat(2) (cgroupfs reports every file as 0 bytes).
 */

/** The cgroup and every cgroup below it, parents first, children in name order. */
export async function listCgroups(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    out.push(dir);
    let names: string[];
    try {
      names = (await readdir(dir, { withFileTypes: true }))
        .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
        .map((d) => d.name)
        .sort();
    } catch {
      return; // removed while we walked: its parent's files are still worth having
    }
    for (const n of names) await walk(join(dir, n));
  };
  await walk(root);
  return out;
}

/** Files read at once; enough to hide latency, few enough to stay far below any fd limit. */
const CONCURRENCY = 64;

/**
 * Entries for one snapshot folder: `<folder><prefix>/<cgroup path>/<file>` for every file in
 * `files` that each cgroup has and that reads non-empty. Directories come first, as tar lists them.
 */
export async function readSnapshot(
  root: string,
  prefix: string,
  files: readonly string[],
  folder: string,
  mtime: Date,
): Promise<ArchiveEntry[]> {
  const cgroups = await listCgroups(root);
  const dirs: ArchiveEntry[] = [{ name: folder, type: 'directory', mtime }];
  if (prefix) dirs.push({ name: `${folder}${prefix}`, type: 'directory', mtime });
  for (const cg of cgroups.slice(1))
    dirs.push({ name: `${folder}${prefix}${cg.slice(root.length)}`, type: 'directory', mtime });
  const jobs: { src: string; name: string }[] = [];
  for (const cg of cgroups)
    for (const f of files)
      jobs.push({ src: join(cg, f), name: `${folder}${prefix}${cg.slice(root.length)}/${f}` });
  const read: (ArchiveEntry | null)[] = new Array(jobs.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      try {
        const data = oneNewline(await readFile(jobs[i].src));
        if (data) read[i] = { name: jobs[i].name, type: 'file', mtime, data };
      } catch {
        // Absent in this kernel (memsw without swap accounting), or the cgroup just went away.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
  return [...dirs, ...read.filter((e): e is ArchiveEntry => e !== null)];
}

/** Ends the text with exactly one newline, as the shell script's copy does; null when empty. */
function oneNewline(data: Buffer): Buffer | null {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0x0a) end--;
  if (end === 0) return null;
  if (end === data.length - 1) return data;
  return Buffer.concat([data.subarray(0, end), Buffer.from('\n')]);
}
