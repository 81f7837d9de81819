import type { TopLevelSpec } from 'vega-lite';
import { compositionSpec } from './composition.js';
import type { CompositionData, FleetPoint } from './data.js';
import { ESTIMATED_SUFFIX, LINES, PARTS } from './data.js';
import { fleetOverviewSpec } from './fleet-overview.js';
import { renderSvg } from './render.js';
import { byteUnitFor, inUnit } from './units.js';

const MiB = 1024 ** 2;

/**
 * Draws a made-up fleet overview and composition chart (WARM_UP_ROUNDS times) and throws them away.
 * A chart thread does this while the passes run on the main thread, on a core that would
 * otherwise wait: vega's code starts cold (the first chart took 0.2–0.35 s, the tenth 25 ms),
 * and that is better paid before the report is waited on. Rounds stop as soon
 * as `stop()` says a real chart is waiting, so warming never delays one by more than the chart
 * being drawn. The composition is shaped like the charts of a Prometheus export without the
 * memory breakdown and without OOM kills (anon measured, active and inactive file estimated, in
 * MiB, more samples than drawn as steps): its compiled view is the one such a report's charts reuse.
 */
export async function warmUp(stop: () => boolean = () => false, rounds = WARM_UP_ROUNDS): Promise<number> {
  const specs = warmUpSpecs();
  let drawn = 0;
  for (let r = 0; r < rounds; r++)
    for (const spec of specs) {
      if (stop()) return drawn;
      await renderSvg(spec);
      drawn++;
      // Drawing resolves in microtasks; a turn of the event loop lets a waiting job be seen.
      await new Promise((resolve) => setImmediate(resolve));
    }
  return drawn;
}

/**
 * Rounds of made-up charts. One: twenty (about as many charts as vega's code takes to get fast)
 * halved the time of 51 charts on two threads warmed for 4 s (1.1 s → 0.64–0.85 s), but made
 * `memlens analyze` on the 7.2 M-row export slower as a whole (4.5–5.0 s against 4.2–4.8 s,
 * alternating runs): the passes do not leave a core idle for that long.
 */
export const WARM_UP_ROUNDS = 1;

/** The made-up charts warmUp draws: a fleet overview of 40 containers, a composition of 300 samples. */
export function warmUpSpecs(): TopLevelSpec[] {
  const n = 300;
  const unit = byteUnitFor(512 * MiB);
  const rows = Array.from({ length: n }, (_, i) => {
    const rss = (200 + (100 * i) / n) * MiB;
    const cache = (60 + 20 * Math.sin(i / 9)) * MiB;
    return {
      t: 1_700_000_000_000 + i * 15_000,
      rss: inUnit(rss, unit),
      activeFile: inUnit(cache / 3, unit),
      inactiveFile: inUnit((2 * cache) / 3, unit),
      usage: inUnit(rss + cache, unit),
      workingSet: inUnit(rss + cache / 3, unit),
      limit: inUnit(512 * MiB, unit),
    };
  });
  const columns = new Set(['rss', 'activeFile', 'inactiveFile']);
  const d: CompositionData = {
    key: 'warm-up/warm-up/warm-up',
    unit,
    rows,
    parts: PARTS.filter((p) => columns.has(p.column)).map((p) => {
      const estimated = p.column !== 'rss';
      return { ...p, label: p.label + (estimated ? ESTIMATED_SUFFIX : ''), estimated };
    }),
    lines: LINES.map((l) => ({ ...l, estimated: false })),
    kills: [],
    samples: n,
    drawn: n,
  };
  const severities = ['ok', 'info', 'warning', 'critical'] as const;
  const points: FleetPoint[] = Array.from({ length: 40 }, (_, i) => ({
    key: `warm-up/pod-${i}/c`,
    href: `#c-${i}`,
    severity: severities[i % 4],
    verdict: 'ok',
    usageRatio: (i % 10) / 10,
    workingSetRatio: (i % 7) / 10,
    usageBytes: i * MiB,
    workingSetBytes: i * MiB,
    limitBytes: 100 * MiB,
    oomKills: '0',
  }));
  return [fleetOverviewSpec({ points, unplaced: 0 }), compositionSpec(d, { markAria: false })];
}
