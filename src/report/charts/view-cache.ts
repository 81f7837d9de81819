import type { TopLevelSpec } from 'vega-lite';

/**
 * Chart views kept for reuse. A report draws up to fifty composition charts that differ only in
 * their data and title; compiling (vega-lite → vega), parsing and building a view for each took
 * about half of a chart's time. Charts with the same *skeleton* — the spec without its inline
 * data sets and title text — share one view, fed each chart's data and title in turn.
 * Everything else (layers, scales, unit, colours, layout) is in the skeleton, so charts that
 * differ in it get views of their own. The SVG is the one a view built for the chart alone draws
 * (test/report/charts/view-cache.test.ts holds them equal).
 */

/** A spec with its inline data sets named and its title text a parameter. */
export interface Parameterized {
  /** What must be equal for two charts to share a view (serialised skeleton). */
  key: string;
  skeleton: TopLevelSpec;
  /** Data set name → rows, fed to the view before each run. */
  data: [name: string, values: readonly object[]][];
  /** Title text, fed through the TITLE_PARAM parameter; undefined when the skeleton keeps it. */
  title?: string;
  description?: string;
}

const DATA_PREFIX = 'memlens_data_';
export const TITLE_PARAM = 'memlens_title';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Replaces each inline `data: {values: [...]}` (top level and layers, at any depth) with a named
 * data set, and a plain-string title text with a parameter. The same array used twice (the OOM
 * kill rule and its label) becomes one named set, as vega-lite would merge equal inline sets.
 */
export function parameterize(spec: TopLevelSpec): Parameterized {
  const names = new Map<readonly object[], string>();
  const data: Parameterized['data'] = [];
  const nameData = (d: unknown): unknown => {
    if (!isObject(d) || !Array.isArray(d.values) || Object.keys(d).length !== 1) return d;
    const values = d.values as object[];
    let name = names.get(values);
    if (!name) {
      name = `${DATA_PREFIX}${names.size}`;
      names.set(values, name);
      data.push([name, values]);
    }
    return { name };
  };
  const walk = (node: Json): Json => {
    const out: Json = { ...node };
    if ('data' in node) out.data = nameData(node.data);
    if (Array.isArray(node.layer)) out.layer = node.layer.map((l) => (isObject(l) ? walk(l) : l));
    return out;
  };
  const skeleton = walk(spec as unknown as Json);
  // The description never reaches a headless SVG; it is kept for the view, not for the key.
  const description = typeof skeleton.description === 'string' ? skeleton.description : undefined;
  delete skeleton.description;
  let title: string | undefined;
  const t = skeleton.title;
  if (typeof t === 'string' || (isObject(t) && typeof t.text === 'string')) {
    title = typeof t === 'string' ? t : (t.text as string);
    skeleton.title = { ...(isObject(t) ? t : {}), text: { expr: TITLE_PARAM } };
    skeleton.params = [
      ...(Array.isArray(skeleton.params) ? skeleton.params : []),
      { name: TITLE_PARAM, value: '' },
    ];
  }
  return {
    key: JSON.stringify(skeleton),
    skeleton: skeleton as unknown as TopLevelSpec,
    data,
    title,
    description,
  };
}

/**
 * vega joins axis ticks, labels and grid lines to their marks by tick value, so that a live chart
 * can animate them. A redrawn view then keeps the marks of ticks that survive a data change where
 * they were and appends the new ones: the SVG would list an axis in another order than a new view
 * draws it. Joined by tuple instead (vega's default), every tick of a chart enters afresh, in
 * order, as in a new view. Edits vega's parsed runtime description (the output of vega.parse)
 * in place; only headless views for static SVG are built from it.
 */
export function unkeyAxisMarks(runtime: { operators?: RuntimeOperator[] }): void {
  const ops = runtime.operators ?? [];
  const axisTicks = new Set(ops.filter((o) => o.type === 'axisticks').map((o) => o.id));
  for (const o of ops) {
    const source = (o.params?.pulse as { $ref?: unknown } | undefined)?.$ref;
    if (o.type === 'datajoin' && axisTicks.has(source) && o.params) delete o.params.key;
    // Sub-dataflows (facets, legends) carry operators of their own.
    for (const v of Object.values(o.params ?? {})) {
      const sub = (v as { $subflow?: { operators?: RuntimeOperator[] } } | null)?.$subflow;
      if (sub) unkeyAxisMarks(sub);
    }
  }
}

interface RuntimeOperator {
  id: unknown;
  type: string;
  params?: Record<string, unknown>;
}

/** Builds a view for a skeleton: vega-lite → vega → parsed runtime → headless view. */
// biome-ignore lint/suspicious/noExplicitAny: vega's View type is loaded lazily, with vega
export type ViewFactory = (skeleton: TopLevelSpec) => Promise<any>;

interface Entry {
  // biome-ignore lint/suspicious/noExplicitAny: see ViewFactory
  view: Promise<any>;
  /** Renders on one view run one after another: a view holds one chart's data at a time. */
  queue: Promise<unknown>;
}

/**
 * Views by skeleton key, the least recently used dropped beyond `max`. A view is built once per
 * skeleton and redrawn for each chart of that skeleton: building it again (its operators, the
 * expression functions, a sub-dataflow per layer group) cost a fifth of a chart's time.
 */
export class ViewCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly factory: ViewFactory,
    private readonly max = 16,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Gives the chart's data and title to its skeleton's view, runs it, and returns what `draw` makes of it. */
  // biome-ignore lint/suspicious/noExplicitAny: see ViewFactory
  async render<T>(p: Parameterized, draw: (view: any) => Promise<T>): Promise<T> {
    let entry = this.entries.get(p.key);
    if (entry) this.entries.delete(p.key);
    else {
      entry = { view: this.factory(p.skeleton), queue: Promise.resolve() };
      while (this.entries.size >= this.max) this.drop(this.entries.keys().next().value!);
    }
    this.entries.set(p.key, entry);
    const e = entry;
    const run = e.queue.then(async () => {
      const view = await e.view;
      // vega writes into the objects it ingests (ids, parsed dates): it gets copies of the rows.
      for (const [name, values] of p.data)
        view.data(
          name,
          values.map((v) => ({ ...v })),
        );
      if (p.title !== undefined) view.signal(TITLE_PARAM, p.title);
      view.description(p.description ?? null);
      // vega lays a view out (autosize "pad": room for axis labels and legends) on its first run
      // only, unless asked again.
      view.resize();
      return draw(view);
    });
    e.queue = run.catch(() => undefined);
    try {
      return await run;
    } catch (err) {
      // A view that failed half-way may hold a half-updated dataflow: never reuse it.
      if (this.entries.get(p.key) === e) this.drop(p.key);
      throw err;
    }
  }

  clear(): void {
    for (const k of [...this.entries.keys()]) this.drop(k);
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    this.entries.delete(key);
    if (e)
      e.queue
        .then(() => e.view)
        .then(
          (v) => v.finalize(),
          () => undefined,
        );
  }
}
