import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Collector, partOf } from '../../../src/import/metrics/collector.js';
import { longLayoutFromHeader, parseLongBody } from '../../../src/import/metrics/long-rows.js';
import { toDataset } from '../../../src/import/metrics/to-dataset.js';
import { loadInput } from '../../../src/import/open.js';
import { canRunParallel, parseRanges, splitAtLines } from '../../../src/import/parallel/ranges.js';
import { DEFAULT_READ_LIMITS } from '../../../src/source/types.js';
import { fixture } from '../../helpers/exports.js';

/** Where query_csv.py's CRLF header ends, and the layout it gives. */
function headerOf(text: Buffer) {
  const headerEnd = text.indexOf(10) + 1;
  const layout = longLayoutFromHeader(text.toString('utf8', 0, headerEnd - 2).split(','), {
    delimiter: 44,
    quote: 'rfc4180',
  })!;
  return { headerEnd, layout };
}

describe('parallel long-CSV ranges', () => {
  it('cuts at line ends and gives the same dataset as one thread', async () => {
    const path = fixture('query-csv-py.csv');
    const text = readFileSync(path);
    const { headerEnd, layout } = headerOf(text);
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

  it('leaves out a last line cut short and reports it, as one thread does', async () => {
    const whole = readFileSync(fixture('query-csv-py.csv'));
    const path = join(mkdtempSync(join(tmpdir(), 'memlens-ranges-')), 'query-csv-py.csv');
    writeFileSync(path, whole.subarray(0, whole.length - 20));
    // one thread: the file is far below the size at which memlens splits it
    const one = await loadInput({ path }, { limits: DEFAULT_READ_LIMITS });
    expect(one.input.warnings).toEqual([
      expect.stringMatching(
        /^.*query-csv-py\.csv:\d+: the file ends inside this line \(no line end: cut short\?\)/,
      ),
    ]);
    const { headerEnd, layout } = headerOf(whole);
    const cuts = await splitAtLines(path, headerEnd, statSync(path).size, 3);
    const header = { names: [], labels: [], rows: [], bad: [], empty: 0, lines: 1, facts: {} };
    const many = toDataset([header, ...(await parseRanges(path, cuts, layout, true))], {
      path,
      format: 'prometheus-csv',
    });
    expect(many.table).toEqual(one.table);
    expect(many.input.warnings).toEqual(one.input.warnings);
  });
});
