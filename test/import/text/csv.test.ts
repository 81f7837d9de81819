import { describe, expect, it } from 'vitest';
import type { CsvDialect } from '../../../src/import/text/csv.js';
import { guessDelimiter, scanCsv, splitLine } from '../../../src/import/text/csv.js';

async function records(
  text: string,
  dialect: CsvDialect,
  chunk = 0,
): Promise<{ cells: string[]; line: number }[]> {
  const buf = Buffer.from(text);
  const chunks: Buffer[] = [];
  if (chunk > 0) for (let i = 0; i < buf.length; i += chunk) chunks.push(buf.subarray(i, i + chunk));
  else chunks.push(buf);
  const out: { cells: string[]; line: number }[] = [];
  await scanCsv(
    (async function* () {
      yield* chunks;
    })(),
    dialect,
    (r) => {
      out.push({ cells: r.texts(), line: r.line });
    },
  );
  return out;
}

const RFC: CsvDialect = { delimiter: 44, quote: 'rfc4180' };

describe('scanCsv', () => {
  it('reads Grafana toCSV output: quoted headers, "" escapes, CRLF, no final newline', async () => {
    const text = '"Time","a{x=""1"", y=""2""}"\r\n1700000000000,123\r\n1700000015000,\r\n1700000030000,"1,5"';
    for (const chunk of [0, 1, 3, 7]) {
      const r = await records(text, RFC, chunk);
      expect(r.map((x) => x.cells)).toEqual([
        ['Time', 'a{x="1", y="2"}'],
        ['1700000000000', '123'],
        ['1700000015000', ''],
        ['1700000030000', '1,5'],
      ]);
      expect(r.map((x) => x.line)).toEqual([1, 2, 3, 4]);
    }
  });

  it('keeps quoted newlines in a cell and counts lines past them; skips blank lines', async () => {
    const r = await records('a,b\n"x\ny",2\n\n3,4\r\n\r\n', RFC, 2);
    expect(r.map((x) => x.cells)).toEqual([
      ['a', 'b'],
      ['x\ny', '2'],
      ['3', '4'],
    ]);
    expect(r.map((x) => x.line)).toEqual([1, 2, 5]);
  });

  it('reads VictoriaMetrics backslash quoting', async () => {
    const text = 'm,"a,b",1\nm,"say \\"hello\\"",2\nm,"line1\\nline2",3\n';
    const r = await records(text, { delimiter: 44, quote: 'backslash' }, 5);
    expect(r.map((x) => x.cells[1])).toEqual(['a,b', 'say "hello"', 'line1\nline2']);
  });

  it('splits header lines and guesses delimiters', () => {
    expect(splitLine('"Series";"Time";"Value"', { delimiter: 59, quote: 'rfc4180' })).toEqual([
      'Series',
      'Time',
      'Value',
    ]);
    expect(guessDelimiter('"Time";"a,b";"c"')).toBe(59);
    expect(guessDelimiter('"Time"\t"a"')).toBe(9);
    expect(guessDelimiter('time,name,value')).toBe(44);
  });
});
