import type { TopLevelSpec } from 'vega-lite';

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

/** vega-lite spec → headless vega view → SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vega = await import('vega');
  const { vega: compiled } = await compileSpec(spec);
  const none = () => Promise.reject(new Error('report charts load nothing'));
  const view = new vega.View(vega.parse(compiled), {
    renderer: 'none',
    logLevel: vega.None,
    // Every chart carries its data inline; a spec that asked for a URL would be a bug, never a fetch.
    loader: {
      load: none,
      // In-page links (a fleet point → its container's section) are the only URLs a chart may hold.
      sanitize: (uri: string) =>
        uri.startsWith('#')
          ? Promise.resolve({ href: uri })
          : Promise.reject(new Error(`no external links: ${uri}`)),
      http: none,
      file: none,
    } as unknown as ReturnType<typeof vega.loader>,
  });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
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
