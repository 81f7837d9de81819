import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The vega runtime for `--interactive`, inlined from node_modules (never a CDN): the page must open
 * offline, from a ticket attachment or an e-mail.
 */
export interface Runtime {
  /** Script sources in load order: vega, vega-lite, vega-embed, then the page's own loader. */
  scripts: string[];
}

/** The UMD bundles each package ships next to its module entry. */
const BUNDLES: [pkg: string, file: string][] = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
];

export async function loadRuntime(): Promise<Runtime> {
  const scripts = await Promise.all(
    BUNDLES.map(async ([pkg, file]) => {
      const entry = fileURLToPath(import.meta.resolve(pkg));
      return scriptText(await readFile(join(dirname(entry), file), 'utf8'));
    }),
  );
  return { scripts: [...scripts, LOADER] };
}

/**
 * Script text safe inside <script>: `</script` can only appear in JS in a string, regex or
 * comment, where `<\/script` means the same; `<!--` likewise.
 */
export function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** 'sha256-…' sources for a Content-Security-Policy that allows exactly these inline scripts. */
export function cspHashes(scripts: string[]): string[] {
  return scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
}

/**
 * The page's loader: for each chart's JSON island, embed a live view (tooltips, zoom) in place
 * of the static SVG. The static SVG stays until its live view has rendered, so a failure leaves
 * a working page. vega runs with its AST interpreter (`ast: true`): no eval, so the page's CSP
 * needs no 'unsafe-eval'. Data is read with textContent and JSON.parse, never as markup.
 */
const LOADER = `(function () {
  'use strict';
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  var islands = document.querySelectorAll('script[type="application/json"][data-chart]');
  Array.prototype.forEach.call(islands, function (island) {
    var figure = document.getElementById(island.getAttribute('data-chart'));
    if (!figure) return;
    var stat = figure.querySelector('.static');
    var live = document.createElement('div');
    live.className = 'live';
    var spec = JSON.parse(island.textContent);
    vegaEmbed(live, spec, { renderer: 'svg', actions: false, ast: true, tooltip: { theme: dark ? 'dark' : 'light' } })
      .then(function () {
        if (stat) stat.replaceWith(live); else figure.prepend(live);
        figure.setAttribute('data-live', 'true');
      })
      .catch(function (err) {
        figure.setAttribute('data-live', 'failed');
        console.error('memlens: interactive chart failed, static chart kept:', err);
      });
  });
  document.documentElement.setAttribute('data-interactive', 'ready');
})();
`;
