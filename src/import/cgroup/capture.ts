import type { CaptureManifest } from '../../capture/spec.js';
import { CAPTURE_FORMAT, V1_ONLY_FILES, V2_ONLY_FILES } from '../../capture/spec.js';
import { InputError } from '../../errors.js';
import type { ClusterMetadata, KernelOomKill } from '../../model/metadata.js';
import { emptyMetadata, mergeMetadata } from '../../model/metadata.js';
import { SampleTableBuilder } from '../../model/samples.js';
import type { TreeSource } from '../../source/types.js';
import { iso, parseRfc3339 } from '../../util/time.js';
import { parseMetadataJson } from '../metadata.js';
import type { Dataset, SeriesHint } from '../types.js';
import { Warnings } from '../types.js';
import { parseKernelOomLog, placeKills } from './kmsg.js';
import { placeEntry, timeFromName } from './layout.js';
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

  const outcome = await tree.walk((entry, data) => {
    if (entry.type !== 'file') return;
    const place = placeEntry(entry.path);
    if (place.file.endsWith('.json')) {
      readJson(entry.path, data);
      return;
    }
    if (place.file === 'dmesg-oom.txt') {
      kernelOoms.push(...parseKernelOomLog(data.toString('utf8')));
      return;
    }
    if (!isCgroupMemoryFile(place.file)) {
      otherFiles++;
      return;
    }
    memoryFiles++;
    if (data.length === 0) {
      emptyFiles++;
      return;
    }
    if (entry.mtimeMs > maxMtime) maxMtime = entry.mtimeMs;
    const t = Number.isNaN(place.t) ? UNNAMED : place.t;
    if (t === UNNAMED) unnamedFiles++;
    else snapshots.add(t);
    const s = b.seriesId(place.cgroup);
    cgroupOf[s] = place.cgroup;
    if (V1_MARKERS.has(place.file)) versions.set(s, 1);
    else if (V2_MARKERS.has(place.file)) versions.set(s, 2);
    const row = b.row(s, t);
    parseCgroupFile(
      place.file,
      data.toString('latin1'),
      (field, value) => b.set(row, b.fieldId(field), value),
      (p) =>
        warn.add(
          'number',
          `${entry.path}:${p.line}: "${p.text.slice(0, 80)}" is not a number; value skipped`,
          'values that are not numbers were skipped',
        ),
    );
  });

  function readJson(path: string, data: Buffer): void {
    let doc: unknown;
    try {
      doc = JSON.parse(data.toString('utf8'));
    } catch (e) {
      warn.add('json', `${path}: not valid JSON (${(e as Error).message}); file ignored`);
      return;
    }
    const d = doc as CaptureManifest;
    if (d && typeof d === 'object' && !Array.isArray(d) && d.format === CAPTURE_FORMAT) {
      manifest = d;
      return;
    }
    const md = parseMetadataJson(doc, path);
    if (md) metadata = mergeMetadata(metadata, md);
    else warn.add('json', `${path}: JSON file is neither kubectl, crictl nor docker output; ignored`);
  }

  const name = tree.name;
  if (memoryFiles === 0) {
    throw new InputError(
      name,
      outcome.error
        ? `cannot be read: ${outcome.error.message}. Check that the file was copied completely.`
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
      `${name}: ${outcome.error.message}${after}; kept the ${memoryFiles} cgroup files read so far (the last snapshot may be incomplete)`,
    );
  }
  for (const s of outcome.skipped) warn.add('skipped', `${name}: entry ${s.path} skipped: ${s.reason}`);

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
