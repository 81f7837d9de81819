import { readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { ProgressSink } from '../batch/progress.js';
import { Progress, progressMode } from '../batch/progress.js';
import { runBatch } from '../batch/run.js';
import type { BatchSummary } from '../batch/types.js';
import { UsageError } from '../errors.js';
import { resolveInputs } from '../import/open.js';
import { plural } from '../messages.js';
import { safeStem } from '../util/file-name.js';
import type { AnalyzeFlags, Io } from './analyze.js';
import type { FailOn } from './options.js';
import { resolveAnalysisFlags } from './options.js';

export interface BatchFlags extends AnalyzeFlags {
  jobs?: string;
  force?: boolean;
  each?: boolean;
}

/** Where a batch shows progress and how it learns about Ctrl-C. */
export interface BatchContext {
  progress: ProgressSink;
  env: Record<string, string | undefined>;
  /** Given: the run stops when it aborts. Absent: Ctrl-C (SIGINT) stops it. */
  signal?: AbortSignal;
}

/** The real terminal: progress on stderr, Ctrl-C from the process. */
export function processContext(): BatchContext {
  return { progress: process.stderr, env: process.env };
}

/** In-process callers (tests): plain lines through `io`, stopped by `signal` only. */
export function ioContext(io: Io, signal?: AbortSignal): BatchContext {
  return {
    progress: { write: (s) => io.stderr(s.replace(/\n$/, '')), isTTY: false },
    env: {},
    signal: signal ?? new AbortController().signal,
  };
}

// Ctrl-C conventionally ends a command with 128 + SIGINT (2).
export const EXIT_INTERRUPTED = 130;

/** `memlens batch` / `memlens analyze --each`: returns the exit code. */
export async function batchCommand(
  inputs: string[],
  flags: BatchFlags,
  io: Io,
  ctx: BatchContext = ioContext(io),
): Promise<number> {
  const { failOn, formats, tz, analyze } = resolveAnalysisFlags(flags);
  const jobs = flags.jobs === undefined ? undefined : parseJobs(flags.jobs);
  if (inputs.includes('-'))
    throw new UsageError('batch mode reads files and folders, not stdin; save the input to a file first');
  // Each report gets its own charts: --png names a folder inside every report folder.
  if (
    flags.png !== undefined &&
    (isAbsolute(flags.png) || flags.png.split(/[\\/]/).includes('..') || !flags.png)
  )
    throw new UsageError(
      `--png "${flags.png}": in a batch, give a folder name inside each report folder, like --png png`,
    );
  const paths = (await resolveInputs(inputs)).map((r) => r.path);
  if (paths.length === 0) throw new UsageError(`no inputs found in ${inputs.join(' ')}`);
  const out = flags.out ?? defaultBatchOut(inputs);

  const { mode, color } = progressMode(ctx.progress, ctx.env, flags.quiet === true || flags.json === true);
  const progress = new Progress(mode, ctx.progress, color);
  const controller = new AbortController();
  const signal = ctx.signal ?? controller.signal;
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      progress.stop();
      io.stderr(
        'memlens: interrupted; keeping the finished reports and writing the index (Ctrl-C again to quit now)',
      );
      controller.abort();
    } else {
      // Published reports and the index are whole at every moment (atomic renames): leaving now is safe.
      process.exit(EXIT_INTERRUPTED);
    }
  };
  if (!ctx.signal) process.on('SIGINT', onSigint);
  let summary: BatchSummary;
  try {
    summary = await runBatch(paths, {
      out,
      formats,
      analyze,
      render: { tz, interactive: flags.interactive },
      png: flags.png?.replace(/[\\/]+$/, ''),
      jobs,
      force: flags.force,
      signal,
      onEvent: (e) => progress.handle(e),
    });
  } finally {
    progress.stop();
    if (!ctx.signal) process.off('SIGINT', onSigint);
  }

  if (flags.json) {
    // The summary.json just written, as it is on disk.
    io.stdout(readFileSync(join(out, 'summary.json'), 'utf8').trimEnd());
  } else if (flags.quiet) {
    // Quiet still names what failed: those inputs have no report to look at.
    for (const r of summary.rows)
      if (r.status === 'failed') io.stderr(`memlens: ${r.inputs.map((f) => f.path).join(', ')}: ${r.error}`);
  } else {
    io.stdout(summaryLine(summary));
  }
  return batchExitCode(summary, failOn);
}

/** 130 after Ctrl-C; 2 when every input failed; else 1 when a report reaches --fail-on, 0 otherwise. */
export function batchExitCode(s: BatchSummary, failOn: FailOn): number {
  if (s.aborted) return EXIT_INTERRUPTED;
  if (s.inputs > 0 && s.failed === s.inputs) return 2;
  if (failOn === 'none' || !s.worstSeverity) return 0;
  const order = ['ok', 'info', 'warning', 'critical'];
  return order.indexOf(s.worstSeverity) >= order.indexOf(failOn) ? 1 : 0;
}

/** The closing line: what was made, what failed, where the index is. */
export function summaryLine(s: BatchSummary): string {
  const bySeverity = (sev: string) =>
    s.rows.filter((r) => r.status === 'ok' && r.stats?.worstSeverity === sev).length;
  const parts = [
    `${plural(s.inputs, 'input')} → ${plural(s.reports, 'report')}${s.groups ? ` (${plural(s.groups, 'group')} of inputs that belong together)` : ''}`,
    `${s.failed} failed${s.internalErrors ? ` (${s.internalErrors} by a bug in memlens: please report it)` : ''}`,
  ];
  if (s.reused) parts.push(`${s.reused} up to date (skipped; --force redoes them)`);
  if (s.interrupted) parts.push(`${s.interrupted} not analysed (interrupted; run again to finish)`);
  const sev = ['critical', 'warning', 'info', 'ok']
    .map((x) => [x, bySeverity(x)] as const)
    .filter(([, n]) => n > 0)
    .map(([x, n]) => `${n} ${x}`);
  return `${parts.join(', ')}.${sev.length ? ` Worst severity per report: ${sev.join(', ')}.` : ''}\nIndex: ${join(s.out, 'index.html')}`;
}

function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--jobs must be a whole number of at least 1, got "${v}"`);
  return n;
}

/**
 * reports/<name of the first input> — without a time stamp, so running the same command again
 * finds its earlier reports and skips the ones still up to date.
 */
export function defaultBatchOut(inputs: string[]): string {
  const first = inputs[0] ?? '.';
  // For a glob, the folder part before the first pattern character names the batch.
  const plain = first.split(/[*?[\]{}]/)[0];
  const dir = /[*?[\]{}]/.test(first) ? plain.slice(0, plain.lastIndexOf('/') + 1) || '.' : first;
  const name = safeStem(basename(resolve(dir.replace(/\/+$/, '') || '.'))).replace(/^[._-]+/, '');
  return join('reports', name || 'batch');
}

/**
 * Adds `memlens batch`: every option of `analyze` (copied, so the two never drift apart) plus
 * the batch-only ones.
 */
export function addBatchCommand(
  program: Command,
  action: (inputs: string[], flags: BatchFlags) => Promise<void>,
) {
  const analyze = program.commands.find((c) => c.name() === 'analyze');
  const cmd = program
    .command('batch')
    .description(
      'analyse many inputs: one report folder per input (or per group of inputs that belong together), plus index.html, summary.csv and summary.json',
    )
    .argument('<input...>', 'files, folders of inputs, globs');
  cmd
    .option('-o, --out <dir>', 'output folder (default: reports/<name of the first input>/)')
    .option('--json', 'print summary.json to stdout instead of the progress and summary line');
  const own = ['--out', '--json', '--each'];
  for (const o of analyze?.options ?? []) if (!own.includes(o.long ?? '')) cmd.addOption(o);
  for (const o of batchOptions()) if (!cmd.options.some((x) => x.long === o.long)) cmd.addOption(o);
  cmd.addHelpText('after', BATCH_HELP).action(action);
  return cmd;
}

/** The options only batch runs have; `analyze` gets them too, for `analyze --each`. */
export function batchOptions(): Option[] {
  return [
    new Option(
      '-j, --jobs <n>',
      'inputs analysed at once, each on its own worker thread (default: CPU count)',
    ),
    new Option('--force', 'redo every report, even those newer than their inputs'),
  ];
}

export const BATCH_HELP = `
Each input gets its own report folder under --out (default reports/<name of the first input>/),
and the folder gets index.html, summary.csv and summary.json with one row per report: verdict,
worst severity, OOM kills, containers flagged. Inputs that belong together share one report:
single-snapshot captures of one node (or named <prefix>memory-<unixseconds> in one folder, when
they name no node), and a metrics export with the captures of a node it covers at the same time.
A bad input is listed with its reason and the others go on. --png DIR names a folder inside
each report folder. Running the same command again skips
inputs whose report is newer than the input (--force redoes them); Ctrl-C keeps finished reports.

Examples:
  memlens batch incidents/ --fail-on critical
  memlens analyze 'exports/*.csv' captures/ --each --jobs 4 --out reports/week-48

Exit codes: 0 ok, 1 a report at or above --fail-on, 2 usage error or every input failed,
3 internal error, 130 interrupted.`;
