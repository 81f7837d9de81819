/**
 * The page's only stylesheet. Light by default, dark when the reader's system asks for it (on
 * screen only: paper is always light), one column that fits a 13" screen, and print rules that
 * keep each container on its own page part. Chart text is re-coloured here because the SVG is
 * rendered once, without knowing the reader's colour scheme.
 */
export const CSS = `
:root {
  --bg: #ffffff; --fg: #1d2127; --muted: #5d6570; --line: #d9dde3; --panel: #f5f7f9;
  --link: #1f5fb4; --critical: #c62828; --warning: #b85f00; --info: #2f69b3; --ok: #3d7f33;
  --critical-bg: #fdecea; --warning-bg: #fff3e0; --info-bg: #e8f0fb; --ok-bg: #eaf5e7;
  color-scheme: light dark;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --bg: #15181d; --fg: #e3e6ea; --muted: #a2a9b3; --line: #343a43; --panel: #1d2128;
    --link: #7fb0f0; --critical: #ff6b6b; --warning: #f0a040; --info: #7aa9ea; --ok: #7cc46c;
    --critical-bg: #3a1d1f; --warning-bg: #3a2a14; --info-bg: #1b2a40; --ok-bg: #1c2f1b;
  }
  .chart svg .role-axis-label text, .chart svg .role-axis-title text,
  .chart svg .role-legend-label text, .chart svg .role-legend-title text,
  .chart svg .role-title-text text, .chart svg .role-title-subtitle text, .chart svg [class*="point_labels"] text { fill: var(--fg); }
  .chart svg .role-axis-grid line { stroke: #3b414b; }
  .chart svg .role-axis-domain line, .chart svg .role-axis-tick line { stroke: #7d848e; }
  .chart svg [stroke="#333333"] { stroke: #e3e6ea; }
  .chart svg [fill="#333333"] { fill: #e3e6ea; }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; padding: 1.5rem 1.25rem 3rem; max-width: 1180px;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
}
a { color: var(--link); }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 .3rem; overflow-wrap: anywhere; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", monospace; font-size: .88em; }
.muted { color: var(--muted); }
.verdict {
  font-size: 1.15rem; margin: .6rem 0 1rem; padding: .7rem 1rem; border-radius: 6px;
  background: var(--panel); border-left: 5px solid var(--muted);
}
.verdict.critical { border-left-color: var(--critical); }
.verdict.warning { border-left-color: var(--warning); }
.verdict.info { border-left-color: var(--info); }
.verdict.ok { border-left-color: var(--ok); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
nav.toc { margin: 1rem 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .95rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
/* Headers of number columns ("peak working set", "recommended limit") wrap, so the containers
   table fits a 13" screen without scrolling sideways; their numbers stay on one line. */
th.num { white-space: normal; }
td.key { overflow-wrap: anywhere; min-width: 12rem; }
.table-wrap { overflow-x: auto; }
.badge {
  display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: .78rem; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; vertical-align: .1em;
}
.badge.critical { color: var(--critical); background: var(--critical-bg); }
.badge.warning { color: var(--warning); background: var(--warning-bg); }
.badge.info { color: var(--info); background: var(--info-bg); }
.badge.ok { color: var(--ok); background: var(--ok-bg); }
figure.chart { margin: 0; min-width: 0; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figure.chart figcaption { font-size: .85rem; color: var(--muted); margin-top: .3rem; }
figure.chart .live svg { max-width: 100%; height: auto; }
article.container {
  margin: 1.2rem 0 1.8rem; padding: 1rem 1rem 1.1rem; border: 1px solid var(--line); border-radius: 8px;
  border-left-width: 5px; scroll-margin-top: 1rem;
}
article.container.critical { border-left-color: var(--critical); }
article.container.warning { border-left-color: var(--warning); }
article.container.info { border-left-color: var(--info); }
article.container.ok { border-left-color: var(--ok); }
article.container:target { box-shadow: 0 0 0 3px var(--link); }
.identity { font-size: .85rem; color: var(--muted); margin: 0 0 .6rem; overflow-wrap: anywhere; }
.detail { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; }
@media (min-width: 1100px) { .detail { grid-template-columns: minmax(0, 830px) minmax(260px, 1fr); } }
.numbers { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); gap: .4rem .8rem; margin: 0 0 .8rem; }
.numbers div { background: var(--panel); border-radius: 6px; padding: .3rem .55rem; }
.numbers dt { font-size: .75rem; color: var(--muted); }
.numbers dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.finding { margin: 0 0 .8rem; padding: .5rem .7rem; border-radius: 6px; background: var(--panel); overflow-wrap: anywhere; }
.finding h4 { margin: 0 0 .2rem; font-size: .95rem; }
.finding p { margin: .2rem 0; font-size: .9rem; }
.finding .when { font-size: .8rem; color: var(--muted); }
.narrative { font-size: .95rem; margin: 0 0 .8rem; }
.overview { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; align-items: start; }
@media (min-width: 1000px) { .overview { grid-template-columns: minmax(0, 700px) minmax(240px, 1fr); } }
.glossary dt { font-weight: 600; margin-top: .8rem; }
.glossary dd { margin: .1rem 0 0 0; }
.glossary .how { font-size: .85rem; color: var(--muted); }
.warnings li { overflow-wrap: anywhere; }
footer { margin-top: 3rem; font-size: .8rem; color: var(--muted); }
@media print {
  @page { margin: 12mm; }
  html, body { background: #fff; color: #000; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav.toc, .screen-only { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  article.container, figure.chart, tr, .finding { break-inside: avoid; }
  .detail, .overview { grid-template-columns: minmax(0, 1fr); }
  figure.chart svg { max-width: 100%; }
  .table-wrap { overflow: visible; }
  table { font-size: 8.5pt; }
  th { white-space: normal; }
  th, td { padding: .25rem .3rem; }
}
`;
