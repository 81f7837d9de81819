#!/usr/bin/env node
/**
 * `npm run fuzz [-- --seconds 600 --seed 1 --timeout-ms 20000 --max-rss-mb 1536]`: feeds mutated
 * copies of the test fixtures (every format memlens reads) to every importer for a fixed time and
 * fails on an uncaught exception (anything but memlens' one-line InputError), a hang (a case
 * that takes longer than --timeout-ms) or a memory blow-up (the worker's resident memory above
 * --max-rss-mb). Cases run in a child process that is replaced after each failure; each failing
 * input is saved under reports/fuzz-<time>/ with what happened, and (seed, case) makes it again.
 * Not part of CI: see docs/fuzzing.md.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { mutateTar, mutateText, rng } from './mutate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const seconds = option('seconds', 60);
const seed = option('seed', Date.now() % 1_000_000);
const timeoutMs = option('timeout-ms', 20_000);
const maxRssMb = option('max-rss-mb', 1536);
// Replays one case: --case N (with the same --seed).
const only = option('case', -1);

/** Seeds: every fixture, as text or as the raw tar inside a capture. */
function seeds() {
  const out = [];
  const add = (dir) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (f.endsWith('.md') || f.endsWith('.ts')) continue;
      let data;
      try {
        data = readFileSync(p);
      } catch {
        continue;
      }
      if (f.endsWith('.tar.gz')) {
        // Captures are big: mutate a slice of the tar (whole 512-byte blocks) to keep cases fast.
        const tar = gunzipSync(data);
        out.push({
          name: f.replace(/\.gz$/, ''),
          kind: 'tar',
          data: tar.subarray(0, Math.min(tar.length, 512 * 2000)),
        });
      } else if (f.endsWith('.gz'))
        out.push({ name: f.replace(/\.gz$/, ''), kind: 'text', data: gunzipSync(data) });
      else out.push({ name: f, kind: 'text', data });
    }
  };
  add(join(root, 'test', 'fixtures'));
  add(join(root, 'test', 'fixtures', 'exports'));
  add(join(root, 'test', 'fixtures', 'batch'));
  return out.filter((s) => s.data.length > 0);
}

function makeCase(all, n) {
  const r = rng(seed * 1_000_003 + n);
  const s = r.pick(all);
  const others = all.map((o) => o.data);
  const data = s.kind === 'tar' ? mutateTar(s.data, r, others) : mutateText(s.data, r, others);
  return { name: `case-${n}-${s.name}`, seed: s.name, data };
}

class Worker {
  constructor() {
    this.child = fork(join(here, 'child.mjs'), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.stderr = '';
    this.child.stderr.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    this.ready = new Promise((resolve) => this.child.once('message', resolve));
    this.peakRss = 0;
  }
  rssMb() {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  }
  run(c, id) {
    return new Promise((resolve) => {
      let done = false;
      const finish = (result) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        resolve(result);
      };
      const onMessage = (m) => {
        if (m.id === id)
          finish(
            m.ok ? { ok: true, outcomes: m.outcomes } : { ok: false, kind: 'exception', error: m.error },
          );
      };
      const onExit = (code, signal) =>
        finish({
          ok: false,
          kind: 'crash',
          error: {
            message: `worker exited (${code ?? signal}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`,
          },
        });
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        finish({ ok: false, kind: 'hang', error: { message: `no answer within ${timeoutMs} ms` } });
      }, timeoutMs);
      const poll = setInterval(() => {
        const mb = this.rssMb();
        this.peakRss = Math.max(this.peakRss, mb);
        if (mb > (this.top?.mb ?? 0)) this.top = { mb, id, name: c.name, bytes: c.data.length };
        if (mb > maxRssMb) {
          this.child.kill('SIGKILL');
          finish({
            ok: false,
            kind: 'memory',
            error: { message: `resident memory ${Math.round(mb)} MB > ${maxRssMb} MB` },
          });
        }
      }, 50);
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send({ id, name: c.name, data: c.data });
    });
  }
  stop() {
    this.child.kill('SIGKILL');
  }
}

const all = seeds();
const outDir = join(
  root,
  'reports',
  `fuzz-${new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`,
);
console.log(
  `fuzz: seed ${seed}, ${seconds} s, ${all.length} seed inputs, timeout ${timeoutMs} ms per case, memory limit ${maxRssMb} MB`,
);
let worker = new Worker();
await worker.ready;
const started = Date.now();
const counts = new Map();
const failures = [];
let n = Math.max(only, 0);
let peak = 0;
while (only >= 0 ? n === only : Date.now() - started < seconds * 1000) {
  const c = makeCase(all, n);
  const result = await worker.run(c, n);
  if (result.ok) {
    for (const o of result.outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
  } else {
    failures.push({ n, ...result });
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, `${c.name}`), c.data);
    writeFileSync(
      join(outDir, `${c.name}.json`),
      JSON.stringify({ seed, case: n, from: c.seed, bytes: c.data.length, ...result }, null, 2),
    );
    console.log(
      `FAIL ${result.kind} case ${n} (${c.seed}, ${c.data.length} bytes): ${result.error.message.split('\n')[0]}`,
    );
    peak = Math.max(peak, worker.peakRss);
    worker.stop();
    worker = new Worker();
    await worker.ready;
  }
  n++;
  if (n % 500 === 0)
    console.log(`  ${n} cases, ${failures.length} failures, ${Math.round((Date.now() - started) / 1000)} s`);
}
peak = Math.max(peak, worker.peakRss);
worker.stop();
if (worker.top)
  console.log(
    `largest resident memory: ${Math.round(worker.top.mb)} MB during ${worker.top.name} (${worker.top.bytes} bytes)`,
  );
const cases = only >= 0 ? 1 : n;
console.log(
  `\n${cases} cases in ${Math.round((Date.now() - started) / 1000)} s, peak worker memory ${Math.round(peak)} MB`,
);
for (const [k, v] of [...counts].sort()) console.log(`  ${k}: ${v}`);
if (failures.length) {
  console.log(`\n${failures.length} failures; inputs saved in ${outDir}`);
  console.log(`replay one: npm run fuzz -- --seed ${seed} --case N`);
  process.exit(1);
}
console.log('no failures');
