import { describe, expect, it } from 'vitest';
import type { JsonShape } from '../../../src/import/text/json-split.js';
import { splitJson } from '../../../src/import/text/json-split.js';

async function split(text: string, shape: JsonShape, chunk = 0) {
  const buf = Buffer.from(text);
  const chunks: Buffer[] = [];
  if (chunk) for (let i = 0; i < buf.length; i += chunk) chunks.push(buf.subarray(i, i + chunk));
  else chunks.push(buf);
  const elements: unknown[] = [];
  const meta: Record<string, unknown> = {};
  const bad: number[] = [];
  const r = await splitJson(
    (async function* () {
      yield* chunks;
    })(),
    shape,
    {
      onElement: (v) => elements.push(v),
      onMeta: (k, v) => {
        meta[k] = v;
      },
      onBadElement: (line) => bad.push(line),
    },
  );
  return { ...r, elements, meta, bad };
}

const ENVELOPE =
  '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"m","pod":"a}b"},"values":[[1700000000,"1"]]},{"metric":{},"values":[]}]},"warnings":["w1"]}';

describe('splitJson', () => {
  it('hands over each series of a query_range envelope, whatever the chunking', async () => {
    for (const chunk of [0, 1, 5, 13]) {
      const r = await split(ENVELOPE, 'envelope', chunk);
      expect(r.elements).toEqual([
        { metric: { __name__: 'm', pod: 'a}b' }, values: [[1700000000, '1']] },
        { metric: {}, values: [] },
      ]);
      expect(r.meta).toEqual({ status: 'success', resultType: 'matrix', warnings: ['w1'] });
      expect(r.complete).toBe(true);
    }
  });

  it('reports an error envelope through its members', async () => {
    const r = await split(
      '{"status":"error","errorType":"bad_data","error":"parse error at char 3"}',
      'envelope',
    );
    expect(r.meta).toEqual({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' });
    expect(r.elements).toEqual([]);
  });

  it('reads pretty-printed bare arrays (jq) and JSON lines; flags broken entries and cut files', async () => {
    const pretty = '[\n  {\n    "metric": {"a": "1"},\n    "values": [[1, "2"]]\n  }\n]\n';
    expect((await split(pretty, 'array', 4)).elements).toEqual([{ metric: { a: '1' }, values: [[1, '2']] }]);
    const lines =
      '{"metric":{"a":"1"},"values":[1],"timestamps":[2]}\n{"metric":{"a":"2"},"values":[3],"timestamps":[4]}\n';
    expect((await split(lines, 'sequence', 3)).elements).toHaveLength(2);
    const cut = '{"metric":{"a":"1"},"values":[1],"timestamps":[2]}\n{"metric":{"a":';
    const r = await split(cut, 'sequence');
    expect(r.elements).toHaveLength(1);
    expect(r.bad).toEqual([2]);
    expect(r.complete).toBe(false);
  });
});
