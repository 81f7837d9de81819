import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Collector, partOf } from '../../../src/import/metrics/collector.js';
import { longLayoutFromHeader, parseLongBody } from '../../../src/import/metrics/long-rows.js';
import { toDataset } from '../../../src/import/metrics/to-dataset.js';
import { canRunParallel, parseRanges, splitAtLines } from '../../../src/import/parallel/ranges.js';
import { fixture } from '../../helpers/exports.js';

describe('parallel long-CSV ranges', () => {
  it('cuts at line ends and gives the same dataset as one thread', async () => {
    const path = fixture('query-csv-py.csv');
    const text = readFileSync(path);
    const headerEnd = text.indexOf(10) + 1;
    const layout = longLayoutFromHeader(text.toString('utf8', 0, headerEnd - 2).split(','), {
      delimiter: 44,
      quote: 'rfc4180',
    })!;
    const cuts = await splitAtLines(path, headerEnd, statSync(path).size, 3);
    expect(cuts).toHaveLength(4);
    for (const c of cuts.slice(1, -1)) expect(text[c - 1]).toBe(10);
    const single = new Collector();
    await parseLongBody(
      (async function* () {
        yield text;
      })(),
      layout,
      single,
      1,
      1,
    );
    const one = toDataset([partOf(single)], { path, format: 'prometheus-csv' });
    // the worker runs the built copy (dist/), which `npm test` builds first
    expect(canRunParallel()).toBe(true);
    const parts = await parseRanges(path, cuts, layout);
    const header = { names: [], labels: [], rows: [], bad: [], empty: 0, lines: 1, facts: {} };
    const many = toDataset([header, ...parts], { path, format: 'prometheus-csv' });
    expect(many.table).toEqual(one.table);
    expect(many.hints).toEqual(one.hints);
  });
});
