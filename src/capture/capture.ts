import { existsSync } from 'node:fs';
import { type FileHandle, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError, UsageError } from '../errors.js';
import type { ArchiveEntry } from './archive.js';
import { gzipTarMember } from './archive.js';
import { collectMeta } from './meta.js';
import type { CaptureRoot } from './root.js';
import { resolveRoot } from './root.js';
import { listCgroups, readSnapshot } from './snapshot.js';
import type { CaptureManifest } from './spec.js';
import {
  CAPTURE_FORMAT,
  CAPTURE_VERSION,
  DEFAULT_INTERVAL_SECONDS,
  MANIFEST_FILE,
  snapshotFolder,
  snapshotsFor,
  V1_FILES,
  V2_FILES,
} from './spec.js';

/**
 * `memlens capture`: the capture scripts/memlens-capture.sh makes, from Node. Same root detection,
 * same files, same schedule, same archive layout (spec.ts); tests hold the two to the same frame.
 */

export interface CaptureOptions {
  /** cgroup to capture (absolute, or below the memory hierarchy); found automatically when absent. */
  root?: string;
  /** Where the cgroup filesystem is mounted (default /sys/fs/cgroup, then /host/sys/fs/cgroup). */
  cgroupFs?: string;
  intervalSeconds?: number;
  /** Number of snapshots; default 1, or what durationSeconds asks for. */
  count?: number;
  durationSeconds?: number;
  /** Output file path, or a stream (stdout). */
  out: string | Writable;
  /** Aborting stops after the snapshot being taken; what was captured is still written. */
  signal?: AbortSignal;
  /** Progress for the CLI to word. */
  onEvent?: (e: CaptureEvent) => void;
  /** Collect crictl/kubectl/docker/dmesg output at the end (default true). */
  meta?: boolean;
}

export type CaptureEvent =
  | { kind: 'start'; root: CaptureRoot; cgroups: number; count: number; intervalSeconds: number }
  | { kind: 'first'; bytes: number; expectedBytes: number }
  | { kind: 'snapshot'; index: number; count: number; folder: string }
  | { kind: 'slow'; seconds: number };

export interface CaptureResult {
  root: CaptureRoot;
  snapshots: number;
  count: number;
  cgroups: number;
  /** Bytes written; null for a stream. */
  bytes: number | null;
  start: string | null;
  end: string | null;
  stopped: 'done' | 'interrupted';
  elapsedSeconds: number;
}

/** The files to copy for this cgroup version on this kernel. */
export function filesFor(cgroupVersion: 1 | 2): string[] {
  if (cgroupVersion === 1) return [...V1_FILES];
  // With PSI off, memory.pressure exists but every read fails; leave it out rather than fail each time.
  const psi = existsSync('/proc/pressure/memory');
  return V2_FILES.filter((f) => psi || f !== 'memory.pressure');
}

/** Checks the numbers as the script does, with the same words. */
export function planCount(opts: Pick<CaptureOptions, 'intervalSeconds' | 'count' | 'durationSeconds'>): {
  interval: number;
  count: number;
} {
  const interval = opts.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  if (!Number.isInteger(interval) || interval < 1)
    throw new UsageError(`--interval must be a whole number of seconds >= 1, got '${opts.intervalSeconds}'`);
  let count = opts.count;
  if (opts.durationSeconds !== undefined) {
    if (count !== undefined) throw new UsageError('give --count or --duration, not both');
    if (!Number.isInteger(opts.durationSeconds) || opts.durationSeconds < 0)
      throw new UsageError(`--duration must look like 90s, 15m or 2h, got '${opts.durationSeconds}'`);
    count = snapshotsFor(opts.durationSeconds, interval);
  }
  count ??= 1;
  if (!Number.isInteger(count) || count < 1)
    throw new UsageError(`--count must be a whole number >= 1, got '${opts.count}'`);
  return { interval, count };
}

function readProc(path: string): Promise<string> {
  return readFile(path, 'utf8').then(
    (s) => s.trim() || 'unknown',
    () => 'unknown',
  );
}

/** Writes gzip members one after another to a file or a stream. */
interface Sink {
  write(b: Buffer): Promise<void>;
  close(): Promise<void>;
  bytes: number;
}

async function openSink(out: string | Writable): Promise<Sink> {
  const sink = { bytes: 0 } as Sink;
  if (typeof out !== 'string') {
    sink.write = async (b) => {
      sink.bytes += b.length;
      if (!out.write(b)) await new Promise<void>((r) => out.once('drain', () => r()));
    };
    sink.close = async () => {};
    return sink;
  }
  let fh: FileHandle;
  try {
    fh = await open(out, 'w');
  } catch (e) {
    throw new InputError(out, `cannot be written: ${(e as Error).message}`);
  }
  sink.write = async (b) => {
    try {
      await fh.write(b);
    } catch (e) {
      throw new InputError(out, `could not be written (disk full?): ${(e as Error).message}`);
    }
    sink.bytes += b.length;
  };
  sink.close = () => fh.close();
  return sink;
}

export async function capture(opts: CaptureOptions): Promise<CaptureResult> {
  const { interval, count } = planCount(opts);
  const root = resolveRoot({ root: opts.root, cgroupFs: opts.cgroupFs });
  const files = filesFor(root.cgroupVersion);
  const host = await readProc('/proc/sys/kernel/hostname').then((h) => (h === 'unknown' ? hostname() : h));
  const kernel = await readProc('/proc/sys/kernel/osrelease');
  // Kernel log times are seconds since boot; the boot time (unix seconds) places them on the clock.
  const bootTime = await readFile('/proc/stat', 'latin1').then(
    (s) => Number(/^btime (\d+)$/m.exec(s)?.[1] ?? Number.NaN),
    () => Number.NaN,
  );
  const startMs = Date.now();
  const startEpoch = Math.floor(startMs / 1000);
  const emit = opts.onEvent ?? (() => {});
  const sink = await openSink(opts.out);

  let taken = 0;
  let first: string | null = null;
  let last: string | null = null;
  const manifest = (complete: boolean, stopped: 'done' | 'interrupted' | null, at: string): ArchiveEntry => {
    const m: CaptureManifest = {
      format: CAPTURE_FORMAT,
      version: CAPTURE_VERSION,
      host,
      kernel,
      cgroupVersion: root.cgroupVersion,
      root: root.root,
      interval,
      snapshots: taken,
      start: first ?? at,
      end: complete ? (last ?? at) : null,
      complete,
      stopped,
      bootTime: Number.isFinite(bootTime) ? bootTime : null,
      tool: 'memlens capture',
    };
    return {
      name: MANIFEST_FILE,
      type: 'file',
      mtime: new Date(),
      data: Buffer.from(`${JSON.stringify(m, null, 2)}\n`),
    };
  };

  try {
    await sink.write(await gzipTarMember([manifest(false, null, snapshotFolder(startMs))]));
    const cgroups = listCgroups(root.root).length;
    emit({ kind: 'start', root, cgroups, count, intervalSeconds: interval });
    let slowSaid = false;
    for (let i = 0; i < count && !opts.signal?.aborted; ) {
      let now = Date.now();
      let folder = snapshotFolder(now);
      // Two snapshots in one second would share a folder: wait for the next second.
      if (folder === last) {
        await sleep(1000 - (now % 1000), undefined, { signal: opts.signal }).catch(() => {});
        if (opts.signal?.aborted) break;
        now = Date.now();
        folder = snapshotFolder(now);
      }
      const t0 = Date.now();
      const entries = readSnapshot(root.root, root.prefix, files, folder, new Date(now));
      const before = sink.bytes;
      await sink.write(await gzipTarMember(entries));
      taken++;
      first ??= folder;
      last = folder;
      i++;
      if (taken === 1 && count > 1) {
        const one = sink.bytes - before;
        emit({ kind: 'first', bytes: one, expectedBytes: sink.bytes + one * (count - 1) });
      }
      const took = (Date.now() - t0) / 1000;
      if (took > interval && i < count && !slowSaid) {
        slowSaid = true;
        emit({ kind: 'slow', seconds: Math.round(took) });
      }
      emit({ kind: 'snapshot', index: i, count, folder });
      if (i >= count || opts.signal?.aborted) break;
      // Sleep to the next tick of the schedule so slow snapshots do not make the capture drift.
      const wait = (startEpoch + i * interval) * 1000 - Date.now();
      if (wait > 0) await sleep(wait, undefined, { signal: opts.signal }).catch(() => {});
    }
    const stopped = opts.signal?.aborted ? 'interrupted' : 'done';
    if (taken === 0) {
      await sink.close();
      if (typeof opts.out === 'string') await unlink(opts.out).catch(() => {});
    } else {
      // As the script's ${ROOT#"$MOUNT"}: the root relative to its hierarchy, as the kernel names it.
      const rel =
        root.mount && root.root.startsWith(root.mount) ? root.root.slice(root.mount.length) : root.root;
      const meta = opts.meta === false ? [] : await collectMeta(rel);
      const at = new Date();
      const tail: ArchiveEntry[] = [manifest(true, stopped, last ?? snapshotFolder(Date.now()))];
      if (meta.length > 0) tail.push({ name: 'meta', type: 'directory', mtime: at });
      for (const m of meta) tail.push({ name: m.name, type: 'file', mtime: at, data: m.data });
      await sink.write(await gzipTarMember(tail));
      await sink.close();
    }
    return {
      root,
      snapshots: taken,
      count,
      cgroups,
      bytes: typeof opts.out === 'string' ? sink.bytes : null,
      start: first,
      end: last,
      stopped,
      elapsedSeconds: Math.floor(Date.now() / 1000) - startEpoch,
    };
  } catch (e) {
    await sink.close().catch(() => {});
    throw e;
  }
}
