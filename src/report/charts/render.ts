import type { TopLevelSpec } from 'vega-lite';

/**
 * vega-lite spec → vega → headless view → SVG string. vega and vega-lite are imported here, on
 * first use, so commands that render no chart do not pay for loading them.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), {
    renderer: 'none',
    logLevel: vega.Error,
    // Every chart carries its data inline; a spec that asked for a URL would be a bug, never a fetch.
    loader: {
      load: () => Promise.reject(new Error('report charts load nothing')),
      // In-page links (a fleet point → its container's section) are the only URLs a chart may hold.
      sanitize: (uri: string) =>
        uri.startsWith('#')
          ? Promise.resolve({ href: uri })
          : Promise.reject(new Error(`no external links: ${uri}`)),
      http: () => Promise.reject(new Error('report charts load nothing')),
      file: () => Promise.reject(new Error('report charts load nothing')),
    } as unknown as ReturnType<typeof vega.loader>,
  });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega writes coordinates with full float precision ("69.66666666666667"); two decimals of a
 * pixel are invisible and cut the SVG by about a third. Only numbers inside tags are touched,
 * never text content.
 */
export function compactSvg(svg: string): string {
  return svg.replace(/<[^>]+>/g, (tag) => tag.replace(/(\d+\.\d{2})\d+/g, '$1'));
}
