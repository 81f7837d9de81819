import { describe, expect, it } from 'vitest';
import { loadFixture, loadText, samples, T0 } from '../../helpers/exports.js';

describe('promtool-text', () => {
  it('reads `promtool query range` output to the same samples as the JSON answer', async () => {
    const text = await loadFixture('promtool-query-range.txt');
    const json = await loadFixture('prometheus-query-range.json');
    expect(text.input.format).toBe('promtool-text');
    for (const field of json.table.fields) {
      for (const pod of ['checkout-7d9c', 'report-5c8b']) {
        expect(samples(text, field, { pod }), `${field} ${pod}`).toEqual(samples(json, field, { pod }));
      }
    }
  });

  it('reads Go-escaped names and counts lines that are neither header nor point', async () => {
    const ds = await loadText(
      'container_memory_rss{container="a\\"b", namespace="n", pod="p"} =>\n5 @[1700000000]\n6 @[1700000015.5]\nbogus line\n',
      {},
      'p.txt',
    );
    expect(samples(ds, 'container_memory_rss', { container: 'a"b' })).toEqual([
      [T0, 5],
      [T0 + 15500, 6],
    ]);
    expect(ds.input.warnings[0]).toMatch(/^p\.txt:4: "bogus line" is neither/);
  });
});
