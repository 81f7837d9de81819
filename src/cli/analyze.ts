import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AnalyzeOptions, LoadResult } from '../analyze.js';
import { analyzeDatasets, loadInputs } from '../analyze.js';
import type { InputRef } from '../import/open.js';
import { resolveInputs, spoolStdin } from '../import/open.js';
import { plural } from '../messages.js';
import { RENDERERS } from '../report/index.js';
import { summaryTable } from '../report/summary-table.js';
import type { AnalysisResult } from '../result.js';
import { toFindingsJson } from '../result.js';
import { DEFAULT_READ_LIMITS } from '../source/types.js';
import { safeStem } from '../util/file-name.js';
import { createProgress } from '../util/progress.js';
import type { AnalysisFlags, FailOn } from './options.js';
import { resolveAnalysisFlags } from './options.js';
import { writingOutput } from './output-error.js';

export interface AnalyzeFlags extends AnalysisFlags {
  out?: string;
  json?: boolean;
  quiet?: boolean;
  interactive?: boolean;
  png?: string;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** `memlens analyze`: returns the exit code (0, or 1 when findings reach --fail-on). */
export async function analyzeCommand(inputs: string[], flags: AnalyzeFlags, io: Io): Promise<number> {
  const { failOn, formats, tz, analyze: base } = resolveAnalysisFlags(flags);
  const maxInputBytes = base.maxInputBytes;
  const opts: AnalyzeOptions = { ...base, progress: createProgress(process.stderr, { quiet: flags.quiet }) };
  const refs: InputRef[] = [];
  for (const r of await resolveInputs(inputs)) {
    refs.push(
      r.path === '-'
        ? { path: '-', file: await spoolStdin(maxInputBytes ?? DEFAULT_READ_LIMITS.maxTotalBytes) }
        : r,
    );
  }
  const { datasets, failed } = await loadInputs(refs, opts);
  // Renderers start what they can ahead (report.html: its chart threads load vega) while the
  // passes run on this thread.
  await Promise.all(formats.map((f) => RENDERERS[f].prepare?.()));
  try {
    return await analyzeAndWrite({ datasets, failed }, { flags, io, inputs, formats, tz, failOn, opts });
  } finally {
    await Promise.all(formats.map((f) => RENDERERS[f].release?.()));
  }
}

interface WriteContext {
  flags: AnalyzeFlags;
  io: Io;
  inputs: string[];
  formats: string[];
  tz: string | undefined;
  failOn: FailOn;
  opts: AnalyzeOptions;
}

async function analyzeAndWrite(
  { datasets, failed }: LoadResult,
  { flags, io, inputs, formats, tz, failOn, opts }: WriteContext,
): Promise<number> {
  const result = analyzeDatasets(datasets, opts, failed);

  for (const f of result.failedInputs) io.stderr(`memlens: ${f.message}`);
  for (const i of result.model.inputs) for (const w of i.warnings) io.stderr(`warning: ${w}`);

  await Promise.all(formats.map((f) => RENDERERS[f].start?.(result)));
  const out = flags.out ?? defaultOutDir(inputs, result.generatedAt);
  await writingOutput('--out', out, () => mkdir(out, { recursive: true }));
  const written: string[] = [];
  for (const f of formats) {
    const r = RENDERERS[f];
    const text = await r.render(result, { tz, interactive: flags.interactive });
    await writingOutput('--out', out, () => writeFile(join(out, r.file), text));
    written.push(r.file);
  }
  const png = flags.png;
  if (png) {
    const { writePngs } = await import('../report/png.js');
    const pngs = await writingOutput('--png', png, () => writePngs(result, png));
    written.push(`${pngs.length} PNG chart${pngs.length === 1 ? '' : 's'} (in ${png})`);
  }
  if (flags.json) io.stdout(JSON.stringify(toFindingsJson(result), null, 2));
  else if (!flags.quiet) {
    io.stdout(summaryTable(result));
    io.stdout(`\n${verdictLine(result)}\nWrote ${written.join(', ')} to ${out}`);
  }
  return exitCodeFor(result, failOn);
}

function verdictLine(r: AnalysisResult): string {
  const n = (s: string) => r.findings.filter((f) => f.severity === s).length;
  return `${plural(r.containers.length, 'container')}, ${plural(r.findings.length, 'finding')} (${n('critical')} critical, ${n('warning')} warning, ${n('info')} info).`;
}

export function exitCodeFor(r: AnalysisResult, failOn: FailOn): number {
  if (failOn === 'none') return 0;
  const order = ['info', 'warning', 'critical'];
  const min = order.indexOf(failOn);
  return r.findings.some((f) => order.indexOf(f.severity) >= min) ? 1 : 0;
}

function defaultOutDir(inputs: string[], now: number): string {
  const first = inputs[0] === '-' || !inputs[0] ? 'stdin' : basename(inputs[0].replace(/\/+$/, ''));
  const name = safeStem(first) || 'input';
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return join('reports', `${name}-${stamp}`);
}
