#!/usr/bin/env node
// Runs benchmark cases by name: `npm run bench` runs them all, `npm run bench -- batch` one.
// Each case is scripts/bench/<name>.mjs exporting a default async function that prints its own
// figures as ratios against a baseline measured in the same run (the machine is shared and noisy).
import { readdirSync } from 'node:fs';

const here = new URL('.', import.meta.url);
const all = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.slice(0, -4))
  .sort();
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!all.includes(name)) {
    console.error(`bench: no case "${name}"; cases: ${all.join(', ')}`);
    process.exit(2);
  }
}
for (const name of wanted.length ? wanted : all) {
  const mod = await import(new URL(`./${name}.mjs`, here));
  if (typeof mod.default !== 'function') continue; // a helper module, not a case
  console.log(`\n## ${name}`);
  await mod.default();
}
