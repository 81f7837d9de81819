// Batch case: 200 real captures analysed by `memlens batch`, serially (--jobs 1) and on two
// worker threads (--jobs 2). Reports the speed-up of --jobs 2 over --jobs 1, per-input time and
// peak memory, each as measured in this run. Inputs are copies of the repository's real captures
// (three scenarios, cycled), written under /tmp and removed afterwards.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const CLI = join(root, 'dist/cli/main.js');
const SOURCES = [
  'test/fixtures/v1-oom-killed-and-cache-inflated.tar.gz',
  'test/fixtures/batch/v1-cache-inflated-reader.tar.gz',
  'test/fixtures/batch/v1-healthy-guaranteed-server.tar.gz',
].map((p) => join(root, p));

const INPUTS = Number(process.env.BENCH_BATCH_INPUTS ?? 200);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function runBatch(inputs, out, jobs) {
  const args = [CLI, 'batch', inputs, '--out', out, '--jobs', String(jobs), '--force', '--quiet'];
  const t0 = process.hrtime.bigint();
  // /usr/bin/time gives the peak RSS of the whole process, worker threads included.
  const r = TIME
    ? spawnSync(TIME, ['-f', 'maxrss_kib=%M cpu_s=%U+%S', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`memlens batch --jobs ${jobs} exited ${r.status}: ${r.stderr}`);
  const rss = /maxrss_kib=(\d+)/.exec(r.stderr ?? '');
  const cpu = /cpu_s=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  return {
    seconds,
    rssMib: rss ? Number(rss[1]) / 1024 : Number.NaN,
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function batchBench() {
  const dir = mkdtempSync(join(tmpdir(), 'memlens-bench-batch-'));
  try {
    const inputs = join(dir, 'incidents');
    mkdirSync(inputs);
    let bytes = 0;
    for (let i = 0; i < INPUTS; i++) {
      const src = SOURCES[i % SOURCES.length];
      copyFileSync(src, join(inputs, `incident-${String(i).padStart(4, '0')}.tar.gz`));
      bytes += readFileSync(src).length;
    }
    console.log(
      `${INPUTS} inputs (${(bytes / 2 ** 20).toFixed(1)} MiB of real captures), ${REPEATS} runs each, alternating`,
    );
    const runs = { 1: [], 2: [] };
    for (let r = 0; r < REPEATS; r++) {
      for (const jobs of r % 2 ? [2, 1] : [1, 2])
        runs[jobs].push(runBatch(inputs, join(dir, `out-j${jobs}`), jobs));
    }
    // Same inputs, same reports: the parallel run must not change what is written.
    const csv = (j) => readFileSync(join(dir, `out-j${j}`, 'summary.csv'), 'utf8');
    if (csv(1) !== csv(2)) throw new Error('summary.csv differs between --jobs 1 and --jobs 2');
    const t1 = median(runs[1].map((x) => x.seconds));
    const t2 = median(runs[2].map((x) => x.seconds));
    const m1 = median(runs[1].map((x) => x.rssMib));
    const m2 = median(runs[2].map((x) => x.rssMib));
    const c1 = median(runs[1].map((x) => x.cpuSeconds));
    const c2 = median(runs[2].map((x) => x.cpuSeconds));
    console.log(
      '| jobs | wall s (median) | ms per input | CPU s (user+sys) | peak RSS MiB | × --jobs 1 wall |',
    );
    console.log('|--:|--:|--:|--:|--:|--:|');
    const row = (j, t, c, m) =>
      `| ${j} | ${t.toFixed(2)} | ${((t * 1000) / INPUTS).toFixed(1)} | ${c.toFixed(2)} | ${m.toFixed(0)} | ${(t / t1).toFixed(2)} |`;
    console.log(row(1, t1, c1, m1));
    console.log(row(2, t2, c2, m2));
    console.log(`speed-up of --jobs 2 over --jobs 1: ${(t1 / t2).toFixed(2)}× wall`);
    // CPU time hardly depends on what else the machine runs: it shows what parallelism costs.
    console.log(
      `--jobs 2 / --jobs 1: CPU time ${(c2 / c1).toFixed(2)}×, peak memory ${(m2 / m1).toFixed(2)}×`,
    );
    console.log(`CPUs kept busy: --jobs 1 ${(c1 / t1).toFixed(2)}, --jobs 2 ${(c2 / t2).toFixed(2)}`);
    const cpus = execFileSync('nproc', { encoding: 'utf8' }).trim();
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`machine: ${cpus} CPUs, load average ${load} at the end (shared machine: expect noise)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
