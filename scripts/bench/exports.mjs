// Exports case of `npm run bench` (`npm run bench -- exports`): memlens against DuckDB on the same
// long-format exports, in the same run.
// Writes the exports under /tmp/memlens-bench (never into the repository), then for each file
// runs `memlens analyze` (import, passes and every output) and the DuckDB pivot-and-aggregate
// alternately, BENCH_RUNS times (default 3), and prints median wall time, peak RSS and the ratio.
// The machine is shared and noisy: only the ratio within one run means something.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = join(dirname(fileURLToPath(import.meta.url)), 'exports');
const ROOT = join(HERE, '..', '..', '..');
const DIR = process.env.BENCH_DIR ?? '/tmp/memlens-bench';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FILES = [
  { name: 'long-720k.csv', containers: 200, points: 720, label: '720 k rows' },
  { name: 'long-7.2M.csv', containers: 2000, points: 720, label: '7.2 M rows', target: true },
];
const TARGET_RATIO = 2.0;
const TARGET_RSS_MIB = 1024;

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /BENCH_MAXRSS_KB=(\d+)/.exec(err);
      const c = /BENCH_CPU_US=(\d+)/.exec(err);
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${err}${out}`));
      resolve({
        wall,
        rssMiB: m ? Number(m[1]) / 1024 : Number.NaN,
        cpu: c ? Number(c[1]) / 1e6 : Number.NaN,
      });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export default async function exportsBench() {
  mkdirSync(DIR, { recursive: true });
  const rss = join(HERE, 'rss.mjs');
  const results = [];
  for (const f of FILES) {
    const path = join(DIR, f.name);
    if (!existsSync(path) || process.env.BENCH_REGENERATE) {
      process.stdout.write(`generating ${path} …\n`);
      await run(process.execPath, [join(HERE, 'generate.mjs'), path, String(f.containers), String(f.points)]);
    }
    const size = statSync(path).size;
    const ml = [];
    const dk = [];
    const nh = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate which goes first so a burst of load from elsewhere does not favour one side.
      const pair = [
        () =>
          run(process.execPath, [
            '--import',
            rss,
            join(ROOT, 'dist', 'cli', 'main.js'),
            'analyze',
            path,
            '--out',
            join(DIR, `out-${f.name}`),
            '--quiet',
          ]),
        () => run(process.execPath, ['--import', rss, join(HERE, 'duckdb-task.mjs'), path]),
      ];
      if (i % 2) pair.reverse();
      const a = await pair[0]();
      const b = await pair[1]();
      const [m, d] = i % 2 ? [b, a] : [a, b];
      ml.push(m);
      dk.push(d);
      // The same analysis without report.html: what the HTML charts cost on top.
      nh.push(
        await run(process.execPath, [
          '--import',
          rss,
          join(ROOT, 'dist', 'cli', 'main.js'),
          'analyze',
          path,
          '--out',
          join(DIR, `out-nohtml-${f.name}`),
          '--quiet',
          '--format',
          'json,md,csv',
        ]),
      );
      process.stdout.write(
        `  ${f.label} run ${i + 1}: memlens ${m.wall.toFixed(2)} s (cpu ${m.cpu.toFixed(2)}), duckdb ${d.wall.toFixed(2)} s (cpu ${d.cpu.toFixed(2)}), load ${loadavg()[0].toFixed(1)}\n`,
      );
    }
    const r = {
      file: f.name,
      rows: f.containers * f.points * 5,
      bytes: size,
      memlens: {
        wall: median(ml.map((x) => x.wall)),
        cpu: median(ml.map((x) => x.cpu)),
        rssMiB: Math.max(...ml.map((x) => x.rssMiB)),
      },
      withoutHtml: {
        wall: median(nh.map((x) => x.wall)),
        cpu: median(nh.map((x) => x.cpu)),
        rssMiB: Math.max(...nh.map((x) => x.rssMiB)),
      },
      duckdb: {
        wall: median(dk.map((x) => x.wall)),
        cpu: median(dk.map((x) => x.cpu)),
        rssMiB: Math.max(...dk.map((x) => x.rssMiB)),
      },
      runs: RUNS,
      ratios: ml.map((m, i) => m.wall / dk[i].wall),
    };
    r.ratio = r.memlens.wall / r.duckdb.wall;
    r.target = f.target ?? false;
    results.push(r);
  }

  const pad = (s, n) => String(s).padStart(n);
  process.stdout.write(
    `\n${''.padEnd(23)}${pad('memlens', 11)}${pad('', 15)}${pad('DuckDB', 10)}${pad('', 15)}${pad('× DuckDB', 9)}\n` +
      `${'file'.padEnd(16)}${pad('MB', 7)}${pad('wall s', 11)}${pad('cpu s', 8)}${pad('MiB', 7)}${pad('wall s', 10)}${pad('cpu s', 8)}${pad('MiB', 7)}${pad('wall', 9)}${pad('cpu', 8)}\n`,
  );
  for (const r of results) {
    process.stdout.write(
      `${r.file.padEnd(16)}${pad((r.bytes / 1e6).toFixed(0), 7)}${pad(r.memlens.wall.toFixed(2), 11)}${pad(r.memlens.cpu.toFixed(2), 8)}${pad(r.memlens.rssMiB.toFixed(0), 7)}` +
        `${pad(r.duckdb.wall.toFixed(2), 10)}${pad(r.duckdb.cpu.toFixed(2), 8)}${pad(r.duckdb.rssMiB.toFixed(0), 7)}${pad(r.ratio.toFixed(2), 9)}${pad((r.memlens.cpu / r.duckdb.cpu).toFixed(2), 8)}\n`,
    );
  }
  for (const r of results) {
    process.stdout.write(
      `${`${r.file} without report.html`.padEnd(36)}${pad(r.withoutHtml.wall.toFixed(2), 9)} s, cpu ${r.withoutHtml.cpu.toFixed(2)} s, ` +
        `${r.withoutHtml.rssMiB.toFixed(0)} MiB: ${(r.withoutHtml.wall / r.duckdb.wall).toFixed(2)}× DuckDB wall\n`,
    );
  }
  for (const r of results.filter((x) => x.target)) {
    const ok = r.ratio <= TARGET_RATIO && r.memlens.rssMiB <= TARGET_RSS_MIB;
    process.stdout.write(
      `\ntarget (${r.file}): ≤ ${TARGET_RATIO}× DuckDB wall time and ≤ ${TARGET_RSS_MIB} MiB → ${r.ratio.toFixed(2)}× ` +
        `(runs: ${r.ratios.map((x) => x.toFixed(2)).join(', ')}), ${r.memlens.rssMiB.toFixed(0)} MiB: ${ok ? 'met' : 'MISSED'}\n`,
    );
  }
  process.stdout.write(
    `(median of ${RUNS} runs; peak RSS is the largest of the runs; machine load now ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')})\n`,
  );
  writeFileSync(join(DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}
