import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { RENDERERS } from '../report/index.js';
import { groupInputs } from './group.js';
import { renderIndex } from './index-html.js';
import { commonBase, NameBook, reportName } from './names.js';
import { byText } from './order.js';
import { OutputDir } from './output.js';
import { WorkerPool } from './pool.js';
import type { FileStamp } from './state.js';
import { fingerprint, isFresh, readPrevious, stampOf } from './state.js';
import { toSummaryCsv, toSummaryJson } from './summary.js';
import type { TaskOutcome, TaskSpec } from './task.js';
import type { BatchOptions, BatchRow, BatchSummary, InputFacts, UnreadFacts } from './types.js';

const VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;

const INTERRUPTED = 'not analysed: the run was interrupted; run the same command again to finish';

/**
 * Analyses many inputs into one report folder each (or one per group of inputs that belong
 * together), plus index.html, summary.csv and summary.json. In phases:
 * 1. stamp every input and keep the reports of an earlier run that are still up to date;
 * 2. survey the other inputs on worker threads: import each once, learn its grouping facts, and
 *    stage its report as if it stood alone (most inputs do, so most are imported only once; single
 *    snapshots that may belong to a series are not rendered here);
 * 3. group all inputs (src/batch/group.ts), publish the standalone reports, and write the index;
 * 4. analyse the other groups (several inputs, or a snapshot that stayed alone) and publish each,
 *    updating the index each time.
 * A bad input becomes a failed row with its reason; abort (Ctrl-C) keeps every published report
 * and leaves an index that lists exactly those, plus the inputs not analysed.
 */
export async function runBatch(paths: string[], opts: BatchOptions): Promise<BatchSummary> {
  for (const f of opts.formats)
    if (!RENDERERS[f])
      throw new UsageError(`--format "${f}" is not one of ${Object.keys(RENDERERS).join(', ')}`);
  const outAbs = resolve(opts.out);
  // Reports written into a folder of inputs must not become inputs of the next run.
  const inputs = [...new Set(paths)].filter(
    (p) => !resolve(p).startsWith(outAbs + sep) && resolve(p) !== outAbs,
  );
  if (inputs.length === 0) throw new UsageError('no inputs to analyse (the output folder is not an input)');
  const jobs = Math.max(1, Math.floor(opts.jobs ?? availableParallelism()));
  const emit = opts.onEvent ?? (() => {});
  const base = commonBase(inputs);

  // 1. Stamps and up-to-date reports.
  const stamps = new Map<string, FileStamp>();
  const unreadable = new Map<string, string>();
  for (const p of inputs) {
    try {
      stamps.set(p, await stampOf(p));
    } catch (e) {
      unreadable.set(p, `cannot be read: ${(e as Error).message}`);
    }
  }
  const print = fingerprint({
    version: VERSION,
    formats: [...opts.formats].sort(),
    analyze: { ...opts.analyze, now: undefined },
    render: opts.render,
    png: opts.png,
  });
  const out = new OutputDir(opts.out);
  await out.open();
  const pool = new WorkerPool(Math.min(jobs, inputs.length));
  const abort = () => void pool.close();
  opts.signal?.addEventListener('abort', abort);
  try {
    const previous = readPrevious(opts.out, print);
    const fresh = opts.force ? [] : previous.filter((r) => isFresh(r, opts.out, stamps));
    const freshPaths = new Set(fresh.flatMap((r) => r.inputs.map((f) => f.path)));

    // 2. Survey.
    let nextId = 0;
    const surveys: TaskSpec[] = inputs
      .filter((p) => !freshPaths.has(p) && stamps.has(p))
      .sort((a, b) => stamps.get(b)!.size - stamps.get(a)!.size || byText(a, b))
      .map((p) => ({
        id: nextId++,
        kind: 'survey',
        paths: [p],
        stats: [stamps.get(p)!],
        dir: '',
        formats: opts.formats,
        analyze: opts.analyze,
        render: opts.render,
        png: opts.png,
      }));
    for (const t of surveys) t.dir = out.stagingFor(t.id);
    const bytes = (t: TaskSpec) => t.stats.reduce((n, s) => n + s.size, 0);
    emit({
      type: 'plan',
      total: surveys.length,
      reused: freshPaths.size,
      totalBytes: surveys.reduce((n, t) => n + bytes(t), 0),
    });
    let internalErrors = 0;
    const run = async (t: TaskSpec, label: string): Promise<TaskOutcome> => {
      const o = await pool.run(t, () => emit({ type: 'task-start', label, bytes: bytes(t) }));
      if (!o.ok && o.internal) internalErrors++;
      if (!(!o.ok && o.interrupted))
        emit({ type: 'task-done', label, bytes: bytes(t), ok: o.ok, detail: detailOf(o) });
      return o;
    };
    const surveyed = new Map<string, { task: TaskSpec; outcome: TaskOutcome }>();
    await Promise.all(
      surveys.map(async (t) => surveyed.set(t.paths[0], { task: t, outcome: await run(t, t.paths[0]) })),
    );

    // 3. Group, name, publish the standalone reports.
    const facts: InputFacts[] = [...fresh.flatMap((r) => r.inputs as InputFacts[])];
    for (const { outcome } of surveyed.values()) if (outcome.ok) facts.push(...outcome.facts);
    const groups = groupInputs(facts);
    const known = new Set(facts.map((f) => f.path));
    const book = new NameBook();
    const freshBySet = new Map(fresh.map((r) => [setKey(r.inputs.map((f) => f.path)), r]));
    const previousBySet = new Map(previous.map((r) => [setKey(r.inputs.map((f) => f.path)), r]));
    const rows: BatchRow[] = [];
    const reuse = new Set<BatchRow>();
    for (const g of groups) {
      const r = freshBySet.get(setKey(g.map((f) => f.path)));
      if (r && book.claim(r.name)) reuse.add(r);
    }
    const plans: { members: string[]; row: BatchRow }[] = [];
    const entries: { first: string; members: string[]; facts: InputFacts[] | null }[] = [
      ...groups.map((g) => ({ first: g[0].path, members: g.map((f) => f.path), facts: g })),
      ...inputs.filter((p) => !known.has(p)).map((p) => ({ first: p, members: [p], facts: null })),
    ].sort((a, b) => byText(a.first, b.first));
    for (const e of entries) {
      const key = setKey(e.members);
      const kept = freshBySet.get(key);
      if (kept && reuse.has(kept)) {
        rows.push({ ...kept, reused: true });
        continue;
      }
      const before = previousBySet.get(key)?.name;
      const name = before && book.claim(before) ? before : book.next(reportName(e.first, base));
      const row: BatchRow = {
        name,
        status: 'pending',
        reused: false,
        inputs: e.facts ?? e.members.map((p) => unread(p, stamps)),
        generatedAt: null,
        stats: null,
        error: null,
      };
      rows.push(row);
      const s = surveyed.get(e.first);
      if (!e.facts) {
        const o = s?.outcome;
        const err = unreadable.get(e.first) ?? (o && !o.ok && !o.interrupted ? o.reason : null);
        if (err) fail(row, err);
        else interrupt(row);
      } else if (e.members.length === 1 && s?.outcome.ok && s.outcome.staged) {
        await out.publish(s.task.dir, name);
        done(row, s.outcome);
        emit({ type: 'finalized', row });
      } else plans.push({ members: e.members, row });
    }
    const index = new IndexWriter(out, print, opts.out);
    const interrupted = () => opts.signal?.aborted === true;
    if (interrupted()) for (const p of plans) interrupt(p.row);
    await index.write(rows);

    // 4. Groups analysed together (and lone snapshots the survey did not render).
    const groupTasks = plans
      .filter((p) => p.row.status === 'pending')
      .map((p) => {
        const id = nextId++;
        const task: TaskSpec = {
          id,
          kind: 'group',
          paths: p.members,
          stats: p.members.map((m) => stamps.get(m)!),
          dir: out.stagingFor(id),
          formats: opts.formats,
          analyze: opts.analyze,
          render: opts.render,
          png: opts.png,
        };
        return { plan: p, task };
      })
      // Largest first, like the survey: a big group started last would run alone at the end.
      .sort((a, b) => bytes(b.task) - bytes(a.task) || byText(a.task.paths[0], b.task.paths[0]));
    if (groupTasks.length)
      emit({
        type: 'tasks-added',
        count: groupTasks.length,
        bytes: groupTasks.reduce((n, g) => n + bytes(g.task), 0),
      });
    await Promise.all(
      groupTasks.map(async ({ plan, task }) => {
        const more = task.paths.length - 1;
        const label = more ? `${task.paths[0]} +${more} more` : task.paths[0];
        const o = await run(task, label);
        if (o.ok) {
          await out.publish(task.dir, plan.row.name);
          done(plan.row, o);
          emit({ type: 'finalized', row: plan.row });
        } else if (o.interrupted) interrupt(plan.row);
        else fail(plan.row, o.reason);
        if (!interrupted()) await index.write(rows);
      }),
    );
    await index.write(rows);

    // Report folders of an earlier run superseded by this one: some of their inputs now have a
    // finished report under another name. Folders of inputs this run was not given stay.
    const published = new Set(
      rows.filter((r) => r.status === 'ok').flatMap((r) => r.inputs.map((f) => f.path)),
    );
    const names = new Set(rows.map((r) => r.name.toLowerCase()));
    for (const r of previous) {
      if (r.status !== 'ok' || names.has(r.name.toLowerCase())) continue;
      if (r.inputs.some((f) => published.has(f.path))) await out.remove(r.name);
    }
    return summarize(opts.out, rows, inputs.length, interrupted(), internalErrors);
  } finally {
    opts.signal?.removeEventListener('abort', abort);
    await pool.close();
    await out.close();
  }
}

function setKey(paths: string[]): string {
  return [...paths].sort().join('\0');
}

function unread(path: string, stamps: Map<string, FileStamp>): UnreadFacts {
  const s = stamps.get(path);
  return { path, format: null, size: s?.size ?? 0, mtimeMs: s?.mtimeMs ?? 0 };
}

function done(row: BatchRow, o: TaskOutcome & { ok: true }): void {
  row.status = 'ok';
  row.stats = o.stats;
  row.generatedAt = new Date(o.generatedAt).toISOString();
  row.error = null;
}

function fail(row: BatchRow, reason: string): void {
  row.status = 'failed';
  row.error = reason;
}

function interrupt(row: BatchRow): void {
  row.status = 'interrupted';
  row.error = INTERRUPTED;
}

function detailOf(o: TaskOutcome): string {
  if (!o.ok) return o.reason;
  const s = o.stats;
  const warnings = s.warningCount
    ? ` · ${s.warningCount} input warning${s.warningCount === 1 ? '' : 's'}`
    : '';
  return `${s.worstSeverity}${s.verdict ? ` · ${s.verdict}` : ''} · ${s.containers} container${s.containers === 1 ? '' : 's'}${warnings}`;
}

function totalsOf(rows: BatchRow[]) {
  const count = (status: BatchRow['status']) =>
    rows.filter((r) => r.status === status).reduce((n, r) => n + r.inputs.length, 0);
  const ok = rows.filter((r) => r.status === 'ok');
  return {
    inputs: rows.reduce((n, r) => n + r.inputs.length, 0),
    reports: ok.length,
    groups: ok.filter((r) => r.inputs.length > 1).length,
    failed: count('failed'),
    interrupted: count('interrupted') + count('pending'),
    reused: rows.filter((r) => r.reused).length,
  };
}

/** Rewrites the index files, one write at a time (reports finishing together share the temp names). */
class IndexWriter {
  private last: Promise<void> = Promise.resolve();
  constructor(
    private readonly out: OutputDir,
    private readonly print: string,
    private readonly name: string,
  ) {}

  write(rows: BatchRow[]): Promise<void> {
    this.last = this.last.catch(() => {}).then(() => this.writeNow(rows));
    return this.last;
  }

  private async writeNow(rows: BatchRow[]): Promise<void> {
    const now = Date.now();
    const totals = totalsOf(rows);
    const summary = toSummaryJson(rows, { generatedAt: now, fingerprint: this.print, totals });
    await this.out.writeAtomic('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
    await this.out.writeAtomic('summary.csv', toSummaryCsv(rows));
    await this.out.writeAtomic('index.html', renderIndex(rows, { generatedAt: now, out: this.name, totals }));
  }
}

function summarize(
  out: string,
  rows: BatchRow[],
  inputs: number,
  aborted: boolean,
  internalErrors: number,
): BatchSummary {
  const t = totalsOf(rows);
  const rank = ['ok', 'info', 'warning', 'critical'] as const;
  let worst: BatchSummary['worstSeverity'] = null;
  for (const r of rows) {
    const s = r.status === 'ok' ? r.stats?.worstSeverity : undefined;
    if (s && (worst === null || rank.indexOf(s) > rank.indexOf(worst))) worst = s;
  }
  return {
    out,
    rows,
    inputs,
    reports: t.reports,
    groups: t.groups,
    failed: t.failed,
    interrupted: t.interrupted,
    reused: t.reused,
    internalErrors,
    aborted,
    worstSeverity: worst,
  };
}
