import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLAUSES, MESSAGES } from '../../src/messages.js';
import { PASSES } from '../../src/passes/index.js';
import type { OptionDef } from '../../src/passes/types.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NOT_PASSES = new Set(['index.ts', 'runner.ts', 'types.ts']);
const passFiles = readdirSync(`${root}/src/passes`).filter((f) => f.endsWith('.ts') && !NOT_PASSES.has(f));
const DOC_HEADINGS = ['## What it flags', '## Why it matters', '## Options', '## Known limitations'];

/** The stable pass ids of the findings.json contract (DESIGN.md). */
const CONTRACT_IDS = [
  'oom-kill',
  'cache-inflated-usage',
  'usage-pinned-by-cache',
  'working-set-near-limit',
  'active-file-in-working-set',
  'shmem-not-reclaimable',
  'anon-growth',
  'no-limit',
  'inconsistent-metrics',
];

describe('the pass registry', () => {
  it('holds exactly the passes of the contract, each once', () => {
    const ids = PASSES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...CONTRACT_IDS].sort());
  });

  it('registers every pass file, and each file is the pass of its name', async () => {
    expect(passFiles.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(PASSES.map((p) => p.id).sort());
    for (const f of passFiles) {
      const name = f.replace(/\.ts$/, '');
      // A computed path on purpose: every file in the folder, registered or not.
      const mod = await import(/* @vite-ignore */ `../../src/passes/${name}.js`);
      expect(mod.default.id, f).toBe(f.replace(/\.ts$/, ''));
      expect(PASSES).toContain(mod.default);
    }
  });

  describe.each(PASSES.map((p) => [p.id, p] as const))('%s', (id, pass) => {
    it('declares what it checks, why it matters, its limits and a reason for every option', () => {
      expect(pass.title.length).toBeGreaterThan(10);
      expect(pass.description.length).toBeGreaterThan(80);
      expect(pass.checks.length).toBeGreaterThan(80);
      expect(pass.limitations.length).toBeGreaterThan(0);
      for (const [k, d] of Object.entries(pass.options as Record<string, OptionDef>)) {
        expect(d.reason.length, `${id}.${k}`).toBeGreaterThan(30);
        expect(['number', 'boolean', 'string']).toContain(typeof d.default);
      }
    });

    it('has a doc page with the four sections, every option and its default', () => {
      const path = `${root}/docs/passes/${id}.md`;
      expect(existsSync(path), path).toBe(true);
      const doc = readFileSync(path, 'utf8');
      expect(doc.startsWith(`# ${id} — ${pass.title}\n`)).toBe(true);
      for (const h of DOC_HEADINGS) expect(doc, h).toContain(`\n${h}\n`);
      for (const [k, d] of Object.entries(pass.options as Record<string, OptionDef>))
        expect(doc, `${id}.${k}`).toContain(`| \`${k}\` | \`${JSON.stringify(d.default)}\``);
    });

    it('has a test file', () => {
      expect(existsSync(`${root}/test/passes/${id}.test.ts`)).toBe(true);
    });

    it('owns finding codes, each with words for the narrative', () => {
      const codes = Object.keys(MESSAGES).filter((c) => c.startsWith(`${id}/`));
      expect(codes.length).toBeGreaterThan(0);
      for (const c of codes) expect(CLAUSES).toHaveProperty(c);
    });
  });

  it('has no finding code without a pass', () => {
    const ids = new Set(PASSES.map((p) => p.id));
    for (const code of Object.keys(MESSAGES))
      expect(ids.has(code.slice(0, code.indexOf('/'))), code).toBe(true);
  });
});
