import type { TopLevelSpec } from 'vega-lite';
import { parameterize, unkeyAxisMarks, ViewCache } from './view-cache.js';

/** What vega-lite said while compiling a spec; a memlens chart compiles with none. */
export interface Compiled {
  // biome-ignore lint/suspicious/noExplicitAny: vega's Spec type is not exported through vega-lite
  vega: any;
  warnings: string[];
}

/**
 * vega-lite → vega. vega and vega-lite are imported here, on first use, so commands that render
 * no chart do not pay for loading them. Warnings are collected, never printed: the CLI's output
 * is for the user, and tests assert there are none.
 */
export async function compileSpec(spec: TopLevelSpec): Promise<Compiled> {
  const vl = await import('vega-lite');
  const warnings: string[] = [];
  let level = 0;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      throw new Error(`vega-lite: ${args.join(' ')}`);
    },
    warn(...args: unknown[]) {
      warnings.push(args.join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return { vega: vl.compile(spec, { logger }).spec, warnings };
}

/** Loader for headless views: every chart carries its data; nothing is ever fetched. */
function offlineLoader(vega: typeof import('vega')) {
  const none = () => Promise.reject(new Error('report charts load nothing'));
  return {
    load: none,
    // In-page links (a fleet point → its container's section) are the only URLs a chart may hold.
    sanitize: (uri: string) =>
      uri.startsWith('#')
        ? Promise.resolve({ href: uri })
        : Promise.reject(new Error(`no external links: ${uri}`)),
    http: none,
    file: none,
  } as unknown as ReturnType<typeof vega.loader>;
}

let cache: ViewCache | undefined;

/** This thread's views, kept from first use. */
function views(): ViewCache {
  cache ??= new ViewCache(async (skeleton) => {
    const vega = await import('vega');
    const runtime = vega.parse((await compileSpec(skeleton)).vega);
    unkeyAxisMarks(runtime);
    return new vega.View(runtime, {
      renderer: 'none',
      logLevel: vega.None,
      loader: offlineLoader(vega),
    });
  });
  return cache;
}

/**
 * vega-lite spec → headless vega view → SVG string. Charts that differ only in data and title
 * share one view (view-cache.ts).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  return compactSvg(await views().render(parameterize(spec), (view) => view.toSVG()));
}

/** Drops the kept views (tests; a long-lived process done with charts). */
export function clearViews(): void {
  cache?.clear();
}

/**
 * Vega writes coordinates with full float precision ("69.66666666666667"); a tenth of a
 * pixel is invisible, and rounding cuts the SVG by about a third. Only geometry attributes are touched,
 * never text content or aria labels (which may quote a label like "v1.2345").
 */
export function compactSvg(svg: string): string {
  return svg.replace(/<[^>]+>/g, (tag) =>
    tag.replace(
      /(\s(?!aria-)[\w:-]+=")([^"]*)"/g,
      (_, name: string, value: string) => `${name}${value.replace(/(\d+\.\d)\d+/g, '$1')}"`,
    ),
  );
}

/**
 * Vega numbers clip paths per thread (`clip3`), in whatever order the charts happen to be drawn;
 * many SVGs inline in one page, plus the live views of the interactive page, need ids that
 * cannot collide, and the same input should give the same page. Each id becomes the chart id,
 * its kind and its rank in this SVG (`c-3-clip1`).
 */
export function uniqueIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  const perStem = new Map<string, number>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (ids.has(m[1])) continue;
    const stem = m[1].replace(/\d+$/, '');
    const k = (perStem.get(stem) ?? 0) + 1;
    perStem.set(stem, k);
    ids.set(m[1], `${prefix}-${stem}${k}`);
  }
  if (ids.size === 0) return svg;
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) =>
    ids.has(id) ? `${lead}${ids.get(id)}` : all,
  );
}
