import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AnalyzeOptions } from '../analyze.js';
import { analyzeDatasets, loadInputs } from '../analyze.js';
import { InputError } from '../errors.js';
import type { RenderOptions } from '../report/index.js';
import { RENDERERS } from '../report/index.js';
import { factsOf } from './facts.js';
import { mayJoinSeries } from './group.js';
import { oneLine, statsOf } from './stats.js';
import type { InputFacts, ReportStats } from './types.js';

/**
 * One unit of batch work, run on a worker thread: import the inputs, analyse them together, and
 * write every requested report file into `dir`. Only small numbers travel back to the main thread.
 */
export interface TaskSpec {
  id: number;
  /** 'survey': one input, also report its grouping facts; 'group': several inputs, one report. */
  kind: 'survey' | 'group';
  paths: string[];
  /** Size and modification time of each path, as stat'ed before the run (for the facts). */
  stats: { size: number; mtimeMs: number }[];
  /** Staging folder for the report files; the main thread moves it into place. */
  dir: string;
  formats: string[];
  analyze: AnalyzeOptions;
  /** How reports are shown (--tz, --interactive). */
  render?: RenderOptions;
  /** Folder inside the report folder for PNG charts (--png), if wanted. */
  png?: string;
}

export type TaskOutcome =
  | {
      id: number;
      ok: true;
      /** False when a survey skipped writing the report (see mayJoinSeries). */
      staged: boolean;
      stats: ReportStats;
      facts: InputFacts[];
      generatedAt: number;
    }
  | { id: number; ok: false; reason: string; internal: boolean; interrupted?: boolean };

export async function runTask(t: TaskSpec): Promise<TaskOutcome> {
  try {
    const { datasets, failed } = await loadInputs(
      t.paths.map((path) => ({ path })),
      t.analyze,
    );
    const result = analyzeDatasets(datasets, t.analyze, failed);
    const facts =
      t.kind === 'survey'
        ? datasets.map((ds) => factsOf(ds, result.model, t.stats[t.paths.indexOf(ds.input.path)]))
        : [];
    if (t.kind === 'survey' && facts.every(mayJoinSeries)) {
      return {
        id: t.id,
        ok: true,
        staged: false,
        stats: statsOf(result, []),
        facts,
        generatedAt: result.generatedAt,
      };
    }
    await mkdir(t.dir, { recursive: true });
    const files: string[] = [];
    for (const f of t.formats) {
      const r = RENDERERS[f];
      await writeFile(join(t.dir, r.file), await r.render(result, t.render));
      files.push(r.file);
    }
    if (t.png) {
      const { writePngs } = await import('../report/png.js');
      for (const p of await writePngs(result, join(t.dir, t.png))) files.push(`${t.png}/${basename(p)}`);
    }
    return {
      id: t.id,
      ok: true,
      staged: true,
      stats: statsOf(result, files),
      facts,
      generatedAt: result.generatedAt,
    };
  } catch (e) {
    return failure(t, e);
  }
}

/** A task that failed: the input's own one-line reason, or an internal error worth reporting. */
export function failure(t: Pick<TaskSpec, 'id' | 'paths'>, e: unknown): TaskOutcome {
  if (e instanceof InputError) {
    // The row already names its input: keep the reason only.
    const prefix = `${e.input}: `;
    const reason = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    return { id: t.id, ok: false, reason: oneLine(reason), internal: false };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return {
    id: t.id,
    ok: false,
    reason: oneLine(`internal error (a bug in memlens; please report it with this input): ${msg}`),
    internal: true,
  };
}
