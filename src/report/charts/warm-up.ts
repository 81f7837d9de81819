import type { TopLevelSpec } from 'vega-lite';
import { compositionSpec } from './composition.js';
import type { CompositionData, FleetPoint } from './data.js';
import { ESTIMATED_SUFFIX, LINES, PARTS } from './data.js';
import { fleetOverviewSpec } from './fleet-overview.js';
import { renderSvg } from './render.js';
import { byteUnitFor, inUnit } from './units.js';

const MiB = 1024 ** 2;

/**
 * Draws a made-up fleet overview and composition chart and throws them away. A chart thread does
 * this while the passes still run: the first charts a thread draws run vega's code cold (the
 * first took 0.2–0.35 s, the tenth 25 ms), and that is better paid before the report is waited on.
 * The composition is shaped like the charts of a Prometheus export without the memory breakdown
 * and without OOM kills (anon measured, active and inactive file estimated, in MiB, more samples
 * than drawn as steps): its compiled view is the one such a report's charts reuse.
 */
export async function warmUp(): Promise<void> {
  for (const spec of warmUpSpecs()) await renderSvg(spec);
}

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
    oomKills: 0,
  }));
  return [fleetOverviewSpec({ points, unplaced: 0 }), compositionSpec(d, { markAria: false })];
}
