/**
 * The fuzz runner's worker process: imports each case it is sent with every importer that
 * claims it, then analyses what was imported and renders findings.json and summary.md. Anything
 * thrown that is not memlens' InputError (or an InputError of more than one line) is reported
 * back as a failure; hangs and memory blow-ups are the parent's to see.
 */
import { analyzeDatasets } from '../../dist/analyze.js';
import { InputError } from '../../dist/errors.js';
import { IMPORTERS } from '../../dist/import/importers.js';
import { loadInput, openInput } from '../../dist/import/open.js';
import { RENDERERS } from '../../dist/report/index.js';
import { DEFAULT_READ_LIMITS } from '../../dist/source/types.js';

const ctx = {
  limits: { ...DEFAULT_READ_LIMITS, maxTotalBytes: 256 * 1024 * 1024 },
  now: Date.UTC(2026, 0, 1),
};

async function runCase(name, data) {
  const outcomes = [];
  const datasets = [];
  // 1. as `memlens analyze` reads it: detection picks one importer
  try {
    const ds = await loadInput({ path: name, data }, ctx);
    // loadInput's promise: each warning one line, whatever the input holds.
    for (const w of ds.input.warnings) if (/[\n\r]/.test(w)) throw new Error(`a warning of two lines: ${w}`);
    datasets.push(ds);
    outcomes.push('ok');
  } catch (e) {
    check(e);
    outcomes.push('input-error');
  }
  // 2. every other importer that claims the input
  let opened;
  try {
    opened = await openInput({ path: name, data }, ctx.limits);
  } catch (e) {
    check(e);
  }
  if (opened) {
    for (const imp of IMPORTERS) {
      if (!(imp.detect(opened.probe) > 0)) continue;
      try {
        const fresh = await openInput({ path: name, data }, ctx.limits);
        datasets.push(await imp.load(fresh, ctx));
        outcomes.push(`${imp.id}:ok`);
      } catch (e) {
        check(e);
        outcomes.push(`${imp.id}:input-error`);
      }
    }
  }
  // 3. the analysis and the text outputs of what was read
  for (const ds of datasets) {
    const r = analyzeDatasets([ds], { now: ctx.now });
    RENDERERS.json.render(r);
    RENDERERS.md.render(r);
    RENDERERS.csv.render(r);
  }
  return outcomes;
}

function check(e) {
  if (!(e instanceof InputError)) throw e;
  if (/[\n\r]/.test(e.message)) throw new Error(`an input error of two lines: ${e.message}`);
}

process.on('message', async (m) => {
  try {
    const outcomes = await runCase(m.name, Buffer.from(m.data));
    process.send({ id: m.id, ok: true, outcomes });
  } catch (e) {
    process.send({
      id: m.id,
      ok: false,
      error: { name: e?.constructor?.name ?? typeof e, message: String(e?.message ?? e), stack: e?.stack },
    });
  }
});
process.send({ ready: true });
