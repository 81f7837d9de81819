import { UsageError } from '../errors.js';
import { METRIC_DEFS, metricDef } from '../model/metrics.js';
import { PASSES } from '../passes/index.js';
import type { OptionDef, PassDef } from '../passes/types.js';
import { RECOMMEND_ID, RECOMMEND_OPTIONS, RECOMMEND_RULE } from '../verdict/recommend.js';
import type { Io } from './analyze.js';

const RECOMMENDED_LIMIT = RECOMMEND_ID;

/** `memlens explain [PASS|METRIC]`: the declared metadata, nothing written twice. */
export function explainCommand(topic: string | undefined, io: Io): number {
  if (!topic) {
    io.stdout('Passes:');
    for (const p of PASSES) io.stdout(`  ${p.id.padEnd(28)} ${p.title}`);
    io.stdout('\nMetrics:');
    for (const m of METRIC_DEFS) io.stdout(`  ${m.name.padEnd(28)} ${m.title}`);
    io.stdout(`\nAlso: ${RECOMMENDED_LIMIT} (how the recommended limit is computed).`);
    io.stdout('\nRun `memlens explain <name>` for one of them.');
    return 0;
  }
  const pass = PASSES.find((p) => p.id === topic);
  if (pass) {
    explainPass(pass, io);
    return 0;
  }
  if (topic === RECOMMENDED_LIMIT) {
    io.stdout(`${RECOMMENDED_LIMIT}: how memlens recommends a memory limit\n\n${wrap(RECOMMEND_RULE, '')}`);
    options(RECOMMENDED_LIMIT, RECOMMEND_OPTIONS as Record<string, OptionDef>, io);
    io.stdout('\nMore: docs/recommended-limit.md');
    return 0;
  }
  const norm = topic.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const metric =
    metricDef(topic) ??
    metricDef(norm) ??
    METRIC_DEFS.find((m) => m.prometheus?.split(/[ ;({]/)[0] === topic);
  if (metric) {
    io.stdout(`${metric.name}: ${metric.title} (${metric.unit}, ${metric.kind})\n\n${metric.description}\n`);
    if (metric.v1) io.stdout(`  cgroup v1:  ${metric.v1}`);
    if (metric.v2) io.stdout(`  cgroup v2:  ${metric.v2}`);
    if (metric.prometheus) io.stdout(`  Prometheus: ${metric.prometheus}`);
    return 0;
  }
  throw new UsageError(`"${topic}" is neither a pass nor a metric; run \`memlens explain\` for the list`);
}

// biome-ignore lint/suspicious/noExplicitAny: passes differ in their option types
function explainPass(pass: PassDef<any>, io: Io): void {
  io.stdout(`${pass.id}: ${pass.title}\n`);
  io.stdout(`Why it matters:\n${wrap(pass.description, '  ')}\n`);
  io.stdout(`What it flags:\n${wrap(pass.checks, '  ')}\n`);
  const needs = [
    ...pass.requires,
    ...(pass.requiresAny?.length ? [`one of ${pass.requiresAny.join(', ')}`] : []),
  ];
  io.stdout(`Needs: ${needs.length ? needs.join(', ') : 'nothing beyond a series'}`);
  for (const [col, why] of Object.entries(pass.unavailable ?? {}))
    io.stdout(wrap(`Without ${col}: ${why}.`, '  '));
  options(`${pass.id}`, pass.options as Record<string, OptionDef>, io);
  if (pass.limitations.length) {
    io.stdout('\nKnown limitations:');
    for (const l of pass.limitations) io.stdout(wrap(l, '    ').replace(/^ {4}/, '  - '));
  }
  io.stdout(`\nMore: docs/passes/${pass.id}.md`);
}

function options(prefix: string, defs: Record<string, OptionDef>, io: Io): void {
  const opts = Object.entries(defs);
  if (!opts.length) return;
  const settable = !prefix.includes(' ');
  io.stdout(settable ? '\nOptions (change with --set or --config):' : '\nParameters:');
  for (const [k, d] of opts)
    io.stdout(
      `  ${settable ? `${prefix}.` : ''}${k} = ${JSON.stringify(d.default)}\n${wrap(d.reason, '      ')}`,
    );
}

/** Wraps at 100 columns with the given indent: terminals, not the report, read this. */
function wrap(text: string, indent: string): string {
  const width = 100 - indent.length;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}
