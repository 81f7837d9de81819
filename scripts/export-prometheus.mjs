#!/usr/bin/env node
// Turns a real cgroup capture into what Prometheus and Grafana would have exported for the same
// incident, so samples/ can show memlens an export whose truth is known:
//
//   OUT.json   Prometheus /api/v1/query_range response (matrix), as the API writes it
//   OUT.csv    Grafana "Inspect > Data > Download CSV", series joined by time, "Formatted data"
//              off, verbose legend (Grafana 11.1+)
//
// Values follow cAdvisor's formulas on the captured files (see ../shared DESIGN table and
// metrics.md): usage = memory.usage_in_bytes, working set = max(0, usage - total_inactive_file),
// rss = total_rss, cache = total_cache, mapped_file = total_mapped_file, swap = total_swap,
// failcnt, max_usage = memory.max_usage_in_bytes, limit = memory.limit_in_bytes (>= 2^62 -> 0),
// and container_oom_events_total from memory.oom_control oom_kill (cAdvisor counts kernel OOM
// events; the cgroup counter is the same event). cgroup v2 captures use the v2 column of the table.
// Labels are the kubelet's /metrics/cadvisor labels {container, id, image, name, namespace, pod}
// with names from the capture's kubectl metadata, plus the scrape labels a kube-prometheus-stack
// kubelet ServiceMonitor adds. Each snapshot is one scrape; query_range evaluates every STEP seconds
// from the first snapshot to the last and takes the newest sample at or before each step (5 m
// lookback), as PromQL does.
//
// Usage: node scripts/export-prometheus.mjs CAPTURE.tar.gz OUT.json OUT.csv [STEP_SECONDS]
//   (samples/: node scripts/export-prometheus.mjs test/fixtures/v1-oom-killed-and-cache-inflated.tar.gz
//    samples/prometheus-oom-killed-and-cache-inflated.json samples/grafana-oom-killed-and-cache-inflated.csv)
// Formats: ../shared/reference/formats.md sections 1.A (Grafana) and 2.A (Prometheus API).
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as tarStream from 'tar-stream';

const [capturePath, jsonPath, csvPath, stepArg] = process.argv.slice(2);
if (!capturePath || !jsonPath || !csvPath) {
  console.error('usage: node scripts/export-prometheus.mjs CAPTURE.tar.gz OUT.json OUT.csv [STEP_SECONDS]');
  process.exit(2);
}
const STEP = Number(stepArg ?? 1);
const LOOKBACK_MS = 5 * 60 * 1000;
const UNLIMITED = 2 ** 62;
const SCRAPE = {
  endpoint: 'https-metrics',
  instance: '10.0.3.17:10250',
  job: 'kubelet',
  metrics_path: '/metrics/cadvisor',
  service: 'kube-prometheus-stack-kubelet',
};
const PAUSE_IMAGE = 'registry.k8s.io/pause:3.9';

// --- read the capture ---------------------------------------------------------------------------
async function readTar(gz) {
  const files = new Map();
  const extract = tarStream.extract();
  const done = (async () => {
    for await (const e of extract) {
      const chunks = [];
      for await (const c of e) chunks.push(c);
      if (e.header.type === 'file')
        files.set(e.header.name.replace(/^\.\//, ''), Buffer.concat(chunks).toString('utf8'));
    }
  })();
  extract.end(gunzipSync(gz));
  await done;
  return files;
}

const files = await readTar(readFileSync(capturePath));
const SNAP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)\/(.+)\/(memory\.[a-z_.]+)$/;
/** cgroup path -> time (ms) -> file -> text */
const cgroups = new Map();
for (const [name, text] of files) {
  const m = SNAP.exec(name);
  if (!m) continue;
  const t = Date.parse(m[1]);
  const cg = `/${m[2]}`;
  if (!cgroups.has(cg)) cgroups.set(cg, new Map());
  const byT = cgroups.get(cg);
  if (!byT.has(t)) byT.set(t, {});
  byT.get(t)[m[3]] = text;
}
const kv = (text) =>
  Object.fromEntries(
    (text ?? '')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [k, v] = l.split(' ');
        return [k, v === 'max' ? Number.POSITIVE_INFINITY : Number(v)];
      }),
  );
const one = (text) =>
  text === undefined ? undefined : text.trim() === 'max' ? Number.POSITIVE_INFINITY : Number(text);

/** cAdvisor's memory metrics from one cgroup's files at one time (DESIGN table). */
function cadvisor(f) {
  if (f['memory.current'] !== undefined) {
    const stat = kv(f['memory.stat']);
    const usage = one(f['memory.current']);
    const limit = one(f['memory.max']);
    return {
      container_memory_usage_bytes: usage,
      container_memory_working_set_bytes: Math.max(0, usage - (stat.inactive_file ?? 0)),
      container_memory_rss: stat.anon,
      container_memory_cache: stat.file,
      container_memory_mapped_file: stat.file_mapped,
      container_memory_swap: one(f['memory.swap.current']) ?? 0,
      container_memory_failcnt: 0,
      container_memory_max_usage_bytes: one(f['memory.peak']) ?? 0,
      container_spec_memory_limit_bytes: limit === Number.POSITIVE_INFINITY ? 0 : limit,
      container_oom_events_total: kv(f['memory.events']).oom_kill ?? 0,
    };
  }
  const stat = kv(f['memory.stat']);
  const usage = one(f['memory.usage_in_bytes']);
  const limit = one(f['memory.limit_in_bytes']);
  return {
    container_memory_usage_bytes: usage,
    container_memory_working_set_bytes:
      stat.total_inactive_file === undefined ? usage : Math.max(0, usage - stat.total_inactive_file),
    container_memory_rss: stat.total_rss,
    container_memory_cache: stat.total_cache,
    container_memory_mapped_file: stat.total_mapped_file,
    container_memory_swap: stat.total_swap ?? 0,
    container_memory_failcnt: one(f['memory.failcnt']),
    container_memory_max_usage_bytes: one(f['memory.max_usage_in_bytes']),
    container_spec_memory_limit_bytes: limit >= UNLIMITED ? 0 : limit,
    container_oom_events_total: kv(f['memory.oom_control']).oom_kill ?? 0,
  };
}

// --- names from the capture's metadata ---------------------------------------------------------
const manifest = JSON.parse(files.get('manifest.json') ?? '{}');
const kubectl = JSON.parse(files.get('meta/kubectl-pods.json') ?? '{"items":[]}');
const pods = new Map(); // uid -> {namespace, pod, node}
const containers = new Map(); // container id -> {container, image}
for (const p of kubectl.items) {
  pods.set(p.metadata.uid, { namespace: p.metadata.namespace, pod: p.metadata.name, node: p.spec?.nodeName });
  const images = new Map((p.spec?.containers ?? []).map((c) => [c.name, c.image]));
  for (const s of p.status?.containerStatuses ?? []) {
    const id = String(s.containerID ?? '').replace(/^[a-z-]+:\/\//, '');
    containers.set(id, { container: s.name, image: images.get(s.name) ?? '' });
  }
}
const node = [...pods.values()].find((p) => p.node)?.node ?? manifest.host ?? '';

/** The kubelet's labels for a cgroup, or null for cgroups outside any pod (node, QoS). */
function labelsOf(cg) {
  const parts = cg.split('/').filter(Boolean);
  const podIdx = parts.findIndex((p) => /^pod[0-9a-f-]{36}$/.test(p));
  if (podIdx < 0) return null;
  const pod = pods.get(parts[podIdx].slice(3));
  if (!pod) return null;
  const base = { ...SCRAPE, id: cg, namespace: pod.namespace, pod: pod.pod, node };
  if (parts.length === podIdx + 1) return { ...base, container: '', image: '', name: '' };
  const id = parts[podIdx + 1];
  const c = containers.get(id);
  // A container cgroup the pod's status does not name is its sandbox (pause) container: the
  // kubelet labels it with an empty container name and the pause image.
  return c
    ? { ...base, container: c.container, image: c.image, name: id }
    : { ...base, container: '', image: PAUSE_IMAGE, name: id };
}

// --- samples and range evaluation --------------------------------------------------------------
const series = []; // {labels (with __name__), samples: [[t, v]]}
for (const [cg, byT] of cgroups) {
  const labels = labelsOf(cg);
  if (!labels) continue;
  const times = [...byT.keys()].sort((a, b) => a - b);
  const perMetric = new Map();
  for (const t of times) {
    for (const [metric, v] of Object.entries(cadvisor(byT.get(t)))) {
      if (v === undefined || Number.isNaN(v)) continue;
      if (!perMetric.has(metric)) perMetric.set(metric, []);
      perMetric.get(metric).push([t, v]);
    }
  }
  for (const [metric, samples] of perMetric)
    series.push({ labels: { __name__: metric, ...labels }, samples });
}
const allTimes = [...new Set(series.flatMap((s) => s.samples.map(([t]) => t)))].sort((a, b) => a - b);
const start = allTimes[0];
const end = allTimes.at(-1);
const evals = [];
for (let t = start; t <= end; t += STEP * 1000) evals.push(t);
/** PromQL instant-vector selection at t: the newest sample at or before t within the lookback. */
function at(samples, t) {
  let v;
  for (const [st, sv] of samples) {
    if (st > t) break;
    if (t - st <= LOOKBACK_MS) v = sv;
  }
  return v;
}
const sortedLabels = (l) => Object.keys(l).sort();
/** Prometheus orders series by their label sets (name by name, then value). */
function compareLabels(a, b) {
  const ka = sortedLabels(a);
  const kb = sortedLabels(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    if (a[ka[i]] !== b[kb[i]]) return a[ka[i]] < b[kb[i]] ? -1 : 1;
  }
  return ka.length - kb.length;
}

// --- Prometheus /api/v1/query_range --------------------------------------------------------------
// Query: {__name__=~"container_memory_.*|container_spec_memory_limit_bytes|container_oom_events_total",
//         namespace=~"shop|batch|platform"}  (every pod-level, sandbox and container series).
/** MarshalTimestamp: seconds, with a zero-padded millisecond fraction only when there is one. */
const promTime = (ms) =>
  ms % 1000 === 0 ? String(ms / 1000) : `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
/** MarshalFloat: strconv 'f' -1 as a JSON string (byte counts are integers, which JS and Go print alike). */
const promValue = (v) => (Number.isNaN(v) ? 'NaN' : v === Number.POSITIVE_INFINITY ? '+Inf' : String(v));
const matrix = series
  .map((s) => ({
    metric: s.labels,
    values: evals.map((t) => [t, at(s.samples, t)]).filter(([, v]) => v !== undefined),
  }))
  .filter((s) => s.values.length > 0)
  .sort((a, b) => compareLabels(a.metric, b.metric));
const json = `{"status":"success","data":{"resultType":"matrix","result":[${matrix
  .map(
    (s) =>
      `{"metric":{${sortedLabels(s.metric)
        .map((k) => `${JSON.stringify(k)}:${JSON.stringify(s.metric[k])}`)
        .join(',')}},"values":[${s.values.map(([t, v]) => `[${promTime(t)},"${promValue(v)}"]`).join(',')}]}`,
  )
  .join(',')}]}}`;
writeFileSync(jsonPath, json);

// --- Grafana "Download CSV" ----------------------------------------------------------------------
// A "Memory" panel with five queries, each {namespace=~"shop|batch|platform", container!=""};
// every series is its own frame and "Series joined by time" joins them in query order.
const PANEL = [
  'container_memory_working_set_bytes',
  'container_memory_usage_bytes',
  'container_memory_cache',
  'container_memory_rss',
  'container_spec_memory_limit_bytes',
];
const frames = PANEL.flatMap((metric) =>
  matrix.filter((s) => s.metric.__name__ === metric && s.metric.container !== ''),
);
/** Grafana's verbose series name: metric{a="v", b="v"}, labels sorted, values Go-%q quoted. */
// (JSON and Go quote printable ASCII alike; label values here are nothing else.)
const goQuote = (s) => JSON.stringify(s);
const displayName = (m) =>
  `${m.__name__}{${sortedLabels(m)
    .filter((k) => k !== '__name__')
    .map((k) => `${k}=${goQuote(m[k])}`)
    .join(', ')}}`;
const header = ['"Time"', ...frames.map((f) => `"${displayName(f.metric).replace(/"/g, '""')}"`)].join(',');
const times = [...new Set(frames.flatMap((f) => f.values.map(([t]) => t)))].sort((a, b) => a - b);
const lookup = frames.map((f) => new Map(f.values));
/** Grafana's writeValue: JS toString, quoted only when it holds a quote, newline or the delimiter. */
const cell = (v) => (v === undefined || v === null ? '' : String(v));
const rows = times.map((t) => [String(t), ...lookup.map((m) => cell(m.get(t)))].join(','));
// CRLF between lines, none after the last one, no BOM (Grafana 11.1+ default download).
writeFileSync(csvPath, [header, ...rows].join('\r\n'));

console.error(
  `wrote ${jsonPath} (${matrix.length} series × ${evals.length} steps of ${STEP}s) and ${csvPath} (${frames.length} series × ${times.length} rows)`,
);
