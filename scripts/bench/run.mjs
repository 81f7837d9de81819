#!/usr/bin/env node
/**
 * `npm run bench [-- CASE... [--option value]]`: runs benchmark cases, each in its own file.
 * A case exports `title` and `run(args)` (or a default async function); `args` are the
 * command-line words after the case names. Cases report figures as ratios against a baseline
 * measured in the same run, because the machines this runs on are shared and noisy.
 */
const CASES = {
  batch: () => import('./batch.mjs'),
  capture: () => import('./capture.mjs'),
  exports: () => import('./exports.mjs'),
};

const argv = process.argv.slice(2);
const names = argv.filter((a, i) => !a.startsWith('-') && !(i > 0 && argv[i - 1].startsWith('--')));
const args = argv.filter((a) => !names.includes(a));
const unknown = names.filter((n) => !CASES[n]);
if (unknown.length) {
  console.error(`unknown bench case ${unknown.join(', ')}; known: ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const name of names.length ? names : Object.keys(CASES)) {
  const mod = await CASES[name]();
  console.log(`\n== ${name}${mod.title ? `: ${mod.title}` : ''}`);
  const ok = mod.run ? await mod.run(args) : await mod.default(args);
  if (ok === false) failed = true;
}
process.exit(failed ? 1 : 0);
