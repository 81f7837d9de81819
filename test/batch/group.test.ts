import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../src/analyze.js';
import { factsOf } from '../../src/batch/facts.js';
import {
  EXPORT_MARGIN_MS,
  groupInputs,
  mayJoinSeries,
  nameKey,
  SERIES_MAX_GAP_MS,
  SNAPSHOT_MAX_SPAN_MS,
  snapshotSeries,
} from '../../src/batch/group.js';
import type { InputFacts } from '../../src/batch/types.js';
import { loadInput } from '../../src/import/open.js';
import { DEFAULT_READ_LIMITS } from '../../src/source/types.js';
import { SNAPSHOTS_AND_A_RANGE } from '../batch/helpers.js';
import { fixture, loadFixture } from '../helpers/fixtures.js';

const T0 = Date.parse('2026-11-27T19:00:00Z');
const MIN = 60_000;

function capture(path: string, at: number, extra: Partial<InputFacts> = {}): InputFacts {
  return {
    path,
    format: 'cgroup-capture',
    kind: 'cgroup',
    nodes: [],
    start: at,
    end: at,
    snapshots: 1,
    size: 1000,
    mtimeMs: 0,
    ...extra,
  };
}

function exportOf(path: string, start: number, end: number, nodes: string[]): InputFacts {
  return {
    path,
    format: 'prometheus-csv',
    kind: 'metrics',
    nodes,
    start,
    end,
    snapshots: null,
    size: 1000,
    mtimeMs: 0,
  };
}

const paths = (groups: InputFacts[][]) => groups.map((g) => g.map((f) => f.path));

describe('groupInputs', () => {
  it('joins single snapshots that name a common node, in time order, and cuts at long gaps', () => {
    const facts = [
      capture('a/memory-3.tgz', T0 + 2 * MIN, { nodes: ['node-a'] }),
      capture('a/memory-1.tgz', T0, { nodes: ['node-a', 'vm'] }),
      capture('a/memory-2.tgz', T0 + MIN, { nodes: ['node-a'] }),
      // An hour later: another look at the node, not the same incident.
      capture('a/memory-4.tgz', T0 + 2 * MIN + SERIES_MAX_GAP_MS + 1, { nodes: ['node-a'] }),
      capture('b/memory-1.tgz', T0, { nodes: ['node-b'] }),
    ];
    expect(paths(groupInputs(facts))).toEqual([
      ['a/memory-1.tgz', 'a/memory-2.tgz', 'a/memory-3.tgz'],
      ['a/memory-4.tgz'],
      ['b/memory-1.tgz'],
    ]);
  });

  it('joins unnamed single snapshots only by folder and name prefix', () => {
    const facts = [
      capture('x/node-a-memory-1764270348.tar.gz', T0),
      capture('x/node-a-memory-1764270358.tar.gz', T0 + 10_000),
      capture('x/node-b-memory-1764270348.tar.gz', T0),
      capture('y/node-a-memory-1764270348.tar.gz', T0),
      capture('x/snapshot-1.tar.gz', T0),
      capture('x/snapshot-2.tar.gz', T0 + 10_000),
    ];
    expect(paths(groupInputs(facts))).toEqual([
      ['x/node-a-memory-1764270348.tar.gz', 'x/node-a-memory-1764270358.tar.gz'],
      ['x/node-b-memory-1764270348.tar.gz'],
      ['x/snapshot-1.tar.gz'],
      ['x/snapshot-2.tar.gz'],
      ['y/node-a-memory-1764270348.tar.gz'],
    ]);
  });

  it('keeps apart single snapshots when one names a node and the other does not, or they name different nodes', () => {
    const facts = [
      capture('x/memory-1764270348.tar.gz', T0, { nodes: ['node-a'] }),
      capture('x/memory-1764270358.tar.gz', T0 + 10_000),
      capture('x/memory-1764270368.tar.gz', T0 + 20_000, { nodes: ['node-b'] }),
    ];
    expect(groupInputs(facts)).toHaveLength(3);
  });

  it('keeps multi-snapshot captures of one node apart', () => {
    const facts = [
      capture('mon.tgz', T0, { nodes: ['node-a'], snapshots: 30, end: T0 + 5 * MIN }),
      capture('tue.tgz', T0 + 2 * MIN, { nodes: ['node-a'], snapshots: 30, end: T0 + 9 * MIN }),
    ];
    expect(groupInputs(facts)).toHaveLength(2);
  });

  it('joins an export with the captures of a node it covers at the same time', () => {
    const facts = [
      exportOf('prom.csv', T0, T0 + 60 * MIN, ['node-a', 'node-c']),
      capture('node-a.tgz', T0 + 30 * MIN, { nodes: ['node-a'], snapshots: 20, end: T0 + 35 * MIN }),
      // Taken just after the export ends: within the margin.
      capture('node-c.tgz', T0 + 60 * MIN + EXPORT_MARGIN_MS - 1, { nodes: ['node-c'], snapshots: 5 }),
      // Same node, next day: another incident.
      capture('node-a-next-day.tgz', T0 + 24 * 60 * MIN, { nodes: ['node-a'], snapshots: 20 }),
      // Another node.
      capture('node-b.tgz', T0 + 30 * MIN, { nodes: ['node-b'], snapshots: 20 }),
    ];
    expect(paths(groupInputs(facts))).toEqual([
      ['node-a-next-day.tgz'],
      ['node-a.tgz', 'node-c.tgz', 'prom.csv'],
      ['node-b.tgz'],
    ]);
  });

  it('leaves an export that names no node on its own, and never joins two exports directly', () => {
    const facts = [
      exportOf('grafana.csv', T0, T0 + 60 * MIN, []),
      exportOf('usage.csv', T0, T0 + 60 * MIN, ['node-a']),
      exportOf('working-set.csv', T0, T0 + 60 * MIN, ['node-a']),
      capture('node-x.tgz', T0 + 10 * MIN, { snapshots: 10, end: T0 + 20 * MIN }),
    ];
    expect(groupInputs(facts)).toHaveLength(4);
  });

  it('puts a snapshot series and the export of its node into one group', () => {
    const facts = [
      capture('a/memory-1.tgz', T0, { nodes: ['node-a'] }),
      capture('a/memory-2.tgz', T0 + MIN, { nodes: ['node-a'] }),
      exportOf('prom.json', T0 + 30_000, T0 + 10 * MIN, ['node-a']),
    ];
    expect(paths(groupInputs(facts))).toEqual([['a/memory-1.tgz', 'a/memory-2.tgz', 'prom.json']]);
  });

  it('gives the same groups whatever order the inputs come in', () => {
    const facts = [
      capture('a/memory-1.tgz', T0, { nodes: ['n'] }),
      capture('a/memory-2.tgz', T0 + MIN, { nodes: ['n'] }),
      capture('b.tgz', T0, { snapshots: 4 }),
      exportOf('p.csv', T0, T0 + MIN, ['n']),
    ];
    const expected = paths(groupInputs(facts));
    expect(paths(groupInputs([...facts].reverse()))).toEqual(expected);
    expect(paths(groupInputs([facts[2], facts[0], facts[3], facts[1]]))).toEqual(expected);
  });

  it('knows the snapshot name pattern', () => {
    expect(nameKey('in/node-a/memory-1764270348.tar.gz')).toBe('in/node-a/');
    expect(nameKey('in/node-a-memory-1764270348.tgz')).toBe('in/node-a-');
    expect(nameKey('in/memory-17642703489.tgz')).toBeNull();
    expect(nameKey('in/memory.tgz')).toBeNull();
  });
});

describe('factsOf on a real capture', () => {
  it('names the node by the manifest host and the pods’ nodeName, and spans the snapshots', async () => {
    const ds = await loadFixture('oomAndCache');
    const f = factsOf(ds, analyzeDatasets([ds]).model, { size: 114797, mtimeMs: 1 });
    expect(f).toEqual({
      path: ds.input.path,
      format: 'cgroup-capture',
      kind: 'cgroup',
      nodes: ['fixture-node', 'vm'],
      containerIds: [
        '686e2194c74bb61b9a10f49fbb62c0183d0801a54c77723b78e6604fa46b5e1b',
        '95fdc25a86450d67740f4348d09612ac6438e5f286016a5c695e7f3688a0f16f',
        'a7e9b9313d19df5b8bdaa1c613add93554761143c4f7ee57b288acee8030d2b6',
      ],
      containerNames: [
        'batch/report-writer-5c8b/reader',
        'platform/config-server-0/server',
        'shop/checkout-7d9f/api',
      ],
      start: Date.parse('2026-11-27T19:16:50Z'),
      end: Date.parse('2026-11-27T19:17:07Z'),
      snapshots: 18,
      size: 114797,
      mtimeMs: 1,
    });
  });
});

describe('an export joins only captures that hold one of its containers', () => {
  const exp = (ids: string[], names: string[] = []) => ({
    ...exportOf('prom.json', T0, T0 + 60 * MIN, ['node-a']),
    containerIds: ids,
    containerNames: names,
  });
  const cap = (path: string, ids: string[], names: string[] = []) =>
    capture(path, T0 + 10 * MIN, {
      nodes: ['node-a'],
      snapshots: 10,
      end: T0 + 20 * MIN,
      containerIds: ids,
      containerNames: names,
    });

  it('compares runtime IDs when both sides have them, even when pod names repeat', () => {
    const facts = [
      exp(['aaa'], ['shop/checkout/api']),
      cap('same-incident.tgz', ['aaa', 'bbb'], ['shop/checkout/api']),
      // Recorded on the same node at the same time, same pod name, another container instance.
      cap('other-workload.tgz', ['ccc'], ['shop/checkout/api']),
    ];
    expect(paths(groupInputs(facts))).toEqual([['other-workload.tgz'], ['prom.json', 'same-incident.tgz']]);
  });

  it('falls back to names, then to node and time alone', () => {
    expect(groupInputs([exp([], ['a/b/c']), cap('x.tgz', [], ['a/b/c'])])).toHaveLength(1);
    expect(groupInputs([exp([], ['a/b/c']), cap('x.tgz', [], ['a/b/d'])])).toHaveLength(2);
    expect(groupInputs([exp([], []), cap('x.tgz', ['zzz'])])).toHaveLength(1);
  });
});

describe('grouping real inputs', () => {
  it('joins the Prometheus sample with the capture it was exported from, not with another capture of that node', async () => {
    const samples = new URL('../../samples/', import.meta.url).pathname;
    const load = (path: string) => loadInput({ path }, { limits: DEFAULT_READ_LIMITS, now: 0 });
    const facts = async (ds: Awaited<ReturnType<typeof load>>) =>
      factsOf(ds, analyzeDatasets([ds]).model, { size: 1, mtimeMs: 0 });
    const exported = await facts(await load(`${samples}prometheus-oom-killed-and-cache-inflated.json`));
    const source = await facts(await loadFixture('oomAndCache'));
    const other = await facts(await load(`${samples}v1-oom-killed-leak.tar.gz`));
    // All three name the same node and overlap in time (recorded on this machine within the hour).
    expect(exported.nodes).toContain('fixture-node');
    expect(other.nodes).toContain('fixture-node');
    const shifted = { ...other, start: source.start, end: source.end };
    expect(paths(groupInputs([exported, source, shifted]))).toEqual(
      [[exported.path, source.path].sort(), [shifted.path]].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    );
  });
});

const PROM2CSV = 'prom2csv (id,timestamp,value,labels)';

function snapshot(path: string, at: number, names: string[], extra: Partial<InputFacts> = {}): InputFacts {
  const prom2csv = path.endsWith('.csv');
  return {
    path,
    format: prom2csv ? 'prometheus-csv' : 'prometheus-exposition',
    kind: 'metrics',
    nodes: prom2csv ? ['node-a'] : [],
    containerIds: [],
    containerNames: names,
    start: at,
    end: at,
    snapshots: null,
    variant: prom2csv ? PROM2CSV : 'Prometheus text',
    size: 1000,
    mtimeMs: 0,
    ...extra,
  };
}

describe('export snapshots', () => {
  const api = 'shop/checkout/api';
  const reader = 'shop/report/reader';

  it('joins scrapes that share a container into one series, and prom2csv instants into another', () => {
    const facts = [
      snapshot('x/scrape-3.prom', T0 + 2 * MIN, [reader]),
      snapshot('x/scrape-1.prom', T0, [api, reader]),
      snapshot('x/scrape-2.prom', T0 + MIN, [api]),
      snapshot('x/prom2csv-2.csv', T0 + MIN, [api]),
      snapshot('x/prom2csv-1.csv', T0, [api, reader]),
      // A query_range answer of the same node and time: two exports never join.
      { ...exportOf('x/range.json', T0, T0 + 5 * MIN, ['node-a']), containerNames: [api, reader] },
    ];
    expect(paths(groupInputs(facts))).toEqual([
      ['x/prom2csv-1.csv', 'x/prom2csv-2.csv'],
      ['x/range.json'],
      ['x/scrape-1.prom', 'x/scrape-2.prom', 'x/scrape-3.prom'],
    ]);
    expect(paths(groupInputs([...facts].reverse()))).toEqual(paths(groupInputs(facts)));
  });

  it('joins on a runtime ID or a name: a container that restarted between scrapes keeps its name', () => {
    const a = snapshot('a.prom', T0, [], { containerIds: ['old'], containerNames: [api] });
    const b = snapshot('b.prom', T0 + MIN, [], { containerIds: ['new'], containerNames: [api] });
    const c = snapshot('c.prom', T0 + MIN, [], { containerIds: ['old'], containerNames: [] });
    expect(groupInputs([a, b])).toHaveLength(1);
    expect(groupInputs([a, c])).toHaveLength(1);
  });

  it('keeps apart snapshots with no container in common, of other nodes, far apart, or of two formats', () => {
    expect(groupInputs([snapshot('a.prom', T0, [api]), snapshot('b.prom', T0 + MIN, [reader])])).toHaveLength(
      2,
    );
    expect(groupInputs([snapshot('a.prom', T0, []), snapshot('b.prom', T0 + MIN, [])])).toHaveLength(2);
    expect(
      groupInputs([
        snapshot('a.csv', T0, [api]),
        snapshot('b.csv', T0 + MIN, [api], { nodes: ['node-b'] }),
        snapshot('c.csv', T0 + 2 * MIN, [api], { nodes: [] }),
      ]),
    ).toHaveLength(3);
    expect(
      paths(
        groupInputs([
          snapshot('a.prom', T0, [api]),
          snapshot('b.prom', T0 + MIN, [api]),
          snapshot('c.prom', T0 + MIN + SERIES_MAX_GAP_MS + 1, [api]),
        ]),
      ),
    ).toEqual([['a.prom', 'b.prom'], ['c.prom']]);
    // The same moments seen by two tools would be the same samples twice.
    expect(
      groupInputs([snapshot('a.prom', T0, [api]), snapshot('a.csv', T0, [api], { nodes: [] })]),
    ).toHaveLength(2);
  });

  it('takes only single moments: not a tsdb dump spanning hours, not other CSV variants, not an old run’s facts', () => {
    expect(snapshotSeries(snapshot('a.prom', T0, [api]))).toBe('prometheus-exposition');
    expect(snapshotSeries(snapshot('a.csv', T0, [api]))).toBe('prom2csv');
    const dump = snapshot('dump.prom', T0, [api], { end: T0 + SNAPSHOT_MAX_SPAN_MS + 1 });
    expect(snapshotSeries(dump)).toBeNull();
    expect(groupInputs([dump, snapshot('b.prom', T0 + MIN, [api])])).toHaveLength(2);
    expect(
      snapshotSeries(snapshot('q.csv', T0, [api], { variant: 'query_csv.py (name,timestamp,value,labels)' })),
    ).toBeNull();
    expect(snapshotSeries(snapshot('q.csv', T0, [api], { variant: undefined }))).toBeNull();
    expect(snapshotSeries(capture('x/memory-1764270348.tgz', T0))).toBeNull();
    // Snapshots are not rendered alone during the survey: their report is the series'.
    expect(mayJoinSeries(snapshot('a.prom', T0, [api]))).toBe(true);
    expect(mayJoinSeries(dump)).toBe(false);
  });

  it('reads the facts of the real scrape and prom2csv fixtures, and groups them by kind', async () => {
    const facts = await Promise.all(
      SNAPSHOTS_AND_A_RANGE.map(async (n) => {
        const ds = await loadInput(
          { path: fixture(`exports/${n}`) },
          { limits: DEFAULT_READ_LIMITS, now: 0 },
        );
        return factsOf(ds, analyzeDatasets([ds]).model, { size: 1, mtimeMs: 0 });
      }),
    );
    expect(facts.map((f) => [f.format, f.variant, snapshotSeries(f)])).toEqual([
      ['prometheus-exposition', 'Prometheus text', 'prometheus-exposition'],
      ['prometheus-exposition', 'Prometheus text', 'prometheus-exposition'],
      ['prometheus-exposition', 'Prometheus text', 'prometheus-exposition'],
      ['prometheus-csv', PROM2CSV, 'prom2csv'],
      ['prometheus-csv', PROM2CSV, 'prom2csv'],
      ['prometheus-json', 'query_range envelope', null],
    ]);
    const name = (p: string) => p.slice(p.lastIndexOf('/') + 1);
    expect(groupInputs(facts).map((g) => g.map((f) => name(f.path)))).toEqual([
      ['prom2csv-1700000150.csv', 'prom2csv-1700000300.csv'],
      ['prometheus-query-range.json'],
      ['scrape-1700000150.prom', 'scrape-1700000165.prom', 'scrape-1700000195.prom'],
    ]);
  });
});
