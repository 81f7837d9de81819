import type { Importer } from '../registry.js';
import { headLines } from '../text/decode.js';
import { ByteInterner } from '../text/interner.js';
import { forEachLine } from '../text/lines.js';
import { parseNumber } from '../text/number.js';
import { epochToMs } from '../text/time.js';
import { Collector, partOf, reportCutLine, seriesKey, tooLong } from './collector.js';
import { snapshotTime, textChunks } from './common.js';
import { parseSeriesName } from './series-name.js';
import { toDataset } from './to-dataset.js';

/**
 * Exposition snapshots (formats.md §5): `curl …/metrics/cadvisor > scrape-<unixseconds>.prom`,
 * Prometheus text format 0.0.4 (`name{l="v"} 1.23456789e+08 1700000003217`, ms timestamps,
 * optional) or OpenMetrics (`# EOF`, seconds as floats, `_total` counters, exemplars), and
 * `promtool tsdb dump` lines (`{__name__="m", a="b"} v ms`). Several snapshots given together
 * form a series in the model. A sample without a timestamp (cAdvisor's spec metrics, every
 * kube-state-metrics sample) takes the latest timestamp of the same container's other metrics in
 * the file, else the snapshot's time (file name, then modification time).
 */
const SAMPLE_RE = /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?|\{.*\})\s+\S+(?:\s+\S+)?(?:\s+#.*)?$/;

const importer: Importer = {
  id: 'prometheus-exposition',
  title: 'Prometheus / OpenMetrics exposition snapshot (.prom)',
  detect(probe) {
    if (probe.kind !== 'file') return 0;
    const lines = headLines(probe, 30);
    if (lines.length === 0) return 0;
    const comments = lines.filter((l) => /^# (HELP|TYPE|UNIT) /.test(l)).length;
    const samples = lines.filter((l) => !l.startsWith('#') && SAMPLE_RE.test(l)).length;
    const other = lines.length - comments - samples - lines.filter((l) => l.startsWith('#')).length;
    if (samples === 0 || other > lines.length / 4) return 0;
    return comments > 0 ? 0.85 : 0.6;
  },
  async load(opened, ctx) {
    const path = opened.probe.name;
    const c = new Collector();
    const interner = new ByteInterner();
    const spans = new Int32Array(2);
    const idOf: number[] = [];
    const maxT: number[] = [];
    const pending: number[] = [];
    let openMetrics = false;
    let timestamped = 0;
    const onLine = (buf: Buffer, s: number, e: number, line: number): void => {
      while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
      if (s === e) return;
      if (buf[s] === 35) {
        // # HELP, # TYPE, # UNIT, # EOF
        if (e - s >= 5 && buf.toString('latin1', s, Math.min(e, s + 6)).startsWith('# EOF'))
          openMetrics = true;
        else if (buf.toString('latin1', s, Math.min(e, s + 7)) === '# UNIT ') openMetrics = true;
        return;
      }
      const end = seriesEnd(buf, s, e);
      if (end < 0) {
        bad(line, buf.toString('utf8', s, Math.min(e, s + 100)));
        return;
      }
      spans[0] = s;
      spans[1] = end;
      let id = interner.find(buf, spans, 1);
      if (id < 0) {
        interner.add(buf, spans, 1);
        const parsed = parseSeriesName(buf.toString('utf8', s, end));
        if (!parsed?.name) {
          idOf.push(-1);
        } else {
          const labels: Record<string, string> = {};
          for (const [k, v] of Object.entries(parsed.labels)) if (v !== '') labels[k] = v;
          idOf.push(c.series(parsed.name, labels));
        }
        id = idOf.length - 1;
      }
      const raw = idOf[id];
      if (raw < 0) {
        bad(line, buf.toString('utf8', s, Math.min(e, s + 100)));
        return;
      }
      // value, then an optional timestamp, then an optional OpenMetrics exemplar (# …)
      let p = end;
      while (p < e && (buf[p] === 32 || buf[p] === 9)) p++;
      let q = p;
      while (q < e && buf[q] !== 32 && buf[q] !== 9) q++;
      const v = parseNumber(buf, p, q);
      if (v === undefined) {
        bad(line, buf.toString('utf8', s, Math.min(e, s + 100)));
        return;
      }
      let r = q;
      while (r < e && (buf[r] === 32 || buf[r] === 9)) r++;
      let z = r;
      while (z < e && buf[z] !== 32 && buf[z] !== 9) z++;
      if (r < e && buf[r] !== 35) {
        const ts = parseNumber(buf, r, z);
        if (ts === undefined || !Number.isFinite(ts)) {
          bad(line, buf.toString('utf8', s, Math.min(e, s + 100)));
          return;
        }
        const t = epochToMs(ts);
        timestamped++;
        // Only a time the collector accepts may date this label set's untimed samples below.
        if (c.take(raw, t, v, line) && !(maxT[raw] >= t)) maxT[raw] = t;
      } else {
        pending.push(raw, v, line);
      }
    };
    const lines = await forEachLine(textChunks(opened, ctx, { lineEnded: true }), onLine, tooLong(c));
    c.lines = lines;
    reportCutLine(c, opened.cutLine);
    const warnings: string[] = [];
    let timeSource = 'sample timestamps';
    let guessed: number | undefined;
    if (pending.length) {
      // The latest timestamp among the metrics of the same label set (the same container).
      const latest = new Map<string, number>();
      maxT.forEach((t, raw) => {
        if (t === undefined) return;
        const key = seriesKey('', c.labels[raw]);
        if (!(latest.get(key)! >= t)) latest.set(key, t);
      });
      let snap: number | undefined;
      for (let i = 0; i < pending.length; i += 3) {
        const raw = pending[i];
        let t = latest.get(seriesKey('', c.labels[raw]));
        if (t === undefined) {
          if (snap === undefined) {
            const st = await snapshotTime(opened, ctx);
            snap = st.t;
            if (st.warning) guessed = st.t;
            timeSource = timestamped ? `sample timestamps, else the ${st.source}` : `the ${st.source}`;
            if (st.warning) warnings.push(st.warning);
          }
          t = snap;
        }
        c.take(raw, t, pending[i + 1], pending[i + 2], false);
      }
    }
    return toDataset([partOf(c)], {
      path,
      format: 'prometheus-exposition',
      warnings,
      details: {
        variant: openMetrics ? 'OpenMetrics' : 'Prometheus text',
        sampleTime: timeSource,
        // A time memlens had to guess (modification or analysis time), for the check across inputs.
        ...(guessed !== undefined ? { guessedTime: guessed } : {}),
      },
    });

    function bad(line: number, text: string): void {
      c.bad.add(
        'line',
        line,
        `"${text}" is not a sample line; skipped`,
        'lines that are not samples were skipped',
      );
    }
  },
};
export default importer;

/** End of the series part of a sample line (after `}` or the name), or -1 when malformed. */
function seriesEnd(buf: Buffer, s: number, e: number): number {
  let i = s;
  while (i < e && buf[i] !== 123 && buf[i] !== 32 && buf[i] !== 9) i++;
  if (i >= e) return -1;
  if (buf[i] !== 123) return i;
  let inQ = false;
  for (i++; i < e; i++) {
    const c = buf[i];
    if (inQ) {
      if (c === 92) i++;
      else if (c === 34) inQ = false;
    } else if (c === 34) inQ = true;
    else if (c === 125) return i + 1;
  }
  return -1;
}
