import { UsageError } from '../errors.js';
import { METRIC_DEFS, metricDef } from '../model/metrics.js';
import { PASSES } from '../passes/index.js';
import type { OptionDef } from '../passes/types.js';
import type { Io } from './analyze.js';

/** `memlens explain [PASS|METRIC]`: the declared metadata, nothing written twice. */
export function explainCommand(topic: string | undefined, io: Io): number {
  if (!topic) {
    io.stdout('Passes:');
    for (const p of PASSES) io.stdout(`  ${p.id.padEnd(28)} ${p.title}`);
    io.stdout('\nMetrics:');
    for (const m of METRIC_DEFS) io.stdout(`  ${m.name.padEnd(28)} ${m.title}`);
    io.stdout('\nRun `memlens explain <name>` for one of them.');
    return 0;
  }
  const pass = PASSES.find((p) => p.id === topic);
  if (pass) {
    io.stdout(`${pass.id}: ${pass.title}\n\n${pass.description}\n\nNeeds: ${pass.requires.join(', ')}`);
    const opts = Object.entries(pass.options as Record<string, OptionDef>);
    if (opts.length) {
      io.stdout('\nOptions (change with --set or --config):');
      for (const [k, d] of opts)
        io.stdout(`  ${pass.id}.${k} = ${JSON.stringify(d.default)}\n      ${d.reason}`);
    }
    io.stdout(`\nMore: docs/passes/${pass.id}.md`);
    return 0;
  }
  const norm = topic.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const metric =
    metricDef(topic) ?? metricDef(norm) ?? METRIC_DEFS.find((m) => m.prometheus?.split(/[ ;(]/)[0] === topic);
  if (metric) {
    io.stdout(`${metric.name}: ${metric.title} (${metric.unit}, ${metric.kind})\n\n${metric.description}\n`);
    if (metric.v1) io.stdout(`  cgroup v1:  ${metric.v1}`);
    if (metric.v2) io.stdout(`  cgroup v2:  ${metric.v2}`);
    if (metric.prometheus) io.stdout(`  Prometheus: ${metric.prometheus}`);
    return 0;
  }
  throw new UsageError(`"${topic}" is neither a pass nor a metric; run \`memlens explain\` for the list`);
}
