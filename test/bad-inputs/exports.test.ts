import { mkdtempSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadInput } from '../../src/import/open.js';
import { cli } from '../helpers/cli.js';
import { fixture } from '../helpers/exports.js';
import { CTX, exportBytes, gzipSync, join, limits, outcome, writeFileSync } from './helpers.js';

/**
 * The catalogue of bad exports (test/bad-inputs/README.md): one test per case, each with the
 * exact line memlens prints.
 */
const HEADER = 'name,timestamp,value,namespace,pod,container\n';
const row = (t: number, v: string | number, pod = 'api-0', metric = 'container_memory_usage_bytes') =>
  `${metric},${t},${v},shop,${pod},api\n`;
const T0 = 1_700_000_000;
const csv = (...rows: string[]) => Buffer.from(HEADER + rows.join(''));

describe('bad exports', () => {
  it('truncated gzip: keeps the complete lines before the cut and names the line', async () => {
    const gz = gzipSync(exportBytes('query-csv-py.csv'));
    expect(await outcome('query.csv.gz', gz.subarray(0, Math.floor(gz.length / 2)))).toMatchObject({
      warnings: [
        'query.csv.gz: the gzip data ends early (truncated) at line 411; kept the 410 complete lines before it. Copy the file again completely to read the rest',
      ],
      samples: 409,
    });
  });

  it('truncated gzip of a one-line JSON answer: the series before the cut are kept', async () => {
    const series = Array.from(
      { length: 400 },
      (_, i) =>
        `{"metric":{"__name__":"container_memory_rss","namespace":"shop","pod":"p${i}","container":"api"},"values":[[1700000000,"${i * 7919}"],[1700000015,"${i * 104729}"]]}`,
    );
    const gz = gzipSync(`{"status":"success","data":{"resultType":"matrix","result":[${series.join(',')}]}}`);
    expect(await outcome('range.json.gz', gz.subarray(0, Math.floor(gz.length * 0.6)))).toEqual({
      warnings: [
        'range.json.gz: the gzip data ends early (truncated) at line 1; kept what was read before it. Copy the file again completely to read the rest',
        'range.json.gz: the JSON ends early (cut file?); kept the 234 series read',
        'range.json.gz:1: a series that is not valid JSON (the input ends inside this entry (cut file?)) was skipped',
      ],
      samples: 468,
    });
  });

  it('gzip bomb: reading stops at the limit, what was read is kept', async () => {
    const rows = Array.from({ length: 400_000 }, (_, i) => row(T0 + (i % 4) * 15, 1 << 20));
    const bomb = gzipSync(Buffer.from(HEADER + rows.join('')));
    expect(bomb.length).toBeLessThan(1 << 20);
    expect(await outcome('bomb.csv.gz', bomb, limits(1 << 20))).toMatchObject({
      warnings: [
        'bomb.csv.gz: reading stopped at line 16645, after 1048554 decompressed bytes: the read limit (--max-input-bytes 1048576). The rest was not read; if the input really is that large, raise --max-input-bytes',
        'bomb.csv.gz: 16639 samples repeat a series and time read before (first: container_memory_usage_bytes {container="api",namespace="shop",pod="api-0"} at 2023-11-14T22:13:20.000Z); the value read last was kept. Was the same data exported twice, or did two queries overlap?',
      ],
      samples: 4,
    });
  });

  it('gzip bomb with nothing but the header before the limit is an error', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from(HEADER), Buffer.alloc(64 << 20)]));
    expect(await outcome('bomb.csv.gz', bomb, limits(1 << 20))).toEqual({
      error:
        'bomb.csv.gz: decompresses to more than 1048576 bytes (the read limit, --max-input-bytes) with no sample before the limit: a compression bomb? If it really is that large, raise --max-input-bytes',
    });
  });

  it('a single line over 1 MB is skipped with its line number; the rows around it are read', async () => {
    const input = csv(row(T0, 1), `${'x'.repeat(3 << 20)}\n`, row(T0 + 15, 2));
    expect(await outcome('long.csv', input)).toEqual({
      warnings: [`long.csv:3: 1 fields where the header has 6; row skipped: ${'x'.repeat(120)}…`],
      samples: 2,
    });
  });

  it('a line over 64 MiB ends reading there; the rows before it are kept', async () => {
    const input = Buffer.concat([csv(row(T0, 1), row(T0 + 15, 2)), Buffer.alloc(65 << 20, 0x41)]);
    expect(await outcome('huge.csv', input)).toEqual({
      warnings: [
        "huge.csv:4: line 4 is longer than 64 MiB, which no export's line is (binary data, or a quote never closed?); the rest was not read",
      ],
      samples: 2,
    });
  });

  it('a Grafana header of 3 million empty columns costs nothing (it took 5 GB: npm run fuzz)', async () => {
    const input = Buffer.from(
      `"Time"${',""'.repeat(3_000_000)}\r\n1700000000000${','.repeat(3_000_000)}\r\n`,
    );
    expect(await outcome('panel.csv', input)).toEqual({
      error:
        'panel.csv: holds no sample memlens can use, read as Grafana CSV (Download CSV, joined or single series; legacy Export CSV): repeated column headers (""); names without labels were kept apart as "name #2"…, identical metric{labels} names merged. Check that it is a memory export memlens reads (docs/exports.md)',
    });
  });

  it('binary garbage is refused, saying what it looks like', async () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expect(await outcome('export.csv', junk)).toEqual({
      error:
        'export.csv: is in no format memlens knows: it is binary data (416 of its first 4096 bytes are not text). Tried cgroup-capture, grafana-csv, prometheus-csv, victoriametrics-csv, prometheus-json, victoriametrics-json, promtool-text, prometheus-exposition; docs/exports.md says how to export each',
    });
  });

  it('an HTML page saved in place of the export is named as such', async () => {
    const page = Buffer.from(
      '<!DOCTYPE html>\n<html><head><title>Grafana</title></head><body>Sign in</body></html>\n',
    );
    expect(await outcome('panel.csv', page)).toEqual({
      error:
        'panel.csv: is in no format memlens knows: it is an HTML page (a login or error page saved in place of the export?). Export again and check that the file holds the data',
    });
  });

  it('an empty file is refused', async () => {
    expect(await outcome('empty.csv', Buffer.alloc(0))).toEqual({
      error:
        'empty.csv: is in no format memlens knows: it is empty (0 bytes). Check that the file was written completely',
    });
  });

  it('UTF-16 without a byte-order mark is read like its UTF-8 original, and said', async () => {
    const text = exportBytes('query-csv-py.csv').toString('utf8');
    const utf8 = await loadInput({ path: 'q.csv', data: Buffer.from(text) }, CTX);
    const utf16 = await loadInput({ path: 'q16.csv', data: Buffer.from(text, 'utf16le') }, CTX);
    expect(utf16.input.warnings).toEqual([
      'q16.csv: the text is UTF-16LE without a byte-order mark; it was read as such',
    ]);
    expect(utf16.table).toEqual(utf8.table);
    const be = Buffer.from(text, 'utf16le').swap16();
    const utf16be = await loadInput({ path: 'be.csv', data: be }, CTX);
    expect(utf16be.input.warnings).toEqual([
      'be.csv: the text is UTF-16BE without a byte-order mark; it was read as such',
    ]);
    expect(utf16be.table).toEqual(utf8.table);
  });

  it('mixed delimiters: the row is skipped and the other delimiter named', async () => {
    const input = csv(row(T0, 1), row(T0 + 15, 2).replace(/,/g, ';'), row(T0 + 30, 3));
    expect(await outcome('mixed.csv', input)).toEqual({
      warnings: [
        'mixed.csv:3: 1 fields where the header has 6 (this row is separated by ";", the header by ",": export again in one format); row skipped: container_memory_usage_bytes;1700000015;2;shop;api-0;api',
      ],
      samples: 2,
    });
  });

  it('negative and non-numeric values are skipped with their line', async () => {
    const input = csv(row(T0, 1), row(T0 + 15, -4096), row(T0 + 30, '12 MB'), row(T0 + 45, 'abc'));
    expect(await outcome('values.csv', input)).toEqual({
      warnings: [
        'values.csv:3: container_memory_usage_bytes{container="api",namespace="shop",pod="api-0"}: value -4096 at 2023-11-14T22:13:35.000Z is negative, which container_memory_usage_bytes cannot be; sample skipped',
        'values.csv:4: "12 MB" is not a number; sample skipped',
        'values.csv:5: "abc" is not a number; sample skipped',
      ],
      samples: 1,
    });
  });

  it('a negative value of a metric memlens does not read is kept as it is', async () => {
    const input = csv(row(T0, -3, 'api-0', 'node_temperature_delta'));
    expect(await outcome('other.csv', input)).toEqual({ warnings: [], samples: 1 });
  });

  it('timestamps in the future and before 2000 are skipped with their line', async () => {
    const input = csv(row(T0, 1), row(4_102_444_800, 2), row(86_400, 3), row(T0 + 15, 4));
    expect(await outcome('times.csv', input)).toEqual({
      warnings: [
        'times.csv:3: container_memory_usage_bytes{container="api",namespace="shop",pod="api-0"}: time 2100-01-01T00:00:00.000Z is in the future (after this machine\'s clock); sample skipped. Check the clock of the host that wrote it, and that the time column holds times',
        'times.csv:4: container_memory_usage_bytes{container="api",namespace="shop",pod="api-0"}: time 1970-01-02T00:00:00.000Z is before the year 2000; sample skipped. Check the clock of the host that wrote it, and that the time column holds times',
      ],
      samples: 2,
    });
  });

  it('a scrape sample timed in the future does not date the untimed samples of its container (npm run fuzz)', async () => {
    // The sample with a time is skipped; the others of the same label set take the file's time
    // from its name, not the skipped one (which once made a window no Date can hold).
    const labels = 'container="api",namespace="shop",pod="api-0"';
    const input = Buffer.from(
      `container_memory_usage_bytes{${labels}} 100 92233720368547717121700000150217\n` +
        `container_memory_rss{${labels}} 50\n`,
    );
    const ds = await loadInput({ path: 'scrape-1700000150.prom', data: input }, CTX);
    expect(ds.input.warnings).toEqual([
      'scrape-1700000150.prom:1: container_memory_usage_bytes{container="api",namespace="shop",pod="api-0"}: time 9.223372036854772e+25 is in the future (after this machine\'s clock); sample skipped. Check the clock of the host that wrote it, and that the time column holds times',
    ]);
    expect([...ds.table.t]).toEqual([1_700_000_150_000]);
  });

  it('timestamps out of order are sorted, without a word', async () => {
    const input = csv(row(T0 + 30, 3), row(T0, 1), row(T0 + 15, 2));
    const ds = await loadInput({ path: 'shuffled.csv', data: input }, CTX);
    expect(ds.input.warnings).toEqual([]);
    expect([...ds.table.t]).toEqual([0, 15, 30].map((s) => (T0 + s) * 1000));
    expect([...ds.table.columns[0]]).toEqual([1, 2, 3]);
  });

  it('duplicated samples (the same rows twice) are counted and the first named', async () => {
    const rows = [row(T0, 1), row(T0 + 15, 2)];
    expect(await outcome('twice.csv', csv(...rows, ...rows))).toEqual({
      warnings: [
        'twice.csv: 2 samples repeat a series and time read before (first: container_memory_usage_bytes {container="api",namespace="shop",pod="api-0"} at 2023-11-14T22:13:20.000Z); the value read last was kept. Was the same data exported twice, or did two queries overlap?',
      ],
      samples: 2,
    });
  });

  it('a metric with 100,000 series is read whole', async () => {
    const series = Array.from(
      { length: 100_000 },
      (_, i) =>
        `{"metric":{"__name__":"container_memory_working_set_bytes","namespace":"ns-${i % 50}","pod":"pod-${i}","container":"app"},"values":[[${T0},"${i}"],[${T0 + 15},"${i + 1}"]]}`,
    );
    const json = Buffer.from(
      `{"status":"success","data":{"resultType":"matrix","result":[${series.join(',')}]}}`,
    );
    const ds = await loadInput({ path: 'wide.json', data: json }, CTX);
    expect(ds.input.warnings).toEqual([]);
    expect(ds.table.series).toHaveLength(100_000);
    expect(ds.table.length).toBe(200_000);
  });

  it('NaN and ±Inf everywhere: values, timestamps, every text format', async () => {
    const csvInput = csv(
      row(T0, 'NaN'),
      row(T0 + 15, '+Inf'),
      row(T0 + 30, '-Inf'),
      row(T0 + 45, 5),
      'container_memory_usage_bytes,NaN,1,shop,api-0,api\n',
      'container_memory_usage_bytes,Inf,1,shop,api-0,api\n',
    );
    expect(await outcome('nan.csv', csvInput)).toEqual({
      warnings: [
        'nan.csv:3: container_memory_usage_bytes{container="api",namespace="shop",pod="api-0"}: value Infinity at 2023-11-14T22:13:35.000Z is infinite, which container_memory_usage_bytes cannot be; sample skipped',
        'nan.csv:4: container_memory_usage_bytes{container="api",namespace="shop",pod="api-0"}: value -Infinity at 2023-11-14T22:13:50.000Z is negative, which container_memory_usage_bytes cannot be; sample skipped',
        'nan.csv:6: "NaN" is not a timestamp; row skipped',
        'nan.csv:7: "Inf" is not a timestamp; row skipped',
        'nan.csv:2: a sample is NaN or null (Prometheus\' "no value": a staleness marker, a division by zero); it counts as a gap, not as a number',
      ],
      samples: 1,
    });
    const json = Buffer.from(
      '{"status":"success","data":{"resultType":"matrix","result":[\n' +
        '{"metric":{"__name__":"container_memory_rss","namespace":"shop","pod":"api-0","container":"api"},"values":[[1700000000,"NaN"],[1700000015,"+Inf"],[1700000030,"-Inf"],[1700000045,"7"]]},\n' +
        '{"metric":{"__name__":"container_spec_memory_limit_bytes","namespace":"shop","pod":"api-0","container":"api"},"values":[[1700000000,"+Inf"]]}\n' +
        ']}}',
    );
    expect(await outcome('nan.json', json)).toEqual({
      warnings: [
        'nan.json:2: container_memory_rss{container="api",namespace="shop",pod="api-0"}: value Infinity at 2023-11-14T22:13:35.000Z is infinite, which container_memory_rss cannot be; sample skipped',
        'nan.json:2: container_memory_rss{container="api",namespace="shop",pod="api-0"}: value -Infinity at 2023-11-14T22:13:50.000Z is negative, which container_memory_rss cannot be; sample skipped',
        'nan.json:2: a sample is NaN or null (Prometheus\' "no value": a staleness marker, a division by zero); it counts as a gap, not as a number',
      ],
      // The limit's +Inf is "no limit", a value it may take.
      samples: 2,
    });
    const prom = Buffer.from(
      '# TYPE container_memory_rss gauge\n' +
        'container_memory_rss{namespace="shop",pod="api-0",container="api"} NaN 1700000000000\n' +
        'container_memory_rss{namespace="shop",pod="api-0",container="api"} +Inf 1700000015000\n' +
        'container_memory_rss{namespace="shop",pod="api-0",container="api"} 7 NaN\n' +
        'container_memory_rss{namespace="shop",pod="api-0",container="api"} 8 1700000030000\n',
    );
    expect(await outcome('scrape-1700000000.prom', prom)).toEqual({
      warnings: [
        'scrape-1700000000.prom:3: container_memory_rss{container="api",namespace="shop",pod="api-0"}: value Infinity at 2023-11-14T22:13:35.000Z is infinite, which container_memory_rss cannot be; sample skipped',
        'scrape-1700000000.prom:4: "container_memory_rss{namespace="shop",pod="api-0",container="api"} 7 NaN" is not a sample line; skipped',
        'scrape-1700000000.prom:2: a sample is NaN or null (Prometheus\' "no value": a staleness marker, a division by zero); it counts as a gap, not as a number',
      ],
      samples: 1,
    });
  });

  it('JSON that breaks off into damage keeps the series before it', async () => {
    const series = (pod: string) =>
      `{"metric":{"__name__":"container_memory_rss","namespace":"shop","pod":"${pod}","container":"api"},"values":[[1700000000,"7"]]}`;
    const json = Buffer.from(`[\n${series('a')},\n${series('b')}]]\n,${series('c')}]\n`);
    expect(await outcome('range.json', json)).toEqual({
      warnings: [
        'range.json:3: the JSON is damaged here (an unbalanced "]" at line 3); kept the 2 series read before it. Export it again (was the file cut, or edited by hand?)',
      ],
      samples: 2,
    });
    expect(await outcome('broken.json', Buffer.from('[]]'))).toEqual({
      error:
        'broken.json: is not valid JSON: an unbalanced "]" at line 1. Export it again (was the file cut, or edited by hand?)',
    });
  });

  describe('a copy cut inside its last line: that line is not read (a cut number reads smaller)', () => {
    /** `whole` cut `keep` bytes into the first occurrence of `at` in its last line. */
    const cutInLastLine = (whole: Buffer, at: string, keep: number) => {
      const i = whole.indexOf(at, whole.lastIndexOf(10, whole.length - 2) + 1);
      expect(i).toBeGreaterThan(0);
      return whole.subarray(0, i + keep);
    };
    const samplesOf = async (name: string, data: Buffer) => {
      const o = await outcome(name, data);
      if (!('samples' in o)) throw new Error(o.error);
      return o.samples;
    };

    it('exposition snapshot: a limit cut from 1.073741824e+09 to 1.0737 is not taken', async () => {
      const whole = exportBytes('scrape-1700000150.prom');
      const cut = cutInLastLine(whole, '1.073741824e+09', 6);
      const lines = whole.toString('utf8').split('\n').length - 1;
      const o = await outcome('scrape-1700000150.prom', cut);
      expect(o).toMatchObject({
        warnings: [
          expect.stringMatching(
            new RegExp(
              `^scrape-1700000150\\.prom:${lines}: the file ends inside this line \\(no line end: cut short\\?\\), so it was not read, as a number cut short would read as a smaller one: "….*pod=\\\\"report-5c8b\\\\"\\} 1\\.0737"\\. Copy the file again completely; if the line is whole, end the file with a newline$`,
            ),
          ),
        ],
      });
      // what is read is exactly the file without its last line; with its line end, the line counts
      const withoutLast = whole.subarray(0, whole.lastIndexOf(10, whole.length - 2) + 1);
      expect((o as { samples: number }).samples).toBe(await samplesOf('scrape-1700000150.prom', withoutLast));
      expect(await samplesOf('scrape-1700000150.prom', Buffer.concat([cut, Buffer.from('\n')]))).toBe(
        (o as { samples: number }).samples + 1,
      );
    });

    it('promtool text: a point cut inside its time is not read', async () => {
      const whole = exportBytes('promtool-query-range.txt');
      const cut = cutInLastLine(whole, '@[', 5);
      const o = await outcome('range.txt', cut);
      expect(o).toMatchObject({
        warnings: [
          expect.stringMatching(/^range\.txt:\d+: the file ends inside this line .*: "1073741824 @\[170"\./),
        ],
      });
      expect((o as { samples: number }).samples).toBe((await samplesOf('range.txt', whole)) - 1);
    });

    it('long CSV with the value last (pandas, promql-cli): a cut limit does not make a false critical', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'memlens-cut-'));
      const file = join(dir, 'export.csv');
      const rows = [
        'timestamp,__name__,namespace,pod,container,value',
        ...[0, 15].flatMap((dt) => [
          `${T0 + dt},container_memory_working_set_bytes,shop,api-0,api,${(100 + dt) << 20}`,
          `${T0 + dt},container_spec_memory_limit_bytes,shop,api-0,api,${256 << 20}`,
        ]),
      ];
      // the copy breaks off four digits into the last limit: 268435456 would read as 2684
      writeFileSync(file, `${rows.join('\n')}`.slice(0, -5));
      const r = await cli('analyze', file, '--json', '--quiet', '--out', join(dir, 'report'));
      const findings = JSON.parse(r.stdout);
      expect(
        findings.containers.map((c: { key: string; limitBytes: number }) => [c.key, c.limitBytes]),
      ).toEqual([['shop/api-0/api', 256 << 20]]);
      expect(findings.findings.filter((f: { severity: string }) => f.severity === 'critical')).toEqual([]);
      expect(findings.inputs[0].warnings).toEqual([
        `${file}:5: the file ends inside this line (no line end: cut short?), so it was not read, as a number cut short would read as a smaller one: "${T0 + 15},container_spec_memory_limit_bytes,shop,api-0,api,2684". Copy the file again completely; if the line is whole, end the file with a newline`,
      ]);
    });

    it('Grafana joined CSV cut inside its last row: the short row is skipped, not read', async () => {
      const whole = exportBytes('grafana-11-joined-raw.csv');
      const lastRow = whole.lastIndexOf(10) + 1;
      // the time, one value, and the first three digits of the next
      const cut = whole.subarray(0, whole.indexOf(',', whole.indexOf(',', lastRow) + 1) + 4);
      const o = await outcome('panel.csv', cut);
      const lines = whole.subarray(0, lastRow).toString('utf8').split('\n').length;
      expect(o).toMatchObject({
        warnings: [
          expect.stringMatching(
            new RegExp(
              `^panel\\.csv:${lines}: 3 fields where the header has \\d+ \\(a row cut short\\?\\); row skipped: \\d+,\\d*,\\d{3}$`,
            ),
          ),
        ],
      });
      expect((o as { samples: number }).samples).toBe(
        await samplesOf('panel.csv', whole.subarray(0, lastRow)),
      );
    });

    it('Grafana CSV cut inside its header is refused, quoting where the header ends', async () => {
      const whole = exportBytes('grafana-11-joined-raw.csv');
      expect(whole.indexOf(10)).toBeGreaterThan(3000);
      expect(await outcome('panel.csv', whole.subarray(0, 3000))).toEqual({
        error: expect.stringMatching(
          /^panel\.csv: holds no sample memlens can use, read as Grafana CSV [^:]*: the header \(\d+ columns, the last "….*"\) is followed by no row: was the file cut short, inside its header\? Or the panel had no data in its time range\. Check that it is a memory export memlens reads \(docs\/exports\.md\)$/,
        ),
      });
    });

    it('blanks after the last line end are no line; Grafana rows are whole without a line end', async () => {
      const query = exportBytes('query-csv-py.csv');
      expect(await outcome('query.csv', Buffer.concat([query, Buffer.from(' \t ')]))).toEqual({
        warnings: [],
        samples: await samplesOf('query.csv', query),
      });
      // Grafana's toCSV and file_export.ts write no line end after the last row
      for (const f of ['grafana-11-joined-raw.csv', 'grafana-6-legacy-series-as-rows.csv']) {
        const whole = exportBytes(f);
        expect(whole.at(-1), f).not.toBe(10);
        const o = await outcome(f, whole);
        expect(o, f).toMatchObject({
          samples: await samplesOf(f, Buffer.concat([whole, Buffer.from('\r\n')])),
        });
        expect(JSON.stringify(o), f).not.toContain('the file ends inside');
      }
    });
  });

  it('snapshots without timestamps copied together (one modification time) are named, not merged in silence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memlens-same-mtime-'));
    const when = new Date('2023-11-14T22:20:00Z');
    const files = ['150', '165', '195'].map((n) => {
      // the kubelet's scrape with its sample timestamps taken off, as a scraper without them keeps it
      const text = readFileSync(fixture(`scrape-1700000${n}.prom`), 'utf8').replace(/ \d{13}$/gm, '');
      const f = join(dir, `node-a-${n}.prom`);
      writeFileSync(f, text);
      utimesSync(f, when, when);
      return f;
    });
    const r = await cli('analyze', ...files, '--json', '--quiet', '--out', join(dir, 'report'));
    const inputs = JSON.parse(r.stdout).inputs as { path: string; warnings: string[] }[];
    expect(inputs[1].warnings).toContain(
      `${files[1]}: placed at the same guessed time (2023-11-14T22:20:00.000Z) as ${files[0]}, ${files[2]}: their modification times are equal (copied together?), so their samples read as one moment and only the first input’s values count. Name snapshots scrape-<unixseconds>.prom with the time they were taken`,
    );
  });

  it('a text file of no sample line is refused with the first line it could not read', async () => {
    expect(await outcome('notes.csv', Buffer.from('hello world\nsee you\n'))).toEqual({
      error:
        'notes.csv: holds no sample memlens can use, read as Prometheus / OpenMetrics exposition snapshot (.prom): line 1: "hello world" is not a sample line; skipped (and 1 more warning). Check that it is a memory export memlens reads (docs/exports.md)',
    });
  });

  it('an empty query result is refused, not analysed as a fleet of no containers', async () => {
    const json = Buffer.from('{"status":"success","data":{"resultType":"matrix","result":[]}}');
    expect(await outcome('range.json', json)).toEqual({
      error:
        'range.json: holds no samples (an empty query result?). Export a time range and a selector that match running containers (docs/exports.md)',
    });
  });

  it('a JSON envelope with "status":"error" is refused with the error it holds', async () => {
    const json = Buffer.from(
      '{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}',
    );
    expect(await outcome('range.json', json)).toEqual({
      error:
        'range.json: holds a Prometheus error, not data: execution query processing would load too many samples into memory in query execution. Fix the query (or shorten its range) and export again',
    });
  });
});
