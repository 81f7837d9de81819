import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { METRIC_DEFS } from '../../src/model/metrics.js';
import { PASSES } from '../../src/passes/index.js';
import type { OptionDef } from '../../src/passes/types.js';
import { RECOMMEND_OPTIONS } from '../../src/verdict/recommend.js';

async function explain(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'memlens', 'explain', ...args], {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
  });
  // Wrapped text is compared with the declared text with its line breaks undone.
  return { code, text: out.join('\n'), flat: out.join('\n').replace(/\s+/g, ' '), err: err.join('\n') };
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('memlens explain', () => {
  it('lists every pass and metric', async () => {
    const { code, text } = await explain();
    expect(code).toBe(0);
    for (const p of PASSES) expect(text).toContain(p.id);
    for (const m of METRIC_DEFS) expect(text).toContain(m.name);
  });

  it.each(PASSES.map((p) => [p.id, p] as const))('%s: prints the declared metadata', async (id, pass) => {
    const { code, flat: out } = await explain(id);
    expect(code).toBe(0);
    expect(out).toContain(`${id}: ${pass.title}`);
    expect(out).toContain(flat(pass.description));
    expect(out).toContain(flat(pass.checks));
    for (const l of pass.limitations) expect(out).toContain(flat(l));
    for (const [k, d] of Object.entries(pass.options as Record<string, OptionDef>)) {
      expect(out).toContain(`${id}.${k} = ${JSON.stringify(d.default)}`);
      expect(out).toContain(flat(d.reason));
    }
    expect(out).toContain(`docs/passes/${id}.md`);
  });

  it('says what a pass does without a column', async () => {
    const { flat: out } = await explain('shmem-not-reclaimable');
    expect(out).toContain('Without shmem: cAdvisor does not export shmem');
  });

  it('explains a metric by its cAdvisor name, with its cgroup formulas', async () => {
    const { flat: out } = await explain('container_oom_events_total');
    expect(out).toContain('oomEvents: OOM events (cAdvisor)');
    const ws = await explain('container_memory_working_set_bytes');
    expect(ws.flat).toContain('max(0, memory.usage_in_bytes − memory.stat total_inactive_file)');
  });

  it('explains the recommended limit from its declared rule', async () => {
    const { flat: out } = await explain('recommended-limit');
    for (const [k, d] of Object.entries(RECOMMEND_OPTIONS as Record<string, OptionDef>))
      expect(out).toContain(`${k} = ${JSON.stringify(d.default)}`);
    expect(out).toContain('docs/recommended-limit.md');
  });

  it('fails with exit 2 on an unknown name', async () => {
    const r = await explain('oom');
    expect(r.code).toBe(2);
    expect(r.err).toContain('"oom" is neither a pass nor a metric');
  });
});
