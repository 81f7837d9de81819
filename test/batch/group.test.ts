import { describe, expect, it } from 'vitest';
import { analyzeDatasets } from '../../src/analyze.js';
import { factsOf } from '../../src/batch/facts.js';
import { EXPORT_MARGIN_MS, groupInputs, nameKey, SERIES_MAX_GAP_MS } from '../../src/batch/group.js';
import type { InputFacts } from '../../src/batch/types.js';
import { loadFixture } from '../helpers/fixtures.js';

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
      start: Date.parse('2026-11-27T19:16:50Z'),
      end: Date.parse('2026-11-27T19:17:07Z'),
      snapshots: 18,
      size: 114797,
      mtimeMs: 1,
    });
  });
});
