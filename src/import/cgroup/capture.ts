import type { CaptureManifest } from '../../capture/spec.js';
import { CAPTURE_FORMAT, V1_ONLY_FILES, V2_ONLY_FILES } from '../../capture/spec.js';
import { InputError } from '../../errors.js';
import type { ClusterMetadata, KernelOomKill } from '../../model/metadata.js';
import { emptyMetadata, mergeMetadata } from '../../model/metadata.js';
import { SampleTableBuilder } from '../../model/samples.js';
import type { TreeSource } from '../../source/types.js';
import type { ImportProgress } from '../../util/progress.js';
import { iso, parseRfc3339 } from '../../util/time.js';
import { parseMetadataJson } from '../metadata.js';
import { EARLIEST_MS, FUTURE_SLACK_MS } from '../time-range.js';
import type { Dataset, SeriesHint } from '../types.js';
import { Warnings } from '../types.js';
import { parseKernelOomLog, placeKills } from './kmsg.js';
import { placeDir, timeFromName } from './layout.js';
import { CgroupBytesParser } from './parse-bytes.js';
import { isCgroupMemoryFile, parseCgroupFile } from './parse-file.js';

export type { CaptureManifest };

// Files that only exist in one cgroup version mark the series' version.
const V1_MARKERS = V1_ONLY_FILES;
const V2_MARKERS = V2_ONLY_FILES;
// A placeholder time for files outside time-named folders, resolved once the whole tree is read.
const UNNAMED = -1;

export interface CaptureOptions {
  /** Used when nothing in the tree says when it was taken (defaults to Date.now()). */
  now?: number;
  /**
   * Parse every file as text with parseCgroupFile instead of from bytes: the simple path, kept
   * so tests and the benchmark can check the byte parser against it.
   */
  textOnly?: boolean;
  /** Told how far the import has got, every few thousand entries and at the end. */
  progress?: (p: ImportProgress) => void;
}

interface DirPlace {
  t: number;
  cgroup: string;
  /** Series and row of (cgroup, t); -1 until the folder's first non-empty memory file. */
  series: number;
  row: number;
}

const JSON_FILE = 0;
const MEMORY_FILE = 1;
const OTHER_FILE = 2;
interface FileInfo {
  kind: typeof JSON_FILE | typeof MEMORY_FILE | typeof OTHER_FILE;
  /** The cgroup version a file of this name marks, or 0. */
  version: 0 | 1 | 2;
}

function fileInfo(cache: Map<string, FileInfo>, name: string): FileInfo {
  let info = cache.get(name);
  if (info) return info;
  info = {
    kind: name.endsWith('.json') ? JSON_FILE : isCgroupMemoryFile(name) ? MEMORY_FILE : OTHER_FILE,
    version: V1_MARKERS.has(name) ? 1 : V2_MARKERS.has(name) ? 2 : 0,
  };
  // A capture has a few dozen file names; do not let a tree of arbitrary files grow the cache.
  if (cache.size < 4096) cache.set(name, info);
  return info;
}

/**
 * Reads a cgroup capture (one snapshot or a series of time-named snapshot folders) into a Dataset.
 * Throws InputError only when nothing usable is there; everything partial becomes a warning.
 */
export async function importCapture(tree: TreeSource, opts: CaptureOptions = {}): Promise<Dataset> {
  const b = new SampleTableBuilder();
  const warn = new Warnings();
  const versions = new Map<number, 1 | 2>();
  const cgroupOf: string[] = [];
  let metadata: ClusterMetadata = emptyMetadata();
  let manifest: CaptureManifest | undefined;
  let memoryFiles = 0;
  let emptyFiles = 0;
  let otherFiles = 0;
  let maxMtime = 0;
  let unnamedFiles = 0;
  const snapshots = new Set<number>();
  const kernelOoms: KernelOomKill[] = [];
  // The first entry whose values were already read (a snapshot repeated in the archive).
  let firstDuplicate: string | null = null;

  const bytes = new CgroupBytesParser(b);
  // Entries of one folder share their snapshot and cgroup: place each folder once. A folder is
  // met again only within its snapshot (after its subfolders), and a snapshot has a few hundred
  // folders (a few thousand on the largest nodes), so the cache is cleared when it gets bigger.
  const dirs = new Map<string, DirPlace>();
  const files = new Map<string, FileInfo>();
  let lastDir = '\u0000';
  let lastPlace: DirPlace | undefined;
  let entries = 0;
  const report = () =>
    opts.progress?.({
      bytesRead: tree.bytesRead ?? 0,
      bytesTotal: tree.bytesTotal,
      entries,
      snapshots: snapshots.size,
    });

  const outcome = await tree.walk((entry, data) => {
    if ((++entries & 0x1fff) === 0) report();
    if (entry.type !== 'file') return;
    const path = entry.path;
    const name = entry.name;
    const info = fileInfo(files, name);
    if (info.kind === JSON_FILE) {
      readJson(path, data);
      return;
    }
    if (info.kind === OTHER_FILE) {
      if (name === 'dmesg-oom.txt') {
        kernelOoms.push(...parseKernelOomLog(data.toString('utf8')));
        return;
      }
      otherFiles++;
      return;
    }
    memoryFiles++;
    if (data.length === 0) {
      emptyFiles++;
      return;
    }
    if (entry.mtimeMs > maxMtime) maxMtime = entry.mtimeMs;
    // Files of a folder mostly come one after another, and sources hand them the same folder
    // string: === finds the folder without hashing a two-hundred-character path.
    const dir = entry.dir;
    let place: DirPlace;
    if (dir === lastDir) place = lastPlace!;
    else {
      let known = dirs.get(dir);
      if (!known) {
        if (dirs.size >= 8192) dirs.clear();
        const p = placeDir(dir);
        known = { t: Number.isNaN(p.t) ? UNNAMED : p.t, cgroup: p.cgroup, series: -1, row: -1 };
        dirs.set(dir, known);
      }
      place = known;
      lastDir = dir;
      lastPlace = place;
    }
    if (place.t === UNNAMED) unnamedFiles++;
    if (place.row < 0) {
      place.series = b.seriesId(place.cgroup);
      cgroupOf[place.series] = place.cgroup;
      place.row = b.row(place.series, place.t);
      if (place.t !== UNNAMED) snapshots.add(place.t);
    }
    if (info.version) versions.set(place.series, info.version);
    const row = place.row;
    if (opts.textOnly || !bytes.parse(name, data, row)) {
      parseCgroupFile(
        name,
        data.toString('latin1'),
        (field, value) => b.set(row, b.fieldId(field), value),
        (p) =>
          warn.add(
            p.reason ? 'negative' : 'number',
            `${tree.name}: ${path}:${p.line}: "${p.text.slice(0, 80)}" ${p.reason ?? 'is not a number'}; value skipped`,
            p.reason ? 'negative values were skipped' : 'values that are not numbers were skipped',
          ),
      );
    }
    if (firstDuplicate === null && b.duplicates > 0) firstDuplicate = path;
  });
  report();

  function readJson(path: string, data: Buffer): void {
    let doc: unknown;
    try {
      doc = JSON.parse(data.toString('utf8'));
    } catch (e) {
      warn.add('json', `${tree.name}: ${path}: not valid JSON (${(e as Error).message}); file ignored`);
      return;
    }
    const d = doc as CaptureManifest;
    if (d && typeof d === 'object' && !Array.isArray(d) && d.format === CAPTURE_FORMAT) {
      manifest = d;
      return;
    }
    const md = parseMetadataJson(doc, path);
    if (md) metadata = mergeMetadata(metadata, md);
    else
      warn.add(
        'json',
        `${tree.name}: ${path}: JSON file is neither kubectl, crictl nor docker output; ignored`,
      );
  }

  const name = tree.name;
  if (memoryFiles === 0) {
    const at = outcome.error?.afterEntry ? ` after entry ${outcome.error.afterEntry}` : ' at its start';
    throw new InputError(
      name,
      outcome.error?.limit
        ? `cannot be read: ${outcome.error.message}${at}, before any cgroup memory file: a compression bomb? If it really is that large, raise --max-input-bytes.`
        : outcome.error
          ? `cannot be read: ${outcome.error.message}${at}. Check that the file was copied completely.`
          : 'no cgroup memory files (memory.stat, memory.current, memory.usage_in_bytes…) found. Is this a memlens capture? Make one with scripts/memlens-capture.sh.',
    );
  }
  if (emptyFiles === memoryFiles) {
    throw new InputError(
      name,
      `all ${memoryFiles} cgroup files are empty. This is what "tar" of a live /sys/fs/cgroup produces (cgroupfs reports every file as 0 bytes). Capture with scripts/memlens-capture.sh, or copy each file with cat, then try again.`,
    );
  }
  if (emptyFiles > 0) {
    warn.add(
      'empty',
      `${emptyFiles} of ${memoryFiles} cgroup files are empty (archived from a live cgroupfs?); they were skipped`,
    );
  }
  if (outcome.error) {
    const after = outcome.error.afterEntry ? ` after entry ${outcome.error.afterEntry}` : '';
    warn.add(
      'truncated',
      `${name}: ${outcome.error.message}${after}; kept the ${memoryFiles} cgroup files read so far (the last snapshot may be incomplete). ${
        outcome.error.limit
          ? 'If the capture really is that large, raise --max-input-bytes'
          : 'Copy the file again completely to read the rest'
      }`,
    );
  }
  for (const s of outcome.skipped) warn.add('skipped', `${name}: entry ${s.path} skipped: ${s.reason}`);
  if (b.duplicates > 0) {
    warn.add(
      'duplicates',
      `${name}: ${b.duplicates} values were read more than once for the same cgroup and snapshot time, the first in entry ${firstDuplicate} (a snapshot repeated in the archive?); the last one read was kept`,
    );
  }

  // Resolve the time of an unnamed (single) snapshot: input name, then manifest, then mtimes.
  let table = b.build();
  let timeSource = 'snapshot folder names';
  if (unnamedFiles > 0) {
    if (snapshots.size > 0) {
      warn.add(
        'unplaced',
        `${name}: ${unnamedFiles} cgroup files sit outside the time-named snapshot folders; ignored`,
      );
      table = dropRows(table, (i) => table.t[i] === UNNAMED);
    } else {
      let t = timeFromName(name);
      timeSource = 'the input name (memory-<unixseconds>)';
      if (Number.isNaN(t) && manifest) {
        t = parseRfc3339(String(manifest.start ?? manifest.time ?? ''));
        timeSource = 'the capture manifest';
      }
      if (Number.isNaN(t) && maxMtime > 0) {
        t = Math.round(maxMtime);
        timeSource = 'the files’ modification times';
      }
      if (Number.isNaN(t)) {
        t = opts.now ?? Date.now();
        timeSource = 'none (analysis time used)';
        warn.add(
          'time',
          `${name}: nothing says when this snapshot was taken; using the analysis time ${iso(t)}`,
        );
      }
      table.t.fill(t);
      snapshots.add(t);
    }
  }

  if (kernelOoms.length) {
    placeKills(kernelOoms, typeof manifest?.bootTime === 'number' ? manifest.bootTime : undefined);
    metadata.kernelOoms = [...(metadata.kernelOoms ?? []), ...kernelOoms];
  }

  const hints: SeriesHint[] = table.series.map((cgroup, s) => ({
    cgroup: cgroupOf[s] ?? cgroup,
    cgroupVersion: versions.get(s) ?? guessVersion(table.fields),
  }));
  const times = [...snapshots].sort((a, b) => a - b);
  // A capture host's clock that was wrong shifts every snapshot alike: keep them, and say so.
  const odd = times.filter((t) => t < EARLIEST_MS || t > Date.now() + FUTURE_SLACK_MS);
  if (odd.length)
    warn.add(
      'clock',
      `${name}: ${odd.length} of ${times.length} snapshot times (first ${iso(odd[0])}) are ${odd[0] < EARLIEST_MS ? 'before the year 2000' : "in the future (after this machine's clock)"}: the capture host's clock was wrong, or the folders were renamed. They were kept as they are; they will not line up with other inputs`,
    );
  const versionSet = [...new Set(hints.map((h) => h.cgroupVersion))].sort();
  return {
    kind: 'cgroup',
    input: {
      path: name,
      format: 'cgroup-capture',
      warnings: warn.finish(),
      details: {
        cgroupVersions: versionSet,
        snapshots: times.length,
        start: iso(times[0]),
        end: iso(times.at(-1)),
        snapshotTime: timeSource,
        cgroups: table.series.length,
        memoryFiles,
        emptyFiles,
        otherFiles,
        duplicates: b.duplicates,
        metadata: metadata.sources,
        kernelOomKills: kernelOoms.length,
        ...(manifest ? { manifest } : {}),
      },
    },
    table,
    hints,
    metadata,
    node: manifest?.host ?? metadata.node,
  };
}

function guessVersion(fields: readonly string[]): 1 | 2 {
  return fields.includes('memory.current') ? 2 : 1;
}

function dropRows(
  table: ReturnType<SampleTableBuilder['build']>,
  drop: (row: number) => boolean,
): ReturnType<SampleTableBuilder['build']> {
  const keep: number[] = [];
  for (let i = 0; i < table.length; i++) if (!drop(i)) keep.push(i);
  const pick = <T extends Float64Array | Int32Array>(a: T, ctor: new (n: number) => T): T => {
    const out = new ctor(keep.length);
    keep.forEach((r, i) => {
      out[i] = a[r];
    });
    return out;
  };
  const seriesOf = pick(table.seriesOf, Int32Array);
  const rowStart = new Int32Array(table.series.length + 1);
  for (const s of seriesOf) rowStart[s + 1]++;
  for (let s = 0; s < table.series.length; s++) rowStart[s + 1] += rowStart[s];
  return {
    ...table,
    length: keep.length,
    seriesOf,
    t: pick(table.t, Float64Array),
    columns: table.columns.map((c) => pick(c, Float64Array)),
    rowStart,
  };
}
