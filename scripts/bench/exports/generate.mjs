// Writes the benchmark exports under /tmp (never into the repository): a long-format CSV as
// prometheus-api-client + pandas or a DuckDB/ClickHouse export would write it, header
// `timestamp,__name__,namespace,pod,container,value`, series after series (each series' points
// together, as query_csv.py, promql-cli and VictoriaMetrics write them), 15 s steps.
// Usage: node scripts/bench/generate.mjs OUT.csv CONTAINERS POINTS
import { createWriteStream } from 'node:fs';

const [out, containersArg = '2000', pointsArg = '720'] = process.argv.slice(2);
const CONTAINERS = Number(containersArg);
const POINTS = Number(pointsArg);
const T0 = 1_700_000_000;
const STEP = 15;
const MI = 1024 * 1024;
const METRICS = [
  'container_memory_usage_bytes',
  'container_memory_working_set_bytes',
  'container_memory_rss',
  'container_memory_cache',
  'container_spec_memory_limit_bytes',
];

// Deterministic PRNG (mulberry32) so every run measures the same file.
let seed = 42;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}

const ws = createWriteStream(out, { highWaterMark: 4 * MI });
const write = (s) => (ws.write(s) ? Promise.resolve() : new Promise((r) => ws.once('drain', r)));
await write('timestamp,__name__,namespace,pod,container,value\n');
let buf = '';
for (let c = 0; c < CONTAINERS; c++) {
  const ns = `team-${String(c % 40).padStart(2, '0')}-production-eu1`;
  const pod = `service-${String(Math.floor(c / 3)).padStart(4, '0')}-7d9c5b8f4-${(c * 7919).toString(36).padStart(5, 'x')}`;
  const container = `application-${c % 3}`;
  const limit = [128, 256, 512, 1024, 2048][c % 5] * MI;
  // Shapes: steady, cache-heavy (usage near the limit, working set far below), leaking.
  const kind = c % 7 === 0 ? 'cache' : c % 11 === 0 ? 'leak' : 'steady';
  const rssBase = limit * (0.2 + 0.4 * rand());
  const series = METRICS.map(() => []);
  for (let i = 0; i < POINTS; i++) {
    const rss = Math.round(
      kind === 'leak' ? rssBase + (limit * 0.5 * i) / POINTS : rssBase * (0.95 + 0.1 * rand()),
    );
    const inactive = Math.round(
      kind === 'cache' ? limit * 0.6 * (0.9 + 0.1 * rand()) : limit * 0.05 * rand(),
    );
    const active = Math.round(limit * 0.05 * rand());
    const cache = inactive + active;
    const usage = Math.min(limit, rss + cache);
    const wsv = Math.max(0, usage - inactive);
    series[0].push(usage);
    series[1].push(wsv);
    series[2].push(rss);
    series[3].push(cache);
    series[4].push(limit);
  }
  for (let m = 0; m < METRICS.length; m++) {
    const prefix = `,${METRICS[m]},${ns},${pod},${container},`;
    for (let i = 0; i < POINTS; i++) buf += `${T0 + i * STEP}${prefix}${series[m][i]}\n`;
    if (buf.length > 4 * MI) {
      await write(buf);
      buf = '';
    }
  }
}
await write(buf);
ws.end();
await new Promise((r) => ws.once('finish', r));
